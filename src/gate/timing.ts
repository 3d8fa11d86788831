/**
 * The statistical heart of the gate. A timing metric is a ratio measured inside one run (variant
 * time / gzip time, or / floor time), which cancels most of what changes between machines. Its
 * change between two runs is
 *   change = (Q(Vc)/Q(Rc)) / (Q(Vb)/Q(Rb)) − 1
 * for variant V, reference R, baseline b, current c and Q a quantile of the restore times. The
 * four sample series are independent restores, so one bootstrap resamples all four at once and
 * gives a percentile interval on the change itself, carrying the uncertainty of both runs and
 * both sides of each ratio.
 *
 * Restores of one run share that run's luck, so the change also carries a between-run part the
 * restore bootstrap cannot see (./run-variance.ts). When the files say which samples came from
 * which pooled run (two or more on a side), the interval is Student's t over runs: few runs,
 * wide interval. One run a side: restores only.
 *
 * Q defaults to the 10th percentile, not the median: contention on a shared machine only ever
 * adds time, so the low quantiles of a run are the restores the machine disturbed least. On a
 * loaded 2-core machine the run-to-run spread of the change was 5–10× smaller with Q = p10 than
 * with the median, at no cost in detecting a slowdown that shifts every restore. `quantile: 0.5`
 * gives the ratio of medians.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile'

import {bootstrapDistribution, percentileInterval} from '../bench/bootstrap.js'
import {quantile, quantileSorted} from '../bench/quantile.js'
import type {RunSpread, Verdict} from './report.js'
import {runVariance, splitRuns, type RunSeries} from './run-variance.js'

/**
 * Restore times (seconds) of the variant being judged and of the reference row in the same run
 * (gzip or floor), with the samples each pooled run contributed (absent: one run).
 */
export type RatioSamples = RunSeries

export interface TimingChange {
  baseline: number
  current: number
  change: number
  interval: [number, number]
  /** Runs behind the change and their spread, when a side pooled two runs or more (absent: restores only). */
  runs?: RunSpread
}

export interface BootstrapSettings {
  resamples: number
  seed: number
  confidence: number
  /** Which quantile of the restore times the ratios compare (0.5 = medians). */
  quantile: number
}

export function ratioChange(baseline: RatioSamples, current: RatioSamples, settings: BootstrapSettings): TimingChange {
  const q = (sorted: ArrayLike<number>) => quantileSorted(sorted, settings.quantile)
  const distribution = bootstrapDistribution(
    [baseline.variant, baseline.reference, current.variant, current.reference],
    ([bv, br, cv, cr]) => q(cv) / q(cr) / (q(bv) / q(br)) - 1,
    {resamples: settings.resamples, seed: settings.seed},
  )
  const at = (samples: readonly number[]) => quantile(samples, settings.quantile)
  const before = at(baseline.variant) / at(baseline.reference)
  const after = at(current.variant) / at(current.reference)
  const change = after / before - 1
  const restoresOnly = percentileInterval(distribution, settings.confidence)
  const spread = runVariance(baseline, current, settings.quantile)
  const counts = {baseline: splitRuns(baseline.variant, baseline.variantRuns).length, current: splitRuns(current.variant, current.variantRuns).length}
  if (!spread) return {baseline: before, current: after, change, interval: restoresOnly, ...(counts.baseline + counts.current > 2 ? {runs: {...counts, sd: 0, df: 0}} : {})}
  const runs: RunSpread = {...counts, sd: Math.sqrt(Math.max(spread.baseline.variance ?? 0, spread.current.variance ?? 0)), df: Number(spread.df.toFixed(1))}
  // On the log scale, where runs were compared; never narrower than the restores alone allow.
  const se = Math.sqrt(Math.max(logVariance(distribution), spread.variance))
  const critical = tQuantile(0.5 + settings.confidence / 2, Math.max(1, spread.df))
  const center = Math.log1p(change)
  const interval: [number, number] = [Math.min(restoresOnly[0], Math.expm1(center - critical * se)), Math.max(restoresOnly[1], Math.expm1(center + critical * se))]
  return {baseline: before, current: after, change, interval, runs}
}

function logVariance(changes: Float64Array): number {
  let mean = 0
  for (const value of changes) mean += Math.log1p(value)
  mean /= changes.length
  let sum = 0
  for (const value of changes) sum += (Math.log1p(value) - mean) ** 2
  return sum / (changes.length - 1)
}

export interface Thresholds {
  /** Practical size of a regression that fails the build (0.10 = 10% slower). */
  threshold: number
  /** Two-sided confidence of the interval (for the detectable-change estimate). */
  confidence: number
}

/**
 * Three answers, and "not enough evidence" is one of them:
 * - fail: the slowdown is real (the whole interval lies above 0) and the change itself is
 *   beyond +threshold. Chosen over "the whole interval above +threshold", which on a busy 2-core
 *   machine caught an injected +20% in only about half of the runs (half-widths of 8–12%).
 * - pass: the interval rules out a regression beyond +threshold (its upper end is below it) and
 *   the change is within half of the threshold, so a slowdown sitting right at the threshold is
 *   never waved through on one lucky draw.
 * - improved: a pass whose interval lies wholly below 0 with the change beyond −threshold.
 * - inconclusive: anything else. The interval is too wide for either claim: measure more.
 */
export function judgeTiming(change: number, [low, high]: readonly [number, number], {threshold}: Pick<Thresholds, 'threshold'>): Verdict {
  if (low > 0 && change > threshold) return 'fail'
  if (high < threshold && change < threshold / 2) return high < 0 && change < -threshold ? 'improved' : 'pass'
  return 'inconclusive'
}

/**
 * The smallest true regression this row would fail with 80% probability, given how wide its
 * interval came out (a minimum detectable effect). Reading the interval as normal with standard
 * error se = halfWidth / z(confidence), the fail rule needs the estimate above both the threshold
 * and the half-width (its low end above 0), so a true change must exceed that by z(0.8) · se.
 * Fraction, like `change`; never below the threshold, since smaller changes never fail.
 */
export function detectableChange([low, high]: readonly [number, number], {threshold, confidence}: Thresholds): number {
  const halfWidth = (high - low) / 2
  const se = halfWidth / normalQuantile(0.5 + confidence / 2)
  return Math.max(threshold, halfWidth) + normalQuantile(0.8) * se
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9),
 * for p in (0, 1).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability ${p} is outside (0, 1)`)
  const a = [-39.696_830_286_653_76, 220.946_098_424_520_5, -275.928_510_446_968_7, 138.357_751_867_269, -30.664_798_066_147_16, 2.506_628_277_459_239]
  const b = [-54.476_098_798_224_06, 161.585_836_858_040_9, -155.698_979_859_886_6, 66.801_311_887_719_72, -13.280_681_552_885_72]
  const c = [-0.007_784_894_002_430_293, -0.322_396_458_041_136_4, -2.400_758_277_161_838, -2.549_732_539_343_734, 4.374_664_141_464_968, 2.938_163_982_698_783]
  const d = [0.007_784_695_709_041_462, 0.322_467_129_070_039_8, 2.445_134_137_142_996, 3.754_408_661_907_416]
  const tail = (q: number) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  if (p < 0.024_25) return tail(Math.sqrt(-2 * Math.log(p)))
  if (p > 1 - 0.024_25) return -tail(Math.sqrt(-2 * Math.log(1 - p)))
  const q = p - 0.5
  const r = q * q
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
}
