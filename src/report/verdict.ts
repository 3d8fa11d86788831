/**
 * The answer a maintainer asks for, per comparison: is this variant faster than gzip, slower, no
 * different, or can this run not tell? Decided from the 95% bootstrap interval of the speed-up
 * (gzip median ÷ variant median, `ratioToGzip` inverted), never from the point estimate alone.
 *
 * With the speed-up interval [low, high]:
 * - `faster`        low > 1: the whole interval is above gzip's speed;
 * - `slower`        high < 1: the whole interval is below it;
 * - `no-difference` the interval lies within ±EQUIVALENCE_MARGIN of 1 (1/1.1 ≤ low, high ≤ 1.1):
 *                   any real difference is smaller than 10%, too small to ship a format for;
 * - `inconclusive`  the interval holds 1 but also reaches past ±10%: the run cannot tell a tie
 *                   from a difference worth having. "Too wide" means exactly this.
 * - `not-measured`  the variant did not run, was unsupported or failed, or there is no gzip row.
 * The same words go to the run table, the Markdown summary and the HTML page (headlineText).
 */
import type {LibraryResult, ResultsFile, ScenarioResult, VariantResult} from '../bench/results.js'
import {libraryFor} from './columns.js'
import {formatPercent, sig3, speedupOf} from './format.js'

/** Differences smaller than this factor (either way) count as no difference: 1.1 = 10%. */
export const EQUIVALENCE_MARGIN = 1.1

/** The variant every headline is measured against. */
export const HEADLINE_BASELINE = 'gzip'

/** Rows that are references, not candidates to ship: no headline of their own. */
const REFERENCES = new Set(['gzip', 'floor', 'cp'])

export type HeadlineVerdict = 'faster' | 'slower' | 'no-difference' | 'inconclusive' | 'not-measured'

export interface Interval {
  value: number
  low: number
  high: number
}

export interface Headline {
  scenario: string
  variant: string
  /** The row the speed-up is against: gzip, or the reference an external engine names. */
  baseline: string
  verdict: HeadlineVerdict
  /** gzip median ÷ variant median with its 95% interval; null when not measured. */
  speedup: Interval | null
  /** Stored library bytes of the variant's library ÷ gzip's − 1 (0.003 = +0.3%); null if unknown. */
  libraryChange: number | null
  /** Why not measured (the row's reason), for `not-measured` only. */
  reason?: string
  /** What would settle an inconclusive comparison; empty otherwise. */
  advice: string[]
  /** Qualifications of this number, shown next to it (disk scratch, shared storage, …). */
  caveats: string[]
}

/** Classify a speed-up interval (gzip time ÷ variant time, 95%). */
export function classify(speedup: Interval): Exclude<HeadlineVerdict, 'not-measured'> {
  if (speedup.low > 1) return 'faster'
  if (speedup.high < 1) return 'slower'
  if (speedup.low >= 1 / EQUIVALENCE_MARGIN && speedup.high <= EQUIVALENCE_MARGIN) return 'no-difference'
  return 'inconclusive'
}

/** One headline per candidate variant (everything but gzip, the floor and cp), in row order. */
export function headlinesFor(file: ResultsFile, scenario: ScenarioResult): Headline[] {
  const gzip = scenario.rows.find((row) => row.variant === HEADLINE_BASELINE)
  return scenario.rows.filter((row) => !REFERENCES.has(row.variant)).map((row) => headlineOf(file, scenario, row, gzip))
}

/** Every headline of a run, scenario by scenario. */
export function allHeadlines(file: ResultsFile): Headline[] {
  return file.scenarios.flatMap((scenario) => headlinesFor(file, scenario))
}

function headlineOf(file: ResultsFile, scenario: ScenarioResult, row: VariantResult, holobenchGzip: VariantResult | undefined): Headline {
  // An external engine's ratio may be against another engine (e.g. RCC's zstd fork against released RCC).
  const baseline = row.gzipReference ?? HEADLINE_BASELINE
  const gzip = row.gzipReference ? scenario.rows.find((candidate) => candidate.variant === row.gzipReference) : holobenchGzip
  const base = {scenario: scenario.scenario, variant: row.variant, baseline, libraryChange: libraryChange(scenario, row), caveats: rowCaveats(row), advice: [] as string[]}
  if (row.status !== 'ok' || !row.stats) return {...base, verdict: 'not-measured', speedup: null, reason: notMeasuredReason(row)}
  if (!row.ratioToGzip || !gzip?.stats || gzip.status !== 'ok') return {...base, verdict: 'not-measured', speedup: null, reason: `no ${baseline} row in this run to compare with`}
  const speedup = speedupOf(row.ratioToGzip)
  const verdict = classify(speedup)
  const runs = Math.min(row.stats.runs, gzip.stats.runs)
  return {...base, verdict, speedup, advice: verdict === 'inconclusive' ? settleAdvice(file, speedup, runs) : []}
}

function notMeasuredReason(row: VariantResult): string {
  if (row.status === 'wrong') return `restored a wrong tree, so not timed: ${row.reason ?? 'see the tree check'}`
  if (row.strategy === 'reflink' && row.status === 'unsupported') return `${row.reason ?? 'the scratch cannot clone files'}; reflink needs a copy-on-write scratch (scripts/cow-scratch.sh)`
  return row.reason ? `${row.status}: ${row.reason}` : row.status
}

function libraryChange(scenario: ScenarioResult, row: VariantResult): number | null {
  const stored = storedBytesOf(scenario, row)
  const reference = row.gzipReference ? scenario.rows.find((candidate) => candidate.variant === row.gzipReference) : undefined
  const base = reference ? storedBytesOf(scenario, reference) : (scenario.libraries.find((library: LibraryResult) => library.codec === 'gzip' && library.level === undefined)?.storedBytes ?? null)
  if (stored === null || base === null || base <= 0) return null
  return stored / base - 1
}

/** Stored bytes of the library a row restores: an engine's own lift, else holobench's library of its codec. */
function storedBytesOf(scenario: ScenarioResult, row: VariantResult): number | null {
  const own = row.kind === 'engine' ? scenario.engineLibraries?.find((library) => library.engine === row.variant) : undefined
  return own ? own.storedBytes : (libraryFor(scenario, row)?.storedBytes ?? null)
}

/** Caveats that qualify this row's number, whatever the verdict. */
function rowCaveats(row: VariantResult): string[] {
  const caveats: string[] = []
  if (row.strategy === 'hardlink') caveats.push("hardlinked files share the library's storage (no bytes written; a write to the restored tree changes the library)")
  if (row.strategy === 'reflink' && row.status === 'ok') caveats.push('reflinked files share blocks with the library until written')
  return caveats
}

/**
 * Caveats that qualify every ratio of a scenario: where the restores were written, how they were
 * run, and what was not measured at all. Shown once, beside the scenario's headlines.
 */
export function scenarioCaveats(file: ResultsFile, scenario: ScenarioResult): string[] {
  const caveats: string[] = []
  const fs = file.environment.scratchFs
  if (!isMemoryFs(fs)) caveats.push(`scratch on ${fs} (a disk, not tmpfs): file-system metadata dominates every ratio`)
  const mode = modeText(file)
  if (mode) caveats.push(mode)
  // An unsupported reflink row says so in its own headline; a run without one says it here.
  if (!scenario.rows.some((row) => row.strategy === 'reflink')) caveats.push('reflink not measured: no reflink variant ran (it needs a copy-on-write scratch: scripts/cow-scratch.sh)')
  return caveats
}

/** How restores were timed: one fresh process each (what users wait for) or warmed up in-process. */
export function modeText(file: ResultsFile): string {
  if (file.settings.mode === 'process') return 'process mode: each restore is a fresh process timed from spawn to exit, start-up included (the floor is timed in-process)'
  return 'in-process mode: restores run warmed up inside holobench, process start-up excluded (engine profiling); a user waits for a process, start-up included (--mode process)'
}

export function isMemoryFs(fs: string): boolean {
  return fs === 'tmpfs' || fs === 'ramfs'
}

/**
 * What would settle an inconclusive comparison. The interval's width shrinks about as 1/√runs, so
 * the runs needed are estimated from how much narrower it must get to decide either way.
 */
function settleAdvice(file: ResultsFile, speedup: Interval, runs: number): string[] {
  const half = Math.log(speedup.high / speedup.low) / 2
  const point = Math.abs(Math.log(speedup.value))
  // Deciding needs the half-width below |point| (a difference) or below margin − |point| (a tie).
  const target = Math.max(point, Math.log(EQUIVALENCE_MARGIN) - point)
  const needed = Math.min(Math.max(Math.ceil(runs * (half / target) ** 2), runs + 5), 500)
  const advice = [`more runs: about ${needed} per variant (--runs ${needed}; this run had ${runs})`]
  if (!isMemoryFs(file.environment.scratchFs)) advice.push('a scratch on tmpfs (--scratch /dev/shm): a disk adds metadata noise')
  advice.push('a quieter machine: other work during the run widens every interval')
  return advice
}

const range = (interval: Interval) => `${sig3(interval.low)}–${sig3(interval.high)}`

/** The verdict in words, without the scenario: "1.32× faster (1.21–1.47)". */
export function verdictText(headline: Headline): string {
  const s = headline.speedup
  switch (headline.verdict) {
    case 'faster':
      return `${sig3(s!.value)}× faster (${range(s!)})`
    case 'slower':
      // Slower reads as a time factor: a speed-up of 0.8 is 1.25× slower.
      return `${sig3(1 / s!.value)}× slower (${sig3(1 / s!.high)}–${sig3(1 / s!.low)})`
    case 'no-difference':
      return `no detectable difference (${range(s!)}×: within ±${Math.round((EQUIVALENCE_MARGIN - 1) * 100)}%)`
    case 'inconclusive':
      return `inconclusive: ${sig3(s!.value)}× (${range(s!)}) could be a tie or a ${Math.round((EQUIVALENCE_MARGIN - 1) * 100)}%+ difference`
    default:
      return `not measured (${headline.reason ?? 'no data'})`
  }
}

/** "library +0.3%" (the variant's stored library against gzip's), or '' when unknown. */
export function libraryText(headline: Headline): string {
  if (headline.libraryChange === null) return ''
  return `library ${formatPercent(headline.libraryChange * 100, true)}`
}

/**
 * The headline sentence every format shows: "zstd vs gzip: 1.32× faster (1.21–1.47), library +0.3%".
 * Advice and caveats are separate lines (headlineDetails) so each format can set them apart.
 */
export function headlineText(headline: Headline): string {
  const library = headline.verdict === 'not-measured' ? '' : libraryText(headline)
  return `${headline.variant} vs ${headline.baseline}: ${verdictText(headline)}${library ? `, ${library}` : ''}`
}

/** The lines under a headline: "to settle it: …" for inconclusive ones, then the caveats. */
export function headlineDetails(headline: Headline): string[] {
  const lines: string[] = []
  if (headline.advice.length > 0) lines.push(`to settle it: ${headline.advice.join('; ')}`)
  for (const caveat of headline.caveats) lines.push(`caveat: ${caveat}`)
  return lines
}

export const VERDICT_LABEL: Record<HeadlineVerdict, string> = {
  faster: 'faster',
  slower: 'slower',
  'no-difference': 'no difference',
  inconclusive: 'inconclusive',
  'not-measured': 'not measured',
}
