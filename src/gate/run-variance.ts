/**
 * Between-run variance of an in-run ratio. Restores within one run share that run's luck (which
 * core its workers landed on, what else ran meanwhile, the heap's layout), so one run's ratio
 * differs from the next run's by more than its own restores' spread suggests. On a quiet 2-core
 * machine three baseline runs of one commit gave zstd/gzip CPU p10 ratios of 0.876, 0.958 and
 * 0.990, and the gate, bootstrapping restores only, failed the unchanged code 2 times in 4.
 *
 * So the run is the unit of replication: a run's log ratio = the side's true value + that run's
 * luck + its restores' sampling error, and the spread of per-run log ratios around their side's
 * mean estimates the sum of the last two. The change of the pooled ratio then has variance
 * s²·(1/runs_b + 1/runs_c): the two-sample t setting, with runs as the samples.
 * (Subtracting the restores' own part, a random-effects estimate, collapsed to 0 too often with
 * 3–5 runs and let a +10% slowdown pass in seeded trials; this reading is the conservative one.)
 */
import {quantileSorted} from '../bench/quantile.js'

/** One side's restore times, with how many samples each pooled run contributed (in order). */
export interface RunSeries {
  variant: readonly number[]
  reference: readonly number[]
  /** Samples per run of `variant`, summing to its length (absent: one run). */
  variantRuns?: readonly number[]
  /** Samples per run of `reference` (absent: one run). */
  referenceRuns?: readonly number[]
}

/** One side's runs: how many could be judged, and the variance of their log ratios (n ≥ 2). */
export interface SideSpread {
  runs: number
  variance?: number
}

/**
 * The variance of the change's log, from runs as replicates, with its degrees of freedom; or
 * undefined when neither side has two runs to judge the spread by.
 */
export interface RunVariance {
  /** Variance of log(1 + change) from the run-to-run spread. */
  variance: number
  df: number
  baseline: SideSpread
  current: SideSpread
}

/** A run needs this many restores of each series for its own quantile to mean anything. */
export const MIN_RESTORES_PER_RUN = 5
const WITHIN_RESAMPLES = 200

/**
 * Split pooled samples back into runs. `sizes` absent, or not adding up to the samples (a file
 * edited by hand), reads as one run: the conservative reading is "no run structure known".
 */
export function splitRuns(samples: readonly number[], sizes: readonly number[] | undefined): number[][] {
  const valid = sizes !== undefined && sizes.length > 0 && sizes.every((size) => Number.isInteger(size) && size > 0) && sizes.reduce((a, b) => a + b, 0) === samples.length
  if (!valid) return [[...samples]]
  const runs: number[][] = []
  let at = 0
  for (const size of sizes) {
    runs.push(samples.slice(at, at + size))
    at += size
  }
  return runs
}

/** Per-run (variant, reference) pairs of one side, dropping runs too short to judge. */
function runPairs(side: RunSeries): Array<[number[], number[]]> {
  const variants = splitRuns(side.variant, side.variantRuns)
  const references = splitRuns(side.reference, side.referenceRuns)
  if (variants.length !== references.length) return [] // runs that do not line up cannot be paired
  return variants.flatMap((variant, i): Array<[number[], number[]]> =>
    variant.length >= MIN_RESTORES_PER_RUN && references[i].length >= MIN_RESTORES_PER_RUN ? [[variant, references[i]]] : [],
  )
}

function sideSpread(pairs: Array<[number[], number[]]>, quantile: number): SideSpread {
  const q = (values: number[]) => quantileSorted(Float64Array.from(values).sort(), quantile)
  const logs = pairs.map(([variant, reference]) => Math.log(q(variant) / q(reference)))
  if (logs.length < 2) return {runs: logs.length}
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length
  return {runs: logs.length, variance: logs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (logs.length - 1)}
}

/**
 * The run-to-run variance of the change of log(Q(variant)/Q(reference)) between two sides (Q:
 * the `quantile` of the restore times). Both sides with two runs or more: their pooled spread,
 * runs − 2 degrees of freedom. One side only: its spread stands for both.
 * Neither: undefined (nothing to judge the spread by). Deterministic.
 */
export function runVariance(baseline: RunSeries, current: RunSeries, quantile: number): RunVariance | undefined {
  const [b, c] = [sideSpread(runPairs(baseline), quantile), sideSpread(runPairs(current), quantile)]
  const [nb, nc] = [Math.max(1, b.runs), Math.max(1, c.runs)]
  if (b.variance !== undefined && c.variance !== undefined) {
    // Pooled: both sides ran the same benchmark on the same kind of machine. Welch's separate
    // spreads, each from 2–3 runs, false-failed an unchanged commit 3–4 times as often in seeded trials.
    const pooled = ((b.runs - 1) * b.variance + (c.runs - 1) * c.variance) / (b.runs + c.runs - 2)
    return {variance: pooled * (1 / nb + 1 / nc), df: b.runs + c.runs - 2, baseline: b, current: c}
  }
  const known = b.variance === undefined ? c : b
  if (known.variance === undefined) return undefined
  return {variance: known.variance * (1 / nb + 1 / nc), df: known.runs - 1, baseline: b, current: c}
}
