/** The comparison view: every other run against the first, by the in-run speed-up over gzip per (scenario, variant). */
import type {ResultsFile} from '../bench/results.js'
import {CHANGE_TEXT, compareRuns, modeMismatch, type ComparisonRow} from './compare.js'
import {escapeHtml, formatPercent, formatTimes, sig3} from './format.js'
import {environmentEntries} from './html-environment.js'
import {variantColour} from './palette.js'
import {VERDICT_LABEL, type HeadlineVerdict} from './verdict.js'

export function comparisonSection(base: ResultsFile, baseLabel: string, other: ResultsFile, otherLabel: string, id: string): string {
  const rows = compareRuns(base, other)
  const widest = Math.max(0.1, ...rows.map((row) => Math.abs(row.change ?? 0)))
  const b = escapeHtml(baseLabel)
  const o = escapeHtml(otherLabel)
  const head =
    `<tr><th scope="col">Scenario</th><th scope="col">Variant</th><th class="num" scope="col">Speed-up over gzip, ${b}</th><th class="num" scope="col">Speed-up over gzip, ${o}</th>` +
    `<th scope="col">Change of the speed-up</th></tr>`
  const body = rows.map((row) => comparisonRow(row, widest)).join('')
  const mismatch = modeMismatch(base, other, baseLabel, otherLabel)
  return (
    `<section class="comparison" id="${escapeHtml(id)}"><h2>Comparison: ${o} against ${b}</h2>` +
    (mismatch ? `<p class="mode-mismatch"><strong>Timing modes differ.</strong> ${escapeHtml(mismatch)}.</p>` : '') +
    `<p class="muted">Each run's speed-up over gzip, measured side by side inside that run (gzip median ÷ variant median, 95% interval): ` +
    `raw restore times from different runs are not compared, since another day, machine or load moves them all. ` +
    `A change counts only when the two intervals do not overlap; green is a gain on gzip.</p>` +
    `<div class="table-wrap"><table class="compare"><thead>${head}</thead><tbody>${body}</tbody></table></div>` +
    environmentDiff(base, baseLabel, other, otherLabel) +
    `</section>`
  )
}

function comparisonRow(row: ComparisonRow, widest: number): string {
  const side = (value: ComparisonRow['baseSpeedup'], source: ComparisonRow['base'], verdict: HeadlineVerdict) =>
    value
      ? `${escapeHtml(formatTimes(value.value))}<small class="interval">${escapeHtml(`${sig3(value.low)}–${sig3(value.high)} · ${VERDICT_LABEL[verdict]}`)}</small>`
      : escapeHtml(source ? source.status : 'not run')
  return (
    `<tr data-compare-row data-change="${row.verdict}">` +
    `<td>${escapeHtml(row.scenario)}</td>` +
    `<td><span class="swatch" style="background:${escapeHtml(variantColour(row.variant))}"></span>${escapeHtml(row.variant)}</td>` +
    `<td class="num">${side(row.baseSpeedup, row.base, row.baseVerdict)}</td><td class="num">${side(row.otherSpeedup, row.other, row.otherVerdict)}</td>` +
    `<td>${changeCell(row, widest)}</td></tr>`
  )
}

function changeCell(row: ComparisonRow, widest: number): string {
  if (row.change === null) return `<span class="change-unmatched">${escapeHtml(CHANGE_TEXT[row.verdict])}</span>`
  const half = Math.min(Math.abs(row.change) / widest, 1) * 50 // percent of the track, from its centre
  const position = row.change < 0 ? `right:50%;width:${half.toFixed(1)}%` : `left:50%;width:${half.toFixed(1)}%`
  return (
    `<span class="delta"><span class="delta-track"><span class="delta-bar ${row.verdict}" style="${position}"></span></span>` +
    `<span class="change-${row.verdict}">${escapeHtml(formatPercent(row.change * 100, true))}</span> <span class="muted">${escapeHtml(CHANGE_TEXT[row.verdict])}</span></span>`
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
