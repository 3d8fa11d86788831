/**
 * Markdown summary for CI job summaries and pull-request comments: claims first (the question
 * people ask), then one table per scenario from the column table, then comparisons. GitHub
 * renders inline HTML in Markdown, so text from results files is escaped, not trusted.
 */
import type {ResultsFile} from '../bench/results.js'
import {CLAIMS, claimText, evaluateClaim, VERDICT_TEXT, type ClaimOutcome} from './claims.js'
import {columnsFor, displayCell, isNumeric, libraryFor} from './columns.js'
import {CHANGE_TEXT, compareRuns, modeMismatch, type ComparisonRow} from './compare.js'
import {formatInterval, formatPercent, runSummary} from './format.js'
import {candidateEntries, hasCandidates, targetSentence} from './candidates.js'
import {CANDIDATE_HEADERS, candidateCells} from './candidates-text.js'
import {labelsOrDefault} from './labels.js'
import {headlineDetails, headlinesFor, headlineText, scenarioCaveats, VERDICT_LABEL} from './verdict.js'

export interface MarkdownOptions {
  labels?: readonly string[]
}

export function renderMarkdown(results: readonly ResultsFile[], options: MarkdownOptions = {}): string {
  const labels = labelsOrDefault(results, options.labels)
  const out: string[] = []
  // Comparisons first, as in the HTML: with several runs the change is the news.
  for (let r = 1; r < results.length; r++) out.push(...comparison(results[0], labels[0], results[r], labels[r]), '')
  results.forEach((file, r) => {
    out.push(`## holobench: ${md(labels[r])}`, '', md(runSummary(file)), '')
    out.push(...answer(file), '')
    out.push(...claimsTable(file), '')
    if (hasCandidates(file)) out.push(...candidatesTables(file), '')
    for (const scenario of file.scenarios) {
      out.push(`### ${md(scenario.scenario)}`, '')
      const columns = columnsFor('md')
      const rows = scenario.rows.map((row) => columns.map((column) => md(displayCell(column, {label: labels[r], file, scenario, row, library: libraryFor(scenario, row)}))))
      out.push(...table(columns.map((column) => column.header), columns.map(isNumeric), rows), '')
    }
  })
  return `${out.join('\n').trimEnd()}\n`
}

/** The headlines first: one line per comparison in words, caveats beside them. */
function answer(file: ResultsFile): string[] {
  const out: string[] = []
  for (const scenario of file.scenarios) {
    out.push(`**The answer for ${md(scenario.scenario)}** (speed-up over gzip, 95% interval, measured side by side in this run):`, '')
    for (const headline of headlinesFor(file, scenario)) {
      out.push(`- **${md(VERDICT_LABEL[headline.verdict])}** — ${md(headlineText(headline))}`)
      for (const detail of headlineDetails(headline)) out.push(`  - ${md(detail)}`)
    }
    for (const caveat of scenarioCaveats(file, scenario)) out.push(`- _caveat:_ ${md(caveat)}`)
    out.push('')
  }
  return out
}

/** Beyond the seed: one table per scenario of every row's time, disk and RCC readability. */
function candidatesTables(file: ResultsFile): string[] {
  const out = ['### Beyond the seed: candidates', '', 'Disk is every byte the restore needs; build the one-time cost from the tree; ◆ marks Pareto-optimal rows (nothing else is both faster and smaller).', '']
  for (const scenario of file.scenarios) {
    const entries = candidateEntries(scenario)
    if (entries.length === 0) continue
    out.push(`**${md(targetSentence(scenario, entries))}**`, '')
    const header = [...CANDIDATE_HEADERS, 'what RCC would need']
    const rows = candidateCells(scenario, entries).map((cells, i) => [...cells, entries[i].facts.rcc.takes].map(md))
    out.push(...table(header.map(md), header.map((_, i) => i >= 2 && i < CANDIDATE_HEADERS.length), rows), '')
  }

  return out
}

function claimsTable(file: ResultsFile): string[] {
  const header = ['Expected by the proposal (speed-up over gzip)', 'Expected', ...file.scenarios.map((scenario) => `Measured, ${scenario.scenario}`)]
  const rows = CLAIMS.map((claim) => [claim.title, claimText(claim), ...file.scenarios.map((scenario) => claimCell(evaluateClaim(claim, scenario)))].map(md))
  return ['Expected by the proposal — context for the measured answer above; reached only when the whole 95% interval reaches the expectation.', '', ...table(header.map(md), header.map(() => false), rows)]
}

function claimCell(outcome: ClaimOutcome): string {
  const value = outcome.speedup ? `${formatInterval(outcome.speedup)} ` : ''
  const detail = outcome.verdict === 'not-measured' || outcome.inconclusive ? ` (${outcome.note})` : ''
  return `${value}${VERDICT_TEXT[outcome.verdict]}${detail}`
}

function comparison(base: ResultsFile, baseLabel: string, other: ResultsFile, otherLabel: string): string[] {
  const rows = compareRuns(base, other).map((row) => {
    const side = (value: ComparisonRow['baseSpeedup'], source: ComparisonRow['base']) => (value ? formatInterval(value) : (source?.status ?? 'not run'))
    const change = row.change === null ? CHANGE_TEXT[row.verdict] : `${formatPercent(row.change * 100, true)} ${CHANGE_TEXT[row.verdict]}`
    return [row.scenario, row.variant, side(row.baseSpeedup, row.base), side(row.otherSpeedup, row.other), change].map(md)
  })
  const mismatch = modeMismatch(base, other, baseLabel, otherLabel)
  return [
    `### Comparison: ${md(otherLabel)} against ${md(baseLabel)}`,
    '',
    ...(mismatch ? [`**Timing modes differ:** ${md(mismatch)}.`, ''] : []),
    'Speed-up over gzip as measured inside each run (raw times from different runs are not compared); a change counts only when the two 95% intervals do not overlap.',
    '',
    ...table(['Scenario', 'Variant', `Speed-up ${baseLabel}`, `Speed-up ${otherLabel}`, 'Change of speed-up'].map(md), [false, false, true, true, true], rows),
  ]
}

function table(header: string[], numeric: boolean[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${numeric.map((right) => (right ? ' ---: ' : ' --- ')).join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)]
}

/** Escape for a Markdown table cell: no table breaks, no emphasis, no live HTML. */
export function md(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/([\\`*_[\]|~#])/g, '\\$1')
}
