/**
 * The one verdict table both renderers (plain text for stdout, Markdown for job summaries) are
 * derived from, plus the sentences around it. Add a column here and both outputs get it.
 */
import {formatBytes, formatCount, formatTimes, sig3} from '../report/format.js'
import type {GateMetric, GateReport, GateRow, GateSettings, RunIdentity} from './report.js'

export interface GateColumn {
  header: string
  align: 'left' | 'right'
  cell(row: GateRow): string
}

export function gateColumns(settings: GateSettings): GateColumn[] {
  return [
    {header: 'Scenario', align: 'left', cell: (row) => row.scenario},
    {header: 'Variant', align: 'left', cell: (row) => row.variant},
    {header: 'Metric', align: 'left', cell: (row) => row.metric},
    {header: 'Clock', align: 'left', cell: (row) => row.clock ?? ''},
    {header: 'Baseline', align: 'right', cell: (row) => formatValue(row.metric, row.baseline)},
    {header: 'Current', align: 'right', cell: (row) => formatValue(row.metric, row.current)},
    {header: 'Change', align: 'right', cell: (row) => (row.change === null ? '-' : formatChange(row.change))},
    {
      header: `${Math.round(settings.confidence * 100)}% joint interval`,
      align: 'right',
      cell: (row) => (row.interval ? `[${formatChange(row.interval[0])}, ${formatChange(row.interval[1])}]` : '-'),
    },
    {header: 'Runs', align: 'right', cell: (row) => (row.runs ? `${row.runs.baseline}/${row.runs.current}` : row.interval ? '1/1' : '-')},
    {header: 'Detectable', align: 'right', cell: (row) => (row.detectable === undefined ? '-' : formatChange(row.detectable))},
    {header: 'Verdict', align: 'left', cell: (row) => row.verdict},
    {header: 'Note', align: 'left', cell: (row) => row.reason ?? ''},
  ]
}

export function formatValue(metric: GateMetric, value: number | null): string {
  if (value === null) return '-'
  switch (metric) {
    case 'ratioToGzip':
    case 'ratioToFloor': {
      return formatTimes(value)
    }
    case 'storedBytes':
    case 'rawBytes': {
      return formatBytes(value)
    }
    case 'files': {
      return formatCount(value)
    }
    case 'compressionRatio': {
      return sig3(value)
    }
  }
}

/** A relative change as a signed percentage; small non-zero changes keep two digits. */
export function formatChange(fraction: number): string {
  if (!Number.isFinite(fraction)) return fraction > 0 ? '+inf' : '-inf'
  const percent = fraction * 100
  if (percent === 0) return '0%'
  const digits = Math.abs(percent) >= 0.1 ? percent.toFixed(1) : percent.toPrecision(2)
  return `${percent > 0 ? '+' : ''}${digits}%`
}

export function headline(report: GateReport): string {
  const counts = Object.entries(report.counts)
    .filter(([, count]) => count > 0)
    .map(([verdict, count]) => `${count} ${verdict}`)
    .join(', ')
  return `holobench gate: ${report.verdict.toUpperCase()} (${counts || 'no rows'})`
}

export function runsLine(report: GateReport): string {
  return `baseline ${describeRun(report.baseline)} -> current ${describeRun(report.current)}`
}

function describeRun(run: RunIdentity): string {
  return `holobench ${run.version}${run.commit ? ` ${run.commit.slice(0, 12)}` : ''} (${run.date})`
}

/**
 * What the overall verdict means, in one sentence: which claim the data supports, and the
 * smallest regression the run could have caught.
 */
export function verdictLine(report: GateReport): string {
  const threshold = formatChange(report.settings.threshold)
  const runs = report.currentRuns && report.currentRuns > 1 ? ` (${report.currentRuns} runs pooled)` : ''
  const could = report.detectable === undefined ? '' : ` Smallest regression this comparison could detect (80% power): ${formatChange(report.detectable)}${runs}.`
  switch (report.verdict) {
    case 'pass': {
      return `Verdict PASS: evidence that nothing regressed beyond ${threshold}.${could}`
    }
    case 'fail': {
      return `Verdict FAIL: evidence of a regression beyond ${threshold}.${could}`
    }
    case 'inconclusive': {
      return `Verdict INCONCLUSIVE: no evidence either way at ${threshold}; the intervals are too wide (a noisy machine, or too few restores). Not a pass.${could}`
    }
  }
}

function rowPercent(settings: GateSettings): string {
  const row = (settings.rowConfidence ?? settings.confidence) * 100
  return `${Number(row.toFixed(row >= 99.95 ? 2 : 1))}%`
}

/** How verdicts were decided, in words, so a reader of a failed job knows what "fail" means. */
export function rulesLine(settings: GateSettings): string {
  const confidence = `${Math.round(settings.confidence * 100)}%`
  const fail = formatChange(settings.threshold)
  const statistic = settings.quantile === 0.5 ? 'median' : `p${Math.round(settings.quantile * 100)}`
  return (
    `Timing rows compare in-run ratios of the ${statistic} restore time (variant/gzip, variant/floor; ` +
    `Clock: cpu = process CPU time, wall = elapsed), with an interval of the change: a bootstrap over restores, widened to Student's t over runs ` +
    `when both sides pooled runs (Runs: baseline/current), at ${rowPercent(settings)} per row so that the ${confidence} holds for all timing rows jointly. ` +
    `fail: the interval is above 0 and the change above ${fail}; ` +
    `pass: the interval is below ${fail} and the change below ${formatChange(settings.threshold / 2)}; improved: a pass with the interval below 0 and the change below ${formatChange(-settings.threshold)}; ` +
    `inconclusive: anything else. Detectable: the smallest true regression the row would fail with 80% probability. ` +
    `Files and raw bytes must match exactly; stored bytes and compression ratio within ${formatChange(settings.bytesTolerance).replace('+', '')}.`
  )
}
