/** The gate report as GitHub-flavoured Markdown, e.g. for $GITHUB_STEP_SUMMARY. */
import type {GateReport, OverallVerdict} from './report.js'
import {gateColumns, headline, rulesLine, runsLine, verdictLine} from './table.js'

const MARK: Record<OverallVerdict, string> = {pass: '✅', inconclusive: '❔', fail: '❌'}

export function renderMarkdown(report: GateReport): string {
  const columns = gateColumns(report.settings)
  const row = (values: string[]) => `| ${values.map(escapeCell).join(' | ')} |`
  const lines = [
    `### ${MARK[report.verdict]} ${headline(report)}`,
    '',
    runsLine(report),
    '',
    verdictLine(report),
    '',
    row(columns.map((column) => column.header)),
    `| ${columns.map((column) => (column.align === 'right' ? '---:' : ':---')).join(' | ')} |`,
    ...report.rows.map((gateRow) => row(columns.map((column) => (column.header === 'Verdict' ? emphasise(column.cell(gateRow)) : column.cell(gateRow))))),
    '',
    rulesLine(report.settings),
    ...(report.notes.length > 0 ? ['', ...report.notes.map((note) => `- ${note}`)] : []),
    '',
  ]
  return lines.join('\n')
}

function emphasise(verdict: string): string {
  return verdict === 'fail' || verdict === 'inconclusive' ? `**${verdict}**` : verdict
}

/** Table cells cannot hold pipes or line breaks. */
function escapeCell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ')
}
