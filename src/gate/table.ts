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
      header: `${Math.round(settings.confidence * 100)}% interval`,
      align: 'right',
      cell: (row) => (row.interval ? `[${formatChange(row.interval[0])}, ${formatChange(row.interval[1])}]` : '-'),
    },
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

/** How verdicts were decided, in words, so a reader of a failed job knows what "fail" means. */
export function rulesLine(settings: GateSettings): string {
  const confidence = `${Math.round(settings.confidence * 100)}%`
  const fail = formatChange(settings.threshold)
  const warn = formatChange(settings.warnThreshold)
  const statistic = settings.quantile === 0.5 ? 'median' : `p${Math.round(settings.quantile * 100)}`
  return (
    `Timing rows compare in-run ratios of the ${statistic} restore time (variant/gzip, variant/floor; ` +
    `Clock: cpu = process CPU time, wall = elapsed). ` +
    `fail: the whole ${confidence} bootstrap interval of the change is above ${fail}; ` +
    `warn: the interval is above ${warn}, or the change is above ${fail} but not significant; improved: the interval is below ${formatChange(-settings.warnThreshold)}. ` +
    `Files and raw bytes must match exactly; stored bytes and compression ratio within ${formatChange(settings.bytesTolerance).replace('+', '')}.`
  )
}
