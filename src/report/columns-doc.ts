/** The CSV header documentation, generated from the column table (src/report/README.md embeds it). */
import {COLUMNS} from './columns.js'

const UNIT_TEXT: Record<string, string> = {
  '': '',
  s: 'seconds',
  bytes: 'bytes',
  x: 'factor',
  '%': 'percent',
  count: 'count',
  '1/s': 'per second',
  'MB/s': 'MB/s (1e6 bytes)',
}

export function renderColumnsDoc(): string {
  const rows = COLUMNS.map((column) => {
    const also = column.views.filter((view) => view !== 'csv').join(', ')
    return `| \`${column.id}\` | ${UNIT_TEXT[column.unit] ?? column.unit} | ${column.description.replaceAll('|', '\\|')} | ${also} |`
  })
  return ['| CSV header | Unit | Meaning | Also in |', '| --- | --- | --- | --- |', ...rows].join('\n')
}
