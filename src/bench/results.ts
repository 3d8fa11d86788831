/**
 * The results.json schema: one serialisable type shared by the runner, every report format and
 * the gate. Bump RESULTS_SCHEMA_VERSION on any incompatible change; readers reject other versions.
 * Times are in seconds, sizes in bytes.
 */
export const RESULTS_SCHEMA = 'holobench-results'
export const RESULTS_SCHEMA_VERSION = 2

/**
 * How restores were timed. `process`: every timed restore is a fresh process (`holobench drop`,
 * an external engine), timed from spawn to exit, as a user runs a restore. `in-process`: the
 * engine called in this long-lived process, warmed up (engine profiling; schema version 1 files).
 */
export type RunMode = 'process' | 'in-process'
export const RUN_MODES: readonly RunMode[] = ['process', 'in-process']

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
  /** How holobench's variants were timed (version 1 files: in-process). */
  mode: RunMode
  /** External engines timed beside the variants, as given (absent: none). */
  engines?: EngineSpec[]
  /** `run --candidates`, or a run with level or candidate rows: proposals beyond the seed (absent: false). */
  candidates?: boolean
}

/**
 * An external restore implementation timed beside holobench's variants. Templates are split
 * into words as a shell would (quotes, backslashes, $VAR), then `{placeholder}`s are filled in
 * each word; the first word is run directly, without a shell.
 */
export interface EngineSpec {
  name: string
  /** Restore command: {catalog} {library} {target} {codec} {identity}; {target} is required. */
  restore: string
  /**
   * Lift command for an engine that lifts its own library ({tree} {library} {codec} {identity}):
   * run once per scenario, outside the timed region; the last line it prints becomes {catalog}.
   */
  lift?: string
  /** Restore from the library another engine lifted (its {library} and {catalog}). */
  libraryOf?: string
  /** The codec of the library it restores (holobench lifts one for it when no lift is given). Default gzip. */
  codec?: string
  /** Whether it verifies digests while restoring, when known (claims need it); default true. */
  verify?: boolean
  /** A regular expression whose first group is the engine's own restore time in seconds, read from its output. */
  engineTime?: string
  /** Files the engine adds at the top of the tree (RCC: identity.yaml); the tree check ignores them. */
  extraFiles?: string[]
  /** Lift as RCC does (without __pycache__, *.pyc, .git, …): the tree check expects that tree. */
  rccExcludes?: boolean
  /** The row this engine's ratioToGzip is taken against (default: holobench's gzip row). */
  gzipReference?: string
}

export interface ScenarioResult {
  scenario: string // scenario name, or `tree:<basename>` for a real directory
  source: {kind: 'scenario'; definitionDigest: string; seed: number} | {kind: 'tree'; path: string}
  tree: TreeFacts
  libraries: LibraryResult[] // one per codec lifted
  /** Libraries external engines lifted themselves (absent: none). */
  engineLibraries?: EngineLibraryResult[]
  rows: VariantResult[]
}

export interface EngineLibraryResult {
  engine: string // the engine that lifted it
  files: number // regular files in its library directory
  storedBytes: number // bytes of those files
  liftSeconds: number // wall time of the lift process
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
  /** Compression level it was lifted at, when not the codec's default (RCC's: 1); absent: default. */
  level?: number
  zstdBackend?: string
  rawBytes: number
  storedBytes: number // bytes of the library files this catalog uses, as stored
  ratio: number // rawBytes / storedBytes
  liftSeconds: number
  catalogBytes: number
}

/** `wrong`: the restored tree differs from the expected one (reason says how); such rows are not timed. */
export type VariantStatus = 'ok' | 'unsupported' | 'failed' | 'wrong'
export const VARIANT_STATUSES: readonly VariantStatus[] = ['ok', 'unsupported', 'failed', 'wrong']

/** What a row times: one of holobench's restore variants, the floor (floor, cp), or an external engine. */
export type RowKind = 'variant' | 'floor' | 'engine'

export interface VariantResult {
  variant: string // gzip, gzip-pure, zstd, zstd-noverify, none-copy, none-reflink, none-hardlink, floor, zstd@zlib …, or an engine's name
  kind: RowKind
  /** How this row was timed: floor is in-process in both modes, cp and engines always processes. */
  mode: RunMode
  codec: string | null // null for the floor row
  verify: boolean
  strategy: string // copy | reflink | hardlink | floor | engine
  zstdBackend?: string
  status: VariantStatus
  reason?: string // why unsupported or failed
  samples: number[] // seconds per restore, in run order
  // Optional (added for the gate; absent in older files): process CPU seconds (user + system,
  // all threads) of each restore, same order as samples. Preemption on a busy machine does not
  // count, so ratios of CPU times stay steady where wall-clock ratios swing.
  cpuSamples?: number[]
  // Optional: the restore's own time as the engine reported it (holobench drop --json `seconds`,
  // an engine's engineTime pattern), same order as samples; process start and exit excluded.
  engineSamples?: number[]
  // Optional: restores each pooled run contributed, in order, summing to samples.length (written
  // when runs are pooled: `gate`, a baseline; absent: one run). The gate reads between-run spread from it.
  runSizes?: number[]
  stats: Stats | null // null unless status is ok
  ratioToGzip: Ratio | null // time / gzip time: < 1 is faster than gzip
  ratioToFloor: Ratio | null // time / floor time: >= 1 in practice
  outliers: number[] // indices into samples flagged as outliers (MAD-based)
  strategyCounts?: Record<string, number> // files per strategy actually used, from the drop result
  gzipReference?: string // the row ratioToGzip is against, when not holobench's gzip row (engines)
  libraryOf?: string // engines: the engine whose own library (engineLibraries) this row restored; absent: holobench's library of its codec
  /** The tree check of the first restore (variants and engines; not floor/cp). */
  check?: TreeCheck
  /** Compression level of the library it restored, when not the codec's default (level rows: zstd-l19). */
  level?: number
  /** Rows that are proposals beyond the seed (`run --candidates`): what they cost and who reads them. */
  candidate?: CandidateFacts
}

/**
 * Whether RCC can restore from what a row restores: released RCC (`upstream`, gzip or
 * uncompressed hololibs), only RCC's zstd fork (`zstd-fork`), or `neither`; `takes` says in one
 * sentence what RCC would need, with the RCC source file where one applies.
 */
export interface RccReadability {
  reads: 'upstream' | 'zstd-fork' | 'neither'
  takes: string
}
export const RCC_READERS: ReadonlyArray<RccReadability['reads']> = ['upstream', 'zstd-fork', 'neither']

/**
 * A candidate row's own facts. `storedBytes` is every byte on disk the row's restores need (a
 * pack plus the library files it still reads, a library plus its dictionary, a library plus an
 * uncompressed cache), so rows compare at their full disk cost; `liftSeconds` is the one-time
 * cost of building all of it from the tree (wall time, outside the timed restores).
 */
export interface CandidateFacts {
  /** What kind of proposal: level, pack, dict, dual-cache, warm, … */
  family: string
  /** One line: what this row restores from and how. */
  summary: string
  rcc: RccReadability
  storedBytes: number
  rawBytes: number
  liftSeconds: number
  /** What differs from a real restore, if anything (said beside the numbers). */
  caveat?: string
}

export interface TreeCheck {
  ok: boolean
  files: number // regular files compared
  dirs: number
  symlinks: number
  problems: string[] // the first few differences, one line each
  problemCount: number
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

/**
 * Results as this holobench reads them: version 2 as is; version 1 files (all in-process, no
 * engines) are upgraded in memory so reports and the gate still read them. Anything else is
 * returned unchanged for the caller's version check to refuse.
 */
export function upgradeResults(value: unknown): unknown {
  const file = value as {schema?: unknown; schemaVersion?: unknown; settings?: Record<string, unknown>; scenarios?: unknown}
  if (typeof value !== 'object' || value === null || file.schema !== RESULTS_SCHEMA || file.schemaVersion !== 1) return value
  const scenarios = Array.isArray(file.scenarios) ? file.scenarios : []
  return {
    ...file,
    schemaVersion: RESULTS_SCHEMA_VERSION,
    settings: {...file.settings, mode: 'in-process'},
    scenarios: scenarios.map((scenario: {rows?: unknown}) => ({
      ...scenario,
      rows: Array.isArray(scenario?.rows)
        ? scenario.rows.map((row: {variant?: unknown; strategy?: unknown}) => ({
            ...row,
            kind: row?.strategy === 'floor' ? 'floor' : 'variant',
            mode: row?.variant === 'cp' ? 'process' : 'in-process',
          }))
        : scenario?.rows,
    })),
  }
}
