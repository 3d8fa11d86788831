/**
 * CSV: one row per (run, scenario, variant), every column of the column table. RFC 4180 (comma,
 * double quotes, CRLF), header row of stable snake_case ids, numbers written with JavaScript's
 * shortest round-trip form so a parser gets back exactly the numbers in results.json.
 */
import {stringify} from 'csv-stringify/sync'
import type {ResultsFile} from '../bench/results.js'
import {columnsFor, rowContexts, type Cell} from './columns.js'
import {labelsOrDefault} from './labels.js'

export interface CsvOptions {
  labels?: readonly string[]
}

export function renderCsv(results: readonly ResultsFile[], options: CsvOptions = {}): string {
  const columns = columnsFor('csv')
  const labels = labelsOrDefault(results, options.labels)
  const records = results.flatMap((file, index) => rowContexts(file, labels[index]).map((context) => columns.map((column) => csvCell(column.get(context)))))
  return stringify(records, {
    header: true,
    columns: columns.map((column) => column.id),
    record_delimiter: 'windows',
    cast: {
      // Spell booleans out: csv-stringify's default ('1' / '') reads as a number and an empty cell.
      boolean: (value) => (value ? 'true' : 'false'),
      number: (value) => String(value),
    },
  })
}

/**
 * Text that starts like a formula (= + - @, tab, CR) is prefixed with a quote so spreadsheets
 * show it instead of evaluating it: scenario names and reasons come from user files.
 */
function csvCell(value: Cell): Cell {
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(value)) return `'${value}`
  return value
}
