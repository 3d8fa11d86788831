/**
 * The candidates table as plain text (printed by `run`) and as Markdown rows (summary.md):
 * one line per row with its time, speed-up over gzip, disk, build cost and who in RCC reads it.
 */
import type {ResultsFile, ScenarioResult} from '../bench/results.js'
import {candidateEntries, gzipEntry, hasCandidates, targetSentence} from './candidates.js'
import type {CandidateEntry} from './candidates.js'
import {formatBytes, formatSeconds} from './format.js'

export const CANDIDATE_HEADERS = ['row', 'RCC reads', 'median [95% CI]', 'vs gzip [95% CI]', 'CPU vs gzip', 'disk', 'disk ÷ gzip', 'build']

/** The cells of one scenario's rows, in CANDIDATE_HEADERS order; a not-timed row says why in the time cell. */
export function candidateCells(scenario: ScenarioResult, entries: readonly CandidateEntry[] = candidateEntries(scenario)): string[][] {
  const gzip = gzipEntry(entries)
  return entries.map(({row, facts, time, speedup, cpuSpeedup, pareto}) => [
    `${row.variant}${pareto ? ' ◆' : ''}`,
    facts.rcc.reads,
    time ? `${formatSeconds(time.value)} [${formatSeconds(time.low)}–${formatSeconds(time.high)}]` : `${row.status}${row.reason ? `: ${row.reason}` : ''}`,
    speedup ? `${speedup.value.toFixed(2)}× [${speedup.low.toFixed(2)}–${speedup.high.toFixed(2)}]` : '–',
    cpuSpeedup ? `${cpuSpeedup.value.toFixed(2)}× [${cpuSpeedup.low.toFixed(2)}–${cpuSpeedup.high.toFixed(2)}]` : '–',
    formatBytes(facts.storedBytes),
    gzip ? `${(facts.storedBytes / gzip.facts.storedBytes).toFixed(2)}×` : '–',
    formatSeconds(facts.liftSeconds),
  ])
}

/** `run`'s candidates block, or '' for a run without candidates. */
export function renderCandidatesText(file: ResultsFile): string {
  if (!hasCandidates(file)) return ''
  const lines = ['Beyond the seed (◆ = Pareto-optimal: nothing else is both faster and smaller; disk = every byte the restore needs):']
  for (const scenario of file.scenarios) {
    const entries = candidateEntries(scenario)
    if (entries.length === 0) continue
    const rows = candidateCells(scenario, entries)
    // Rows not timed carry their reason in the time cell: they do not set the column widths.
    const timed = rows.filter((_, i) => entries[i].time)
    const widths = CANDIDATE_HEADERS.map((header, i) => Math.max(header.length, ...timed.map((row) => row[i].length)))
    const fmt = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')
    lines.push('', targetSentence(scenario, entries), fmt(CANDIDATE_HEADERS), ...rows.map((row, i) => (entries[i].time ? fmt(row) : [fmt(row.slice(0, 2)), row[2], `disk ${row[5]}`].join('  '))))
    for (const entry of entries) lines.push(`  ${entry.row.variant}: RCC ${entry.facts.rcc.reads} — ${entry.facts.rcc.takes}`)
  }

  return lines.join('\n')
}
