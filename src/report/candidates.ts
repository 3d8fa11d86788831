/**
 * The candidates of a run as one list per scenario: every restore row (the seed's variants as
 * reference points, level rows, candidate families) with its median time, speed-up over gzip,
 * full disk cost, build cost and whether RCC reads it, and which rows are Pareto-optimal
 * (no other row is both faster and smaller). The table and chart of every format read this.
 */
import type {CandidateFacts, RccReadability, ResultsFile, ScenarioResult, VariantResult} from '../bench/results.js'
import {ratioOfMedians} from '../bench/stats.js'
import {libraryFor} from './columns.js'
import {speedupOf} from './format.js'
import {medianInterval} from './median-interval.js'
import type {Interval} from './verdict.js'

export interface CandidateEntry {
  row: VariantResult
  facts: CandidateFacts
  /** Median restore seconds with its 95% interval; null when not timed. */
  time: Interval | null
  /** Speed-up over gzip (gzip median ÷ this median) with its 95% interval. */
  speedup: Interval | null
  /**
   * The same from CPU time (user + system of the restore process and its threads): on a busy
   * machine waiting for a core adds wall time, not CPU time. Null where either row has no CPU samples.
   */
  cpuSpeedup: Interval | null
  /** No other timed row is at least as fast and as small, and better in one. */
  pareto: boolean
}

/** The speed-up issue 17 asks about. */
export const TARGET_SPEEDUP = 3

const READS_CODEC: Record<string, RccReadability> = {
  gzip: {reads: 'upstream', takes: 'nothing: released RCC reads gzip at any level (htfs/functions.go, gzip.NewReader)'},
  'gzip-pure': {reads: 'upstream', takes: 'nothing: the same gzip files, decoded by pako here'},
  zstd: {reads: 'zstd-fork', takes: "RCC's zstd fork (htfs/delegates.go, by magic bytes; any level); released RCC reads gzip only"},
  none: {reads: 'upstream', takes: 'nothing: an uncompressed hololib (catalog/compress.no, SipHash digests) is RCC\'s own format'},
}

/** A run shows the candidates table when it asked for candidates or timed any row beyond the seed. */
export function hasCandidates(file: ResultsFile): boolean {
  return file.settings.candidates === true || file.scenarios.some((scenario) => scenario.rows.some((row) => row.candidate !== undefined || row.level !== undefined))
}

/**
 * A row's facts: its own (candidate rows), else derived from the library it restored (the
 * seed's codec variants and level rows). Null for rows without a library of holobench's
 * (the floor, cp, external engines).
 */
export function factsOf(scenario: ScenarioResult, row: VariantResult): CandidateFacts | null {
  if (row.candidate) return row.candidate
  if (row.kind !== 'variant' || row.codec === null) return null
  const library = libraryFor(scenario, row)
  const reads = READS_CODEC[row.codec]
  if (!library || !reads) return null
  const level = library.level ?? 1
  return {
    family: row.level === undefined ? 'seed' : 'level',
    summary: `${row.codec === 'none' ? 'uncompressed' : `${row.codec} level ${level}`} library, one file per content${row.verify ? '' : ', restored without verification'}${row.strategy === 'copy' ? '' : `, ${row.strategy}`}`,
    rcc: row.verify || row.codec === 'none' ? reads : {...reads, takes: `${reads.takes}; skipping verification needs RCC_VERIFY_ON_RESTORE (the proposal)`},
    storedBytes: library.storedBytes,
    rawBytes: library.rawBytes,
    liftSeconds: library.liftSeconds,
  }
}

export function candidateEntries(scenario: ScenarioResult): CandidateEntry[] {
  const entries: CandidateEntry[] = []
  const gzip = scenario.rows.find((row) => row.variant === 'gzip' && row.status === 'ok')
  for (const row of scenario.rows) {
    const facts = factsOf(scenario, row)
    if (!facts) continue
    const speedup = row.ratioToGzip && row.status === 'ok' ? speedupOf(row.ratioToGzip) : null
    const cpu = row.status === 'ok' && row.cpuSamples?.length && gzip?.cpuSamples?.length && !row.cpuSamples.some((value) => value <= 0) ? ratioOfMedians(gzip.cpuSamples, row.cpuSamples) : null
    entries.push({row, facts, time: medianInterval(row), speedup, cpuSpeedup: cpu, pareto: false})
  }

  for (const entry of entries) {
    if (!entry.time) continue
    entry.pareto = !entries.some((other) => other !== entry && other.time && dominates(other, entry))
  }

  return entries
}

function dominates(a: CandidateEntry, b: CandidateEntry): boolean {
  const ta = a.time!.value
  const tb = b.time!.value
  return ta <= tb && a.facts.storedBytes <= b.facts.storedBytes && (ta < tb || a.facts.storedBytes < b.facts.storedBytes)
}

/** The row every disk cost is compared with: the seed's gzip library (RCC's today). */
export function gzipEntry(entries: readonly CandidateEntry[]): CandidateEntry | undefined {
  return entries.find((entry) => entry.row.variant === 'gzip')
}

/**
 * One sentence per scenario: which rows reach 3× over gzip with the whole interval, and the disk
 * they cost against gzip's library; or the best speed-up measured.
 */
export function targetSentence(scenario: ScenarioResult, entries: readonly CandidateEntry[] = candidateEntries(scenario)): string {
  const gzip = gzipEntry(entries)
  const disk = (entry: CandidateEntry) => `${entry.cpuSpeedup ? `, CPU ${entry.cpuSpeedup.value.toFixed(2)}×` : ''}${gzip ? ` at ${(entry.facts.storedBytes / gzip.facts.storedBytes).toFixed(2)}× gzip's disk` : ''}`
  const cp = scenario.rows.find((row) => row.variant === 'cp' && row.status === 'ok')
  const bound = cp?.ratioToGzip ? `; a plain cp -a in a fresh process is ${(1 / cp.ratioToGzip.value).toFixed(2)}× gzip's speed` : ''
  const reached = entries.filter((entry) => entry.speedup && entry.speedup.low >= TARGET_SPEEDUP)
  if (reached.length > 0) return `${scenario.scenario}: ${TARGET_SPEEDUP}× over gzip reached by ${reached.map((entry) => `${entry.row.variant} (${entry.speedup!.value.toFixed(2)}×${disk(entry)})`).join(', ')}${bound}`
  const best = [...entries].filter((entry) => entry.speedup && entry.row.variant !== 'gzip').sort((a, b) => b.speedup!.value - a.speedup!.value)[0]
  if (!best) return `${scenario.scenario}: no candidate was timed against gzip`
  return `${scenario.scenario}: no row reaches ${TARGET_SPEEDUP}× over gzip; the fastest is ${best.row.variant}, ${best.speedup!.value.toFixed(2)}× (95% interval ${best.speedup!.low.toFixed(2)}–${best.speedup!.high.toFixed(2)})${disk(best)}${bound}`
}
