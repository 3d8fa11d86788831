/** The gate's output: one row per (scenario, variant, metric) and an overall verdict. */

/** Timing metrics are ratios measured inside one run, so they survive a change of machine. */
export const TIMING_METRICS = ['ratioToGzip', 'ratioToFloor'] as const
/** Deterministic figures: the same inputs must give (nearly) the same numbers anywhere. */
export const FIXED_METRICS = ['storedBytes', 'compressionRatio', 'files', 'rawBytes'] as const
export const GATE_METRICS = [...TIMING_METRICS, ...FIXED_METRICS] as const

export type TimingMetric = (typeof TIMING_METRICS)[number]
export type FixedMetric = (typeof FIXED_METRICS)[number]
export type GateMetric = (typeof GATE_METRICS)[number]

export type Verdict = 'pass' | 'warn' | 'fail' | 'improved' | 'skip'
/** Which restore times timing rows compare: wall-clock samples or CPU-time cpuSamples. */
export type Clock = 'wall' | 'cpu'
export type ClockChoice = Clock | 'auto'
export type OverallVerdict = 'pass' | 'warn' | 'fail'
export const VERDICTS: readonly Verdict[] = ['fail', 'warn', 'pass', 'improved', 'skip']

export interface GateRow {
  scenario: string
  /** A variant for timing metrics, a codec for library metrics, `tree` for tree facts. */
  variant: string
  metric: GateMetric
  /** The clock a timing row compared (absent on deterministic rows). */
  clock?: Clock
  baseline: number | null
  current: number | null
  /** current / baseline − 1; for timing ratios > 0 means slower. */
  change: number | null
  /** Bootstrap interval of `change` (timing metrics only). */
  interval: [number, number] | null
  verdict: Verdict
  reason?: string
}

export interface RunIdentity {
  version: string
  commit: string | null
  date: string
  cpuModel: string
  node: string
}

export interface GateSettings {
  threshold: number
  /** Quantile of restore times the timing ratios compare (0.1 by default; 0.5 = medians). */
  quantile: number
  /** auto: CPU times where both runs recorded them for all four series, else wall-clock. */
  clock: ClockChoice
  warnThreshold: number
  confidence: number
  resamples: number
  seed: number
  bytesTolerance: number
  metrics: GateMetric[]
}

export interface GateReport {
  schema: 'holobench-gate'
  schemaVersion: 1
  verdict: OverallVerdict
  settings: GateSettings
  baseline: RunIdentity
  current: RunIdentity
  counts: Record<Verdict, number>
  rows: GateRow[]
  /** Things a reader should know that are not a row: machine differences, empty comparisons. */
  notes: string[]
  /** How many benchmark runs were pooled into current (when the gate measured it itself). */
  currentRuns?: number
}
