/** The comparison view: every other run against the first, change per (scenario, variant) row. */
import type {ResultsFile} from '../bench/results.js'
import {compareRuns, type ComparisonRow} from './compare.js'
import {escapeHtml, formatPercent, formatSeconds, formatTimes, speedupOf} from './format.js'
import {environmentEntries} from './html-environment.js'
import {variantColour} from './palette.js'

export function comparisonSection(base: ResultsFile, baseLabel: string, other: ResultsFile, otherLabel: string, id: string): string {
  const rows = compareRuns(base, other)
  const widest = Math.max(0.1, ...rows.map((row) => Math.abs(row.change ?? 0)))
  const b = escapeHtml(baseLabel)
  const o = escapeHtml(otherLabel)
  const head =
    `<tr><th scope="col">Scenario</th><th scope="col">Variant</th><th class="num" scope="col">Median ${b}</th><th class="num" scope="col">Median ${o}</th>` +
    `<th scope="col">Change in restore time</th><th class="num" scope="col">Speed-up vs gzip ${b} → ${o}</th></tr>`
  const body = rows.map((row) => comparisonRow(row, widest)).join('')
  return (
    `<section class="comparison" id="${escapeHtml(id)}"><h2>Comparison: ${o} against ${b}</h2>` +
    `<p class="muted">Rows matched by scenario and variant. Change = median of ${o} ÷ median of ${b} − 1; green is less time. ` +
    `Changes within the larger relative margin of error of the two runs are marked as noise.</p>` +
    `<div class="table-wrap"><table class="compare"><thead>${head}</thead><tbody>${body}</tbody></table></div>` +
    environmentDiff(base, baseLabel, other, otherLabel) +
    `</section>`
  )
}

function comparisonRow(row: ComparisonRow, widest: number): string {
  const median = (side: ComparisonRow['base']) => (side?.stats && side.status === 'ok' ? formatSeconds(side.stats.median) : side ? side.status : 'not run')
  const speedup = (side: ComparisonRow['base']) => (side?.ratioToGzip ? formatTimes(speedupOf(side.ratioToGzip).value) : '–')
  return (
    `<tr data-compare-row data-change="${row.verdict}">` +
    `<td>${escapeHtml(row.scenario)}</td>` +
    `<td><span class="swatch" style="background:${escapeHtml(variantColour(row.variant))}"></span>${escapeHtml(row.variant)}</td>` +
    `<td class="num">${escapeHtml(median(row.base))}</td><td class="num">${escapeHtml(median(row.other))}</td>` +
    `<td>${changeCell(row, widest)}</td>` +
    `<td class="num">${escapeHtml(speedup(row.base))} → ${escapeHtml(speedup(row.other))}</td></tr>`
  )
}

function changeCell(row: ComparisonRow, widest: number): string {
  if (row.change === null) return '<span class="change-unmatched">not comparable</span>'
  const half = Math.min(Math.abs(row.change) / widest, 1) * 50 // percent of the track, from its centre
  const position = row.change < 0 ? `right:50%;width:${half.toFixed(1)}%` : `left:50%;width:${half.toFixed(1)}%`
  const words = row.verdict === 'noise' ? `within ±${formatPercent((row.noise ?? 0) * 100)} noise` : row.verdict === 'faster' ? 'faster' : 'slower'
  return (
    `<span class="delta"><span class="delta-track"><span class="delta-bar ${row.verdict}" style="${position}"></span></span>` +
    `<span class="change-${row.verdict}">${escapeHtml(formatPercent(row.change * 100, true))}</span> <span class="muted">${escapeHtml(words)}</span></span>`
  )
}

/**
 * Side by side, differences first: two machines differ in exactly these lines. Identical fields
 * fold away (a <details> element, no script needed).
 */
function environmentDiff(base: ResultsFile, baseLabel: string, other: ResultsFile, otherLabel: string): string {
  const right = environmentEntries(other)
  const rows = environmentEntries(base).map((entry, index) => ({label: entry.label, left: entry.value, right: right[index]?.value ?? '–'}))
  const line = (row: (typeof rows)[number], differs: boolean) =>
    `<tr${differs ? ' class="differs"' : ''}><th scope="row">${escapeHtml(row.label)}</th><td class="wrap">${escapeHtml(row.left)}</td><td class="wrap">${escapeHtml(row.right)}</td></tr>`
  const head = `<thead><tr><th scope="col"></th><th scope="col">${escapeHtml(baseLabel)}</th><th scope="col">${escapeHtml(otherLabel)}</th></tr></thead>`
  const differing = rows.filter((row) => row.left !== row.right)
  const same = rows.filter((row) => row.left === row.right)
  const table = (body: string) => `<div class="table-wrap"><table class="env-compare">${head}<tbody>${body}</tbody></table></div>`
  return (
    `<h3>Environment</h3>` +
    (differing.length > 0 ? table(differing.map((row) => line(row, true)).join('')) : '<p class="muted">Both runs report the same environment and settings.</p>') +
    (same.length > 0 ? `<details class="same-env"><summary>${same.length} identical fields</summary>${table(same.map((row) => line(row, false)).join(''))}</details>` : '')
  )
}
