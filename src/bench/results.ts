/**
 * The results.json schema: one serialisable type shared by the runner, every report format and
 * the gate. Bump RESULTS_SCHEMA_VERSION on any incompatible change; readers reject other versions.
 * Times are in seconds, sizes in bytes.
 */
export const RESULTS_SCHEMA = 'holobench-results'
export const RESULTS_SCHEMA_VERSION = 1

export interface ResultsFile {
  schema: typeof RESULTS_SCHEMA
  schemaVersion: typeof RESULTS_SCHEMA_VERSION
  holobench: {version: string; commit: string | null}
  environment: Environment
  settings: RunSettings
  scenarios: ScenarioResult[]
}

export interface Environment {
  date: string // ISO 8601, when the run started
  node: string // process.version
  platform: string // process.platform
  arch: string
  kernel: string // os.release()
  cpuModel: string
  cpuCount: number
  memoryBytes: number
  scratchDir: string
  scratchFs: string // filesystem type of the scratch directory (ext4, tmpfs, xfs, btrfs, …)
  libraryFs: string // filesystem type where the libraries were written
  zstdBackends: string[] // zstd backends available in this process
}

export interface RunSettings {
  argv: string[] // the exact flags the run was started with
  scenarios: string[] // scenario names or `tree:<path>`
  variants: string[]
  warmupRuns: number
  minRuns: number
  minTimeSeconds: number
  jobs: number
  /** Lifted as RCC does, without __pycache__, *.pyc, .git, … (absent in older files: false). */
  rccExcludes?: boolean
  /** Rounds the variants were interleaved in (absent in older files: 1). */
  rounds?: number
}

export interface ScenarioResult {
  scenario: string // scenario name, or `tree:<basename>` for a real directory
  source: {kind: 'scenario'; definitionDigest: string; seed: number} | {kind: 'tree'; path: string}
  tree: TreeFacts
  libraries: LibraryResult[] // one per codec lifted
  rows: VariantResult[]
}

export interface TreeFacts {
  files: number // regular files
  dirs: number
  symlinks: number
  bytes: number // raw bytes of regular files
  relocatedFiles: number // files with at least one relocation
}

export interface LibraryResult {
  codec: string // gzip | gzip-pure | zstd | none
  zstdBackend?: string
  rawBytes: number
  storedBytes: number // bytes of the library files this catalog uses, as stored
  ratio: number // rawBytes / storedBytes
  liftSeconds: number
  catalogBytes: number
}

export type VariantStatus = 'ok' | 'unsupported' | 'failed'

export interface VariantResult {
  variant: string // gzip, gzip-pure, zstd, zstd-noverify, none-copy, none-reflink, none-hardlink, floor, zstd@zlib …
  codec: string | null // null for the floor row
  verify: boolean
  strategy: string // copy | reflink | hardlink | floor
  zstdBackend?: string
  status: VariantStatus
  reason?: string // why unsupported or failed
  samples: number[] // seconds per restore, in run order
  // Optional (added for the gate; absent in older files): process CPU seconds (user + system,
  // all threads) of each restore, same order as samples. Preemption on a busy machine does not
  // count, so ratios of CPU times stay steady where wall-clock ratios swing.
  cpuSamples?: number[]
  stats: Stats | null // null unless status is ok
  ratioToGzip: Ratio | null // time / gzip time: < 1 is faster than gzip
  ratioToFloor: Ratio | null // time / floor time: >= 1 in practice
  outliers: number[] // indices into samples flagged as outliers (MAD-based)
  strategyCounts?: Record<string, number> // files per strategy actually used, from the drop result
}

export interface Stats {
  runs: number
  mean: number
  median: number
  p75: number
  p99: number
  min: number
  max: number
  sd: number
  mad: number // median absolute deviation
  rme: number // relative margin of error, percent (95%)
  filesPerSecond: number // files / median
  mbPerSecond: number // raw MB (1e6 bytes) / median
}

/** A ratio of medians with a 95% interval (bootstrap over the samples). */
export interface Ratio {
  value: number
  low: number
  high: number
}
