/** One scenario: its tree facts, the three charts with legends, and the full table underneath. */
import type {ResultsFile, ScenarioResult} from '../bench/results.js'
import {libraryChart, speedupChart, timeChart, tradeoffChart, variantRows} from './charts.js'
import {columnsFor, displayCell, formatValue, isNumeric, libraryFor, SCENARIO_FIELDS, type Column, type RowContext} from './columns.js'
import {escapeHtml, formatTimes, sig3} from './format.js'
import {glanceCard} from './html-glance.js'
import {variantColour} from './palette.js'

export function scenarioSection(file: ResultsFile, label: string, scenario: ScenarioResult, id: string): string {
  const runs = variantRows(scenario).find((row) => row.stats)?.stats?.runs
  const facts = SCENARIO_FIELDS.filter((field) => ['files', 'dirs', 'symlinks', 'bytes', 'relocated_files', 'seed'].includes(field.id))
    .map((field) => ({field, value: field.get(scenario)}))
    .filter(({value}) => value !== null)
    .map(({field, value}) => `${escapeHtml(field.label.toLowerCase())} <b>${escapeHtml(formatValue(value, field.unit))}</b>`)
  const source = scenario.source.kind === 'tree' ? `real tree` : `generated scenario`
  return (
    `<section class="scenario" id="${escapeHtml(id)}" data-scenario="${escapeHtml(scenario.scenario)}">` +
    `<h3>${escapeHtml(scenario.scenario)}</h3>` +
    `<p class="facts">${escapeHtml(source)} · ${facts.join(' · ')}${runs ? ` · ${runs} measured restores per variant` : ''}</p>` +
    `<div class="charts">` +
    figure(
      'Restore time',
      timeChart(scenario),
      'Bar: median restore time. Whisker: its 95% interval. <span class="legend-floor"></span> floor: a plain recursive copy of the same tree, the time no restore can beat. Fastest and slowest runs are in the table.',
    ) +
    figure(
      'Speed-up over gzip',
      speedupChart(scenario),
      'Bar: gzip median ÷ variant median, from the gzip line (gzip itself has no bar). Whisker: its 95% interval. <span class="legend-tick"></span> expected by the proposal (band: expected range).',
    ) +
    figure(
      'Restore time against library size',
      tradeoffChart(scenario),
      'The trade-off: each point is a variant, at the stored size of the library it restores from and its median restore time; whisker: 95% interval. Lower left is better. <span class="legend-floor"></span> floor.',
    ) +
    figure('Library size per codec', libraryChart(scenario), 'Bar: bytes stored by the library files the catalog uses; value: compression ratio (raw ÷ stored). Dashed: raw size.') +
    glanceCard(scenario) +
    `</div>` +
    table(file, label, scenario) +
    `</section>`
  )
}

function figure(title: string, svg: string, legendHtml: string): string {
  return `<figure class="chart-box"><h4>${escapeHtml(title)}</h4>${svg}<figcaption>${legendHtml}</figcaption></figure>`
}

function table(file: ResultsFile, label: string, scenario: ScenarioResult): string {
  const columns = columnsFor('html')
  const head = columns
    .map((column) => `<th scope="col"${isNumeric(column) ? ' class="num"' : ''} title="${escapeHtml(column.description)}">${escapeHtml(column.header)}</th>`)
    .join('')
  const body = scenario.rows
    .map((row) => {
      const context: RowContext = {label, file, scenario, row, library: libraryFor(scenario, row)}
      const classes = [`status-${row.status}`, row.variant === 'floor' ? 'floor' : ''].filter(Boolean).join(' ')
      return `<tr class="${classes}" data-variant="${escapeHtml(row.variant)}">${rowCells(columns, context)}</tr>`
    })
    .join('')
  return `<div class="table-wrap"><table class="data"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`
}

/**
 * Cells of one row. A row that was not measured has a run of empty statistic cells: they become
 * one cell holding the reason, which reads better than a reason squeezed into the status column.
 */
function rowCells(columns: Column[], context: RowContext): string {
  const {row} = context
  const cells: string[] = []
  let blank = 0
  const flushBlank = () => {
    if (blank === 0) return
    const reason = row.status !== 'ok' && row.reason && !cells.some((cell) => cell.includes('class="reason"')) ? row.reason : ''
    cells.push(`<td colspan="${blank}"${reason ? ' class="reason"' : ''}>${escapeHtml(reason)}</td>`)
    blank = 0
  }
  for (const column of columns) {
    if (column.id === 'status') {
      flushBlank()
      cells.push(`<td class="status">${escapeHtml(row.status)}</td>`)
      continue
    }
    const text = escapeHtml(displayCell(column, context))
    if (text === '' && row.status !== 'ok') {
      blank++
      continue
    }
    flushBlank()
    if (column.id === 'variant') {
      cells.push(`<td class="variant"><span class="swatch" style="background:${escapeHtml(variantColour(row.variant))}"></span>${text}</td>`)
      continue
    }
    const interval = column.interval?.(context)
    if (interval) {
      cells.push(`<td class="num">${escapeHtml(formatTimes(interval.value))}<small class="interval">${escapeHtml(`${sig3(interval.low)}–${sig3(interval.high)}`)}</small></td>`)
      continue
    }
    cells.push(`<td${isNumeric(column) ? ' class="num"' : ''}>${text}</td>`)
  }
  flushBlank()
  return cells.join('')
}
