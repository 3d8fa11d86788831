/**
 * The one column table every report format is derived from: CSV headers (`id`), the HTML table
 * and the Markdown table (`views`), and the documented header list (src/report/README.md, checked
 * by a test). Add a column here and every format gets it; never keep a second list.
 */
import type {Environment, LibraryResult, ResultsFile, RunSettings, ScenarioResult, VariantResult} from '../bench/results.js'
import {median} from '../bench/quantile.js'
import {formatBytes, formatCount, formatInterval, formatPercent, formatSeconds, formatTimes, speedupOf} from './format.js'

export type ColumnView = 'csv' | 'html' | 'md'
export type Cell = string | number | boolean | null

/** What `s`, `bytes`, … mean for display; the CSV always holds the raw number. */
export type ColumnUnit = '' | 's' | 'bytes' | 'x' | '%' | 'count' | '1/s' | 'MB/s'

/** One (run, scenario, variant) row, with the library of the row's codec looked up once. */
export interface RowContext {
  label: string // the run's label (file name), distinguishes runs in one CSV
  file: ResultsFile
  scenario: ScenarioResult
  row: VariantResult
  library: LibraryResult | null
}

export interface Column {
  id: string // CSV header: snake_case, stable; renaming one breaks people's spreadsheets
  header: string // short human header for HTML and Markdown
  description: string
  unit: ColumnUnit
  views: readonly ColumnView[]
  get(context: RowContext): Cell
  /** Display text for HTML/Markdown when the default unit formatting is not enough. */
  display?(context: RowContext): string
  /** For ratio columns: the value with its 95% interval, so HTML can set the interval apart. */
  interval?(context: RowContext): {value: number; low: number; high: number} | null
}

/** A per-run or per-scenario fact: shown once in HTML, repeated on every CSV row. */
export interface Field<T> {
  id: string
  label: string
  description: string
  unit: ColumnUnit
  get(source: T): Cell
}

const ALL: readonly ColumnView[] = ['csv', 'html', 'md']
const CSV_HTML: readonly ColumnView[] = ['csv', 'html']
const CSV: readonly ColumnView[] = ['csv']

export const ENVIRONMENT_FIELDS: ReadonlyArray<Field<Environment>> = [
  {id: 'date', label: 'Run started', description: 'when the run started (ISO 8601)', unit: '', get: (e) => e.date},
  {id: 'node', label: 'Node.js', description: 'Node.js version', unit: '', get: (e) => e.node},
  {id: 'platform', label: 'Platform', description: 'process.platform', unit: '', get: (e) => e.platform},
  {id: 'arch', label: 'Architecture', description: 'CPU architecture', unit: '', get: (e) => e.arch},
  {id: 'kernel', label: 'Kernel', description: 'os.release()', unit: '', get: (e) => e.kernel},
  {id: 'cpu_model', label: 'CPU', description: 'CPU model', unit: '', get: (e) => e.cpuModel},
  {id: 'cpu_count', label: 'CPUs', description: 'logical CPUs', unit: 'count', get: (e) => e.cpuCount},
  {id: 'memory_bytes', label: 'Memory', description: 'total memory', unit: 'bytes', get: (e) => e.memoryBytes},
  {id: 'scratch_dir', label: 'Scratch directory', description: 'where restores were written', unit: '', get: (e) => e.scratchDir},
  {id: 'scratch_fs', label: 'Scratch filesystem', description: 'filesystem type of the scratch directory', unit: '', get: (e) => e.scratchFs},
  {id: 'library_fs', label: 'Library filesystem', description: 'filesystem type where the libraries were written', unit: '', get: (e) => e.libraryFs},
  {id: 'zstd_backends', label: 'zstd backends', description: 'zstd backends available, space-separated', unit: '', get: (e) => e.zstdBackends.join(' ')},
]

export const SETTINGS_FIELDS: ReadonlyArray<Field<ResultsFile>> = [
  {id: 'holobench_version', label: 'holobench', description: 'holobench version', unit: '', get: (f) => f.holobench.version},
  {id: 'holobench_commit', label: 'Commit', description: 'holobench git commit, empty if unknown', unit: '', get: (f) => f.holobench.commit},
  settingsField('warmup_runs', 'Warm-up runs', 'warm-up restores per variant, not measured', 'count', (s) => s.warmupRuns),
  settingsField('min_runs', 'Minimum runs', 'minimum measured restores per variant', 'count', (s) => s.minRuns),
  settingsField('min_time_s', 'Minimum time', 'minimum measuring time per variant', 's', (s) => s.minTimeSeconds),
  settingsField('jobs', 'Jobs', 'parallel restore workers', 'count', (s) => s.jobs),
  settingsField('argv', 'Command line', 'the flags the run was started with, space-separated', '', (s) => s.argv.join(' ')),
]

function settingsField(id: string, label: string, description: string, unit: ColumnUnit, get: (s: RunSettings) => Cell): Field<ResultsFile> {
  return {id, label, description, unit, get: (f) => get(f.settings)}
}

export const SCENARIO_FIELDS: ReadonlyArray<Field<ScenarioResult>> = [
  {id: 'files', label: 'Files', description: 'regular files in the tree', unit: 'count', get: (s) => s.tree.files},
  {id: 'dirs', label: 'Directories', description: 'directories in the tree', unit: 'count', get: (s) => s.tree.dirs},
  {id: 'symlinks', label: 'Symlinks', description: 'symbolic links in the tree', unit: 'count', get: (s) => s.tree.symlinks},
  {id: 'bytes', label: 'Raw size', description: 'raw bytes of regular files', unit: 'bytes', get: (s) => s.tree.bytes},
  {id: 'relocated_files', label: 'Relocated files', description: 'files with at least one relocation', unit: 'count', get: (s) => s.tree.relocatedFiles},
  {id: 'source', label: 'Source', description: '`scenario` (generated) or `tree` (a real directory)', unit: '', get: (s) => s.source.kind},
  {id: 'seed', label: 'Seed', description: 'generator seed (scenario sources only)', unit: '', get: (s) => (s.source.kind === 'scenario' ? s.source.seed : null)},
  {id: 'definition_digest', label: 'Definition digest', description: 'digest of the scenario definition (scenario sources only)', unit: '', get: (s) => (s.source.kind === 'scenario' ? s.source.definitionDigest : null)},
]

/** A statistic column; null unless the row is ok. */
function stat(id: string, header: string, description: string, unit: ColumnUnit, views: readonly ColumnView[], key: keyof NonNullable<VariantResult['stats']>): Column {
  return {id, header, description, unit, views, get: ({row}) => row.stats?.[key] ?? null}
}

/** Three CSV columns (value, low, high) for a ratio; the first also shows in HTML/Markdown with its interval. */
function ratioColumns(
  id: string,
  header: string,
  description: string,
  views: readonly ColumnView[],
  pick: (row: VariantResult) => {value: number; low: number; high: number} | null,
  /** The row this ratio is against: itself it shows as 1× with no interval. */
  against?: string,
): Column[] {
  return [
    {
      id,
      header,
      description: `${description} (95% interval in the _low and _high columns)`,
      unit: 'x',
      views,
      get: ({row}) => pick(row)?.value ?? null,
      // A row against itself is 1× by definition: no interval, which would suggest a measured spread.
      interval: ({row}) => (row.variant === against ? null : pick(row)),
      display: ({row}) => {
        if (row.variant === against && pick(row)) return '1× (baseline)'
        const value = pick(row)
        return value ? formatInterval(value) : ''
      },
    },
    {id: `${id}_low`, header: `${header} low`, description: `lower end of the 95% interval of ${id}`, unit: 'x', views: CSV, get: ({row}) => pick(row)?.low ?? null},
    {id: `${id}_high`, header: `${header} high`, description: `upper end of the 95% interval of ${id}`, unit: 'x', views: CSV, get: ({row}) => pick(row)?.high ?? null},
  ]
}

export const COLUMNS: readonly Column[] = [
  {id: 'run', header: 'Run', description: 'label of the results file (its name), to tell runs apart in one sheet', unit: '', views: CSV, get: (c) => c.label},
  {id: 'scenario', header: 'Scenario', description: 'scenario name, or `tree:<name>` for a real directory', unit: '', views: CSV, get: (c) => c.scenario.scenario},
  {id: 'variant', header: 'Variant', description: 'what was restored: gzip, zstd, zstd-noverify, none-reflink, floor (plain recursive copy), …', unit: '', views: ALL, get: (c) => c.row.variant},
  {id: 'kind', header: 'Kind', description: "variant (holobench's restore), floor (floor, cp) or engine (an external restore, --engine)", unit: '', views: CSV, get: (c) => c.row.kind},
  {id: 'mode', header: 'Timed as', description: 'process (a fresh process per restore, spawn to exit) or in-process (warmed-up engine in one process: profiling)', unit: '', views: CSV, get: (c) => c.row.mode},
  {id: 'codec', header: 'Codec', description: 'library codec; empty for the floor row', unit: '', views: CSV, get: (c) => c.row.codec},
  {id: 'verify', header: 'Verify', description: 'whether restored content was hashed and checked (true/false)', unit: '', views: CSV, get: (c) => c.row.verify},
  {id: 'strategy', header: 'Strategy', description: 'how files were written: copy, reflink, hardlink or floor', unit: '', views: CSV, get: (c) => c.row.strategy},
  {id: 'zstd_backend', header: 'zstd backend', description: 'zstd implementation used (napi or zlib), empty otherwise', unit: '', views: CSV, get: (c) => c.row.zstdBackend ?? null},
  {
    id: 'status',
    header: 'Status',
    description: 'ok, unsupported, failed, or wrong (restored a wrong tree: not timed)',
    unit: '',
    views: ALL,
    get: (c) => c.row.status,
    display: ({row}) => (row.status === 'ok' ? 'ok' : `${row.status}${row.reason ? `: ${row.reason}` : ''}`),
  },
  {id: 'reason', header: 'Reason', description: 'why the variant is unsupported or failed', unit: '', views: CSV, get: (c) => c.row.reason ?? null},
  stat('runs', 'Runs', 'measured restores', 'count', CSV_HTML, 'runs'),
  {id: 'engine_median_s', header: 'Engine time', description: "median of the restore's own time as the engine reported it (process start and exit excluded); empty when not reported", unit: 's', views: CSV, get: (c) => (c.row.engineSamples?.length ? median(c.row.engineSamples) : null)},
  stat('median_s', 'Median', 'median restore time', 's', ALL, 'median'),
  stat('mean_s', 'Mean', 'mean restore time', 's', CSV_HTML, 'mean'),
  stat('p75_s', 'p75', '75th percentile restore time', 's', ALL, 'p75'),
  stat('p99_s', 'p99', '99th percentile restore time', 's', CSV_HTML, 'p99'),
  stat('min_s', 'Min', 'fastest restore', 's', CSV_HTML, 'min'),
  stat('max_s', 'Max', 'slowest restore', 's', CSV_HTML, 'max'),
  stat('sd_s', 'SD', 'standard deviation of restore times', 's', CSV_HTML, 'sd'),
  stat('mad_s', 'MAD', 'median absolute deviation of restore times', 's', CSV, 'mad'),
  stat('rme_pct', '±RME', 'relative margin of error of the mean at 95%, in percent', '%', CSV_HTML, 'rme'),
  stat('files_per_s', 'Files/s', 'files restored per second at the median time', '1/s', CSV, 'filesPerSecond'),
  stat('mb_per_s', 'MB/s', 'raw megabytes (1e6 bytes) restored per second at the median time', 'MB/s', CSV_HTML, 'mbPerSecond'),
  ...ratioColumns('speedup_vs_gzip', 'Speed-up vs gzip', 'gzip median time / this median time; above 1 is faster than gzip', ALL, (row) =>
    row.ratioToGzip ? speedupOf(row.ratioToGzip) : null,
  'gzip'),
  ...ratioColumns('ratio_to_gzip', 'Time / gzip', 'this median time / gzip median time, as in results.json; below 1 is faster', CSV, (row) => row.ratioToGzip),
  ...ratioColumns('ratio_to_floor', 'Time / floor', 'this median time / floor median time: how far from a plain copy', ALL, (row) => row.ratioToFloor, 'floor'),
  {id: 'outliers', header: 'Outliers', description: 'samples flagged as outliers (MAD-based); they are kept in every statistic', unit: 'count', views: CSV, get: (c) => c.row.outliers.length},
  {id: 'library_codec', header: 'Library', description: 'codec of the library this row restored from; empty for the floor row', unit: '', views: CSV, get: (c) => c.library?.codec ?? null},
  {id: 'library_stored_bytes', header: 'Stored', description: 'bytes of the library files this catalog uses, as stored', unit: 'bytes', views: ALL, get: (c) => c.library?.storedBytes ?? null},
  {id: 'library_raw_bytes', header: 'Library raw', description: 'raw bytes of the library files this catalog uses', unit: 'bytes', views: CSV, get: (c) => c.library?.rawBytes ?? null},
  {id: 'library_ratio', header: 'Compression', description: 'library raw bytes / stored bytes', unit: 'x', views: CSV, get: (c) => c.library?.ratio ?? null},
  {id: 'library_catalog_bytes', header: 'Catalog', description: 'bytes of the catalog file', unit: 'bytes', views: CSV, get: (c) => c.library?.catalogBytes ?? null},
  {id: 'library_lift_s', header: 'Lift', description: 'time to build (lift) the library', unit: 's', views: CSV, get: (c) => c.library?.liftSeconds ?? null},
  {id: 'library_level', header: 'Level', description: 'compression level of the library (1, as RCC writes, unless a level row or candidate says otherwise); empty when uncompressed', unit: 'count', views: CSV, get: (c) => (c.library && c.library.codec !== 'none' ? (c.library.level ?? 1) : null)},
  {id: 'candidate_family', header: 'Candidate', description: 'for candidate rows (run --candidates): the family, e.g. pack or dict; empty otherwise', unit: '', views: CSV, get: (c) => c.row.candidate?.family ?? null},
  {id: 'candidate_rcc_reads', header: 'RCC reads', description: 'for candidate rows: who in RCC can restore from it (upstream, zstd-fork or neither); empty otherwise', unit: '', views: CSV, get: (c) => c.row.candidate?.rcc.reads ?? null},
  {
    id: 'strategy_counts',
    header: 'Strategies used',
    description: 'files per write strategy actually used, as `strategy:count` pairs separated by spaces',
    unit: '',
    views: CSV,
    get: (c) => (c.row.strategyCounts ? Object.entries(c.row.strategyCounts).map(([key, count]) => `${key}:${count}`).join(' ') : null),
  },
  {id: 'samples_s', header: 'Samples', description: 'every measured restore time in run order, space-separated, full precision', unit: '', views: CSV, get: (c) => c.row.samples.map(String).join(' ')},
  ...SCENARIO_FIELDS.map((field): Column => ({id: `tree_${field.id}`, header: field.label, description: field.description, unit: field.unit, views: CSV, get: (c) => field.get(c.scenario)})),
  ...ENVIRONMENT_FIELDS.map((field): Column => ({id: `env_${field.id}`, header: field.label, description: field.description, unit: field.unit, views: CSV, get: (c) => field.get(c.file.environment)})),
  ...SETTINGS_FIELDS.map((field): Column => ({id: field.id, header: field.label, description: field.description, unit: field.unit, views: CSV, get: (c) => field.get(c.file)})),
]

export function columnsFor(view: ColumnView): Column[] {
  return COLUMNS.filter((column) => column.views.includes(view))
}

/** Display text for HTML/Markdown; empty for missing values so tables stay quiet. */
export function displayCell(column: Column, context: RowContext): string {
  if (column.display) return column.display(context)
  return formatValue(column.get(context), column.unit)
}

export function formatValue(value: Cell, unit: ColumnUnit): string {
  if (value === null) return ''
  if (typeof value !== 'number') return String(value)
  switch (unit) {
    case 's':
      return formatSeconds(value)
    case 'bytes':
      return formatBytes(value)
    case 'x':
      return formatTimes(value)
    case '%':
      return formatPercent(value)
    case 'count':
      return formatCount(value)
    case '1/s':
      return formatCount(Math.round(value))
    case 'MB/s':
      return formatCount(Math.round(value * 10) / 10)
    default:
      return String(value)
  }
}

/** Every (scenario, variant) row of a run, with its library matched by codec (and zstd backend when several). */
export function rowContexts(file: ResultsFile, label: string): RowContext[] {
  return file.scenarios.flatMap((scenario) => scenario.rows.map((row) => ({label, file, scenario, row, library: libraryFor(scenario, row)})))
}

export function libraryFor(scenario: ScenarioResult, row: VariantResult): LibraryResult | null {
  // An engine restoring a library it lifted itself: not one of holobench's (see engineLibraries).
  if (row.codec === null || row.libraryOf !== undefined) return null
  const candidates = scenario.libraries.filter((library) => library.codec === row.codec && (library.level ?? 1) === (row.level ?? 1))
  const library = candidates.find((library) => library.zstdBackend === row.zstdBackend) ?? candidates[0] ?? null
  // A candidate row (a pack, a dictionary library) restores from its own files: its facts say what they cost.
  if (row.candidate) {
    const {storedBytes, rawBytes, liftSeconds} = row.candidate
    return {codec: row.codec, ...(row.level === undefined ? {} : {level: row.level}), rawBytes, storedBytes, ratio: storedBytes > 0 ? rawBytes / storedBytes : 0, liftSeconds, catalogBytes: library?.catalogBytes ?? 0}
  }

  return library
}

/** `true` if the column is numeric (right-aligned in tables). */
export function isNumeric(column: Column): boolean {
  return column.unit !== ''
}
