/** The gate report as plain text for stdout and CI logs (ASCII table, no colours). */
import type {GateReport} from './report.js'
import {gateColumns, headline, rulesLine, runsLine, verdictLine} from './table.js'

export function renderText(report: GateReport): string {
  const columns = gateColumns(report.settings)
  const cells = report.rows.map((row) => columns.map((column) => column.cell(row)))
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((row) => row[i].length)))
  const line = (values: string[]) =>
    values
      .map((value, i) => (columns[i].align === 'right' ? value.padStart(widths[i]) : value.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  const lines = [
    headline(report),
    runsLine(report),
    verdictLine(report),
    '',
    line(columns.map((column) => column.header)),
    line(widths.map((width) => '-'.repeat(width))),
    ...cells.map((row) => line(row)),
    '',
    rulesLine(report.settings),
    ...report.notes.map((note) => `note: ${note}`),
  ]
  return lines.join('\n')
}
