/** The gate's output: one row per (scenario, variant, metric) and an overall verdict. */

/** Timing metrics are ratios measured inside one run, so they survive a change of machine. */
export const TIMING_METRICS = ['ratioToGzip', 'ratioToFloor'] as const
/** Deterministic figures: the same inputs must give (nearly) the same numbers anywhere. */
export const FIXED_METRICS = ['storedBytes', 'compressionRatio', 'files', 'rawBytes'] as const
export const GATE_METRICS = [...TIMING_METRICS, ...FIXED_METRICS] as const

export type TimingMetric = (typeof TIMING_METRICS)[number]
export type FixedMetric = (typeof FIXED_METRICS)[number]
export type GateMetric = (typeof GATE_METRICS)[number]

/**
 * Row verdicts. pass, improved and fail are claims the interval supports; inconclusive means the
 * data could not tell (too noisy for the threshold): never read it as a pass.
 */
export type Verdict = 'pass' | 'inconclusive' | 'fail' | 'improved' | 'skip'
/** Which restore times timing rows compare: wall-clock samples or CPU-time cpuSamples. */
export type Clock = 'wall' | 'cpu'
export type ClockChoice = Clock | 'auto'
export type OverallVerdict = 'pass' | 'inconclusive' | 'fail'
export const VERDICTS: readonly Verdict[] = ['fail', 'inconclusive', 'pass', 'improved', 'skip']

/**
 * Exit codes of `holobench gate`: 2 is any usage or input error (nothing was judged). What an
 * inconclusive verdict exits with is the caller's choice (--inconclusive): 3 by default, so CI
 * sees it, or that of fail or pass.
 */
export const EXIT_CODES = {pass: 0, fail: 1, usage: 2, inconclusive: 3} as const
export const INCONCLUSIVE_POLICIES = ['exit-3', 'fail', 'pass'] as const
export type InconclusivePolicy = (typeof INCONCLUSIVE_POLICIES)[number]

export function exitCodeFor(verdict: OverallVerdict, policy: InconclusivePolicy): number {
  if (verdict !== 'inconclusive') return EXIT_CODES[verdict]
  return policy === 'exit-3' ? EXIT_CODES.inconclusive : EXIT_CODES[policy]
}

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
  /**
   * Timing rows: the smallest true regression this comparison would fail with 80% probability
   * (a fraction, never below the threshold); from the interval's half-width.
   */
  detectable?: number
  verdict: Verdict
  reason?: string
  /** Timing rows judged over pooled runs: how many, and how much runs differed among themselves. */
  runs?: RunSpread
}

/**
 * Runs behind a timing row; the larger side's run-to-run standard deviation of log(ratio) (a
 * fraction, e.g. 0.04 ≈ 4%); and the degrees of freedom of the t interval (0: one run a side, the
 * spread not estimable, so only restore noise is in the interval).
 */
export interface RunSpread {
  baseline: number
  current: number
  sd: number
  df: number
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
  /** Joint confidence of all timing rows together (default 0.95). */
  confidence: number
  /**
   * Confidence of each timing row's interval: 1 − (1 − confidence)/k over the k rows compared
   * (Bonferroni), so that one false fail among many rows stays as rare as `confidence` says.
   * Absent in version-2 reports written before it existed (then equal to confidence).
   */
  rowConfidence?: number
  resamples: number
  seed: number
  bytesTolerance: number
  metrics: GateMetric[]
}

export interface GateReport {
  schema: 'holobench-gate'
  schemaVersion: 2
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
  /** When the gate measured current itself: seconds spent measuring, and the budget it had. */
  measuring?: {seconds: number; budgetSeconds: number; budgetExhausted: boolean}
  /** The largest `detectable` over the timing rows compared: what this run could have missed. */
  detectable?: number
}
