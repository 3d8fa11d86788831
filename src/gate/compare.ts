/**
 * compareResults: judge a current results file against a baseline. Pure: no I/O, no clock, and
 * deterministic (seeded bootstrap), so the same two files always give the same report.
 */
import {hashSeed} from '../bench/random.js'
import type {LibraryResult, ResultsFile, ScenarioResult, VariantResult} from '../bench/results.js'
import {HoloError} from '../engine/errors.js'
import {assertComparable} from './compatibility.js'
import {judgeFixed} from './fixed.js'
import {
  GATE_METRICS,
  TIMING_METRICS,
  VERDICTS,
  type Clock,
  type GateMetric,
  type GateReport,
  type GateRow,
  type GateSettings,
  type OverallVerdict,
  type RunIdentity,
  type TimingMetric,
  type Verdict,
} from './report.js'
import {detectableChange, judgeTiming, ratioChange} from './timing.js'

export interface CompareOptions {
  /** Regression size that fails, as a fraction: 0.10 = 10% slower relative to the reference. */
  threshold: number
  /** Metrics to judge (default all of GATE_METRICS). */
  metrics?: string[]
  /** Two-sided confidence of the bootstrap intervals (default 0.95). */
  confidence?: number
  /** Quantile of restore times the timing ratios compare (default 0.1; 0.5 = ratio of medians). */
  quantile?: number
  /** Restore times to compare: `cpu`, `wall`, or `auto` (default: cpu when recorded, else wall). */
  clock?: string
  resamples?: number
  seed?: number
  /** Allowed relative drift of stored bytes and compression ratio (default 0.01). */
  bytesTolerance?: number
}

const REFERENCE: Record<TimingMetric, string> = {ratioToGzip: 'gzip', ratioToFloor: 'floor'}

export function compareResults(baseline: ResultsFile, current: ResultsFile, options: CompareOptions): GateReport {
  const settings = resolveSettings(options)
  assertComparable(baseline, current)
  const wanted = new Set(settings.metrics)
  const planned: Array<GateRow | PendingRow> = []
  for (const base of baseline.scenarios) {
    const other = current.scenarios.find((scenario) => scenario.scenario === base.scenario)!
    planned.push(...timingRows(base, other, settings, wanted))
    planned.push(...libraryRows(base, other, settings, wanted))
    planned.push(...treeRows(base, other, wanted))
  }
  // The verdict is a family of timing judgements: any one false fail fails the build. Each row's
  // interval is therefore at 1 − (1 − confidence)/k for k compared rows (Bonferroni), so the
  // whole report is wrong with chance at most 1 − confidence.
  const timed = planned.filter((row) => typeof row === 'function').length
  const rowConfidence = 1 - (1 - settings.confidence) / Math.max(1, timed)
  const rows = planned.map((row) => (typeof row === 'function' ? row(rowConfidence) : row))

  const counts = Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>
  for (const row of rows) counts[row.verdict]++
  const notes = environmentNotes(baseline, current)
  const compared = rows.length - counts.skip
  if (compared === 0) notes.push('no row could be compared (every row was skipped or filtered out): nothing was gated')
  const verdict: OverallVerdict = counts.fail > 0 ? 'fail' : counts.inconclusive > 0 || compared === 0 ? 'inconclusive' : 'pass'
  const detectable = rows.flatMap((row) => (row.detectable === undefined ? [] : [row.detectable]))
  return {
    schema: 'holobench-gate',
    schemaVersion: 2,
    verdict,
    settings: {...settings, rowConfidence},
    baseline: identity(baseline),
    current: identity(current),
    counts,
    rows,
    notes,
    ...(detectable.length > 0 ? {detectable: Math.max(...detectable)} : {}),
  }
}

function resolveSettings(options: CompareOptions): GateSettings {
  const threshold = options.threshold
  const confidence = options.confidence ?? 0.95
  const resamples = options.resamples ?? 2000
  const bytesTolerance = options.bytesTolerance ?? 0.01
  const quantile = options.quantile ?? 0.1
  const clock = options.clock ?? 'auto'
  if (clock !== 'auto' && clock !== 'wall' && clock !== 'cpu') throw usage(`clock must be auto, wall or cpu, got ${clock}`)
  if (!(Number.isFinite(threshold) && threshold > 0)) throw usage(`threshold must be a positive fraction, got ${threshold}`)
  if (!(confidence > 0 && confidence < 1)) throw usage(`confidence must be between 0 and 1, got ${confidence}`)
  if (!(quantile >= 0 && quantile <= 1)) throw usage(`quantile must be between 0 and 1, got ${quantile}`)
  if (!(Number.isInteger(resamples) && resamples >= 100)) throw usage(`resamples must be an integer >= 100, got ${resamples}`)
  if (!(bytesTolerance >= 0)) throw usage(`bytes tolerance must be >= 0, got ${bytesTolerance}`)
  const unknown = (options.metrics ?? []).filter((metric) => !(GATE_METRICS as readonly string[]).includes(metric))
  if (unknown.length > 0) throw usage(`unknown metric ${unknown.join(', ')}; known: ${GATE_METRICS.join(', ')}`)
  const metrics = options.metrics?.length ? GATE_METRICS.filter((metric) => options.metrics!.includes(metric)) : [...GATE_METRICS]
  return {threshold, quantile, clock, confidence, resamples, seed: options.seed ?? 1, bytesTolerance, metrics}
}

/** A timing row waiting for the per-row confidence, known once every row is counted. */
type PendingRow = (rowConfidence: number) => GateRow

function timingRows(base: ScenarioResult, other: ScenarioResult, settings: GateSettings, wanted: Set<GateMetric>): Array<GateRow | PendingRow> {
  const variants = [...new Set([...base.rows, ...other.rows].map((row) => row.variant))]
  const rows: Array<GateRow | PendingRow> = []
  for (const variant of variants) {
    for (const metric of TIMING_METRICS) {
      const reference = REFERENCE[metric]
      // A row against itself says nothing; floor/gzip is gzip/floor upside down.
      if (!wanted.has(metric) || variant === reference || (metric === 'ratioToGzip' && variant === 'floor')) continue
      const row = {scenario: base.scenario, variant, metric}
      const pairs = {
        baseline: {variant: find(base, variant), reference: find(base, reference)},
        current: {variant: find(other, variant), reference: find(other, reference)},
      }
      const why = skipReason(pairs.baseline.variant, 'baseline', variant) ?? skipReason(pairs.current.variant, 'current', variant) ??
        skipReason(pairs.baseline.reference, 'baseline', reference, true) ?? skipReason(pairs.current.reference, 'current', reference, true)
      if (why) {
        rows.push({...row, baseline: null, current: null, change: null, interval: null, verdict: 'skip', reason: why})
        continue
      }
      const series = [pairs.baseline.variant!, pairs.baseline.reference!, pairs.current.variant!, pairs.current.reference!]
      const clock = chooseClock(settings.clock, series)
      if (!clock) {
        rows.push({...row, baseline: null, current: null, change: null, interval: null, verdict: 'skip', reason: 'no CPU times recorded (--clock cpu)'})
        continue
      }
      const times = series.map((result) => (clock === 'cpu' ? result.cpuSamples! : result.samples))
      const runs = series.map((result) => result.runSizes)
      rows.push((confidence) => {
        const result = ratioChange(
          {variant: times[0], reference: times[1], variantRuns: runs[0], referenceRuns: runs[1]},
          {variant: times[2], reference: times[3], variantRuns: runs[2], referenceRuns: runs[3]},
          {resamples: settings.resamples, confidence, quantile: settings.quantile, seed: hashSeed(settings.seed, base.scenario, variant, metric)},
        )
        return {...row, clock, ...result, detectable: detectableChange(result.interval, {...settings, confidence}), verdict: judgeTiming(result.change, result.interval, settings)}
      })
    }
  }
  return rows
}

function skipReason(row: VariantResult | undefined, role: string, variant: string, isReference = false): string | undefined {
  const what = isReference ? `reference ${variant}` : variant
  if (!row) return role === 'baseline' ? `${what} not in baseline` : `${what} not measured in current`
  if (row.status !== 'ok') return `${what} ${row.status} in ${role}${row.reason ? `: ${row.reason}` : ''}`
  if (row.samples.length === 0 || row.samples.some((value) => !(value > 0))) return `${what} has no usable samples in ${role}`
  return undefined
}

/** CPU times only when every series has a usable set: a ratio must not mix clocks. */
function chooseClock(choice: GateSettings['clock'], series: VariantResult[]): Clock | undefined {
  const usable = series.every(
    (result) => Array.isArray(result.cpuSamples) && result.cpuSamples.length === result.samples.length && result.cpuSamples.every((value) => value > 0 && Number.isFinite(value)),
  )
  if (choice === 'wall') return 'wall'
  if (choice === 'cpu') return usable ? 'cpu' : undefined
  return usable ? 'cpu' : 'wall'
}

function libraryRows(base: ScenarioResult, other: ScenarioResult, settings: GateSettings, wanted: Set<GateMetric>): GateRow[] {
  const codecs = [...new Set([...base.libraries, ...other.libraries].map((library) => library.codec))]
  const rows: GateRow[] = []
  for (const codec of codecs) {
    const before = base.libraries.find((library) => library.codec === codec)
    const after = other.libraries.find((library) => library.codec === codec)
    const pick: Record<'storedBytes' | 'compressionRatio', (library: LibraryResult) => number> = {
      storedBytes: (library) => library.storedBytes,
      compressionRatio: (library) => library.ratio,
    }
    for (const metric of ['storedBytes', 'compressionRatio'] as const) {
      if (!wanted.has(metric)) continue
      const row = {scenario: base.scenario, variant: codec, metric}
      if (!before || !after) {
        const reason = `${codec} library ${before ? 'not lifted in current' : 'not in baseline'}`
        rows.push({...row, baseline: null, current: null, change: null, interval: null, verdict: 'skip', reason})
        continue
      }
      const [b, c] = [pick[metric](before), pick[metric](after)]
      const judged = judgeFixed(metric, b, c, settings.bytesTolerance)
      const backend = before.zstdBackend !== after.zstdBackend ? `zstd backend ${before.zstdBackend ?? 'none'} → ${after.zstdBackend ?? 'none'}` : undefined
      rows.push({...row, baseline: b, current: c, change: judged.change, interval: null, verdict: judged.verdict, ...(backend ? {reason: backend} : {})})
    }
  }
  return rows
}

function treeRows(base: ScenarioResult, other: ScenarioResult, wanted: Set<GateMetric>): GateRow[] {
  const facts = {files: (s: ScenarioResult) => s.tree.files, rawBytes: (s: ScenarioResult) => s.tree.bytes}
  return (['files', 'rawBytes'] as const)
    .filter((metric) => wanted.has(metric))
    .map((metric) => {
      const [b, c] = [facts[metric](base), facts[metric](other)]
      const judged = judgeFixed(metric, b, c, 0)
      return {
        scenario: base.scenario,
        variant: 'tree',
        metric,
        baseline: b,
        current: c,
        change: judged.change,
        interval: null,
        verdict: judged.verdict,
        ...(judged.verdict === 'fail' ? {reason: 'the tree differs: the gate compared different workloads'} : {}),
      }
    })
}

function find(scenario: ScenarioResult, variant: string): VariantResult | undefined {
  return scenario.rows.find((row) => row.variant === variant)
}

function identity(file: ResultsFile): RunIdentity {
  const {environment: env, holobench} = file
  return {version: holobench.version, commit: holobench.commit, date: env.date, cpuModel: env.cpuModel, node: env.node}
}

/** Differences that do not invalidate the comparison but explain surprises. */
function environmentNotes(baseline: ResultsFile, current: ResultsFile): string[] {
  const [b, c] = [baseline.environment, current.environment]
  const facts: Array<[string, string | number, string | number]> = [
    ['cpu', b.cpuModel, c.cpuModel],
    ['cpus', b.cpuCount, c.cpuCount],
    ['platform', `${b.platform}/${b.arch}`, `${c.platform}/${c.arch}`],
    ['node', b.node, c.node],
    ['scratch filesystem', b.scratchFs, c.scratchFs],
    ['zstd backends', b.zstdBackends.join(' '), c.zstdBackends.join(' ')],
  ]
  const notes: string[] = []
  const changed = facts.filter(([, before, after]) => before !== after).map(([name, before, after]) => `${name}: ${before} → ${after}`)
  if (changed.length > 0) {
    notes.push(`baseline and current ran on different setups (${changed.join('; ')}); the gate compares in-run ratios and deterministic figures, not absolute seconds`)
  }
  if (baseline.settings.jobs !== current.settings.jobs) {
    notes.push(`restore parallelism differs (jobs ${baseline.settings.jobs} → ${current.settings.jobs}): ratios depend on it`)
  }
  return notes
}

function usage(message: string): HoloError {
  return new HoloError('EUSAGE', message)
}

