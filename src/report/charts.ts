/**
 * The three charts of a scenario, built from its results: restore time per variant, speed-up
 * over gzip, library size per codec. The floor row (a plain recursive copy) is never a bar; it is
 * the dashed reference line a restore cannot beat.
 */
import type {ScenarioResult, VariantResult} from '../bench/results.js'
import {CLAIMS, claimText} from './claims.js'
import {formatBytes, formatFactor, formatSeconds, formatTimes, sig3, speedupOf, timeUnitFor, trimmed} from './format.js'
import {medianInterval} from './median-interval.js'
import {codecColour, variantColour} from './palette.js'
import {renderBarChart, type BarItem, type ReferenceLine} from './svg-bars.js'
import {renderScatter, type ScatterPoint} from './svg-scatter.js'
import {libraryFor} from './columns.js'

export const FLOOR = 'floor'
export const BASELINE = 'gzip'

export function variantRows(scenario: ScenarioResult): VariantResult[] {
  return scenario.rows.filter((row) => row.variant !== FLOOR)
}

export function floorRow(scenario: ScenarioResult): VariantResult | undefined {
  return scenario.rows.find((row) => row.variant === FLOOR && row.status === 'ok' && row.stats)
}

function notMeasured(row: VariantResult): string {
  return row.reason ? `${row.status}: ${row.reason}` : row.status
}

/** Bar = median; whisker = its 95% interval (as on every chart); the floor median is the reference line. */
export function timeChart(scenario: ScenarioResult): string {
  const floor = floorRow(scenario)
  const rows = variantRows(scenario)
  const intervals = new Map(rows.map((row) => [row.variant, medianInterval(row)]))
  const top = Math.max(...rows.map((row) => intervals.get(row.variant)?.high ?? 0), floor?.stats?.median ?? 0)
  const unit = timeUnitFor(top)
  const items = rows.map((row): BarItem => {
    const base = {key: row.variant, label: row.variant, color: variantColour(row.variant)}
    const interval = intervals.get(row.variant)
    if (row.status !== 'ok' || !row.stats || !interval) return {...base, note: notMeasured(row), tooltip: `${row.variant}: ${notMeasured(row)}`}
    const s = row.stats
    return {
      ...base,
      value: s.median,
      whisker: {low: interval.low, high: interval.high},
      valueText: formatSeconds(s.median, unit),
      tooltip: `${row.variant}: median ${formatSeconds(s.median, unit)} (95% interval ${formatSeconds(interval.low, unit)}–${formatSeconds(interval.high, unit)}), fastest ${formatSeconds(s.min, unit)}, slowest ${formatSeconds(s.max, unit)}, ${s.runs} runs`,
    }
  })
  const references: ReferenceLine[] = floor?.stats ? [{at: floor.stats.median, label: `floor (plain copy) ${formatSeconds(floor.stats.median, unit)}`, kind: 'floor'}] : []
  return renderBarChart({
    chart: 'time',
    title: `Restore time per variant, ${scenario.scenario}`,
    items,
    scale: 'linear',
    axisLabel: `restore time (${unit.suffix}), shorter is better`,
    tick: (value) => trimmed(value * unit.scale),
    references,
    attributes: {'data-scenario': scenario.scenario},
  })
}

/**
 * Speed-up over gzip on a log axis (2× and ½× are equally far from 1×), bars grow from the gzip
 * line; whisker = the 95% interval of the ratio; claims are drawn as ticks or bands on their row.
 */
export function speedupChart(scenario: ScenarioResult): string {
  const floor = floorRow(scenario)
  const rows = variantRows(scenario).filter((row) => row.variant !== BASELINE)
  const items = rows.map((row): BarItem => {
    const claim = CLAIMS.find((candidate) => candidate.variant === row.variant)
    const base: BarItem = {
      key: row.variant,
      label: row.variant,
      color: variantColour(row.variant),
      marker: claim ? {at: claim.atLeast, to: claim.upTo, label: `expected by the proposal: ${claimText(claim)} faster than gzip`} : undefined,
    }
    if (row.status !== 'ok') return {...base, note: notMeasured(row), tooltip: `${row.variant}: ${notMeasured(row)}`}
    if (!row.ratioToGzip) return {...base, note: 'no gzip row to compare with'}
    const speedup = speedupOf(row.ratioToGzip)
    return {
      ...base,
      value: speedup.value,
      from: 1,
      whisker: {low: speedup.low, high: speedup.high},
      valueText: formatTimes(speedup.value),
      tooltip: `${row.variant}: ${formatTimes(speedup.value)} gzip's speed (95% interval ${sig3(speedup.low)}–${formatTimes(speedup.high)})`,
    }
  })
  const references: ReferenceLine[] = [{at: 1, label: 'gzip 1×', kind: 'baseline'}]
  if (floor?.ratioToGzip) {
    const value = speedupOf(floor.ratioToGzip).value
    references.push({at: value, label: `floor ${formatTimes(value)}`, kind: 'floor'})
  }
  return renderBarChart({
    chart: 'speedup',
    title: `Speed-up over gzip, ${scenario.scenario}`,
    items,
    scale: 'log',
    axisLabel: 'speed-up over gzip (log scale), longer is better',
    tick: formatFactor,
    references,
    attributes: {'data-scenario': scenario.scenario},
  })
}

/** Stored library bytes per codec against the raw tree size. */
export function libraryChart(scenario: ScenarioResult): string {
  const items = scenario.libraries.map(
    (library): BarItem => ({
      key: library.level === undefined ? library.codec : `${library.codec}-l${library.level}`,
      label: `${library.codec}${library.level === undefined ? '' : ` level ${library.level}`}${library.zstdBackend ? ` (${library.zstdBackend})` : ''}`,
      color: codecColour(library.codec),
      value: library.storedBytes,
      valueText: `${formatBytes(library.storedBytes)} · ${formatTimes(library.ratio)}`,
      tooltip: `${library.codec}: ${formatBytes(library.storedBytes)} stored for ${formatBytes(library.rawBytes)} raw (${formatTimes(library.ratio)}), catalog ${formatBytes(library.catalogBytes)}, lifted in ${formatSeconds(library.liftSeconds)}`,
    }),
  )
  const raw = Math.max(0, ...scenario.libraries.map((library) => library.rawBytes))
  const top = Math.max(raw, ...scenario.libraries.map((library) => library.storedBytes))
  const unit = bytesUnit(top)
  return renderBarChart({
    chart: 'library',
    title: `Library size per codec, ${scenario.scenario}`,
    items,
    scale: 'linear',
    axisLabel: `stored library size (${unit.suffix}), smaller is better`,
    tick: (value) => trimmed(value / unit.divisor),
    references: raw > 0 ? [{at: raw, label: `raw ${formatBytes(raw)}`, kind: 'raw'}] : [],
    attributes: {'data-scenario': scenario.scenario},
    valueColumnWidth: 112,
  })
}

/** One byte unit for a whole axis, from the largest value shown. */
export function bytesUnit(top: number): {suffix: string; divisor: number} {
  if (top >= 1e9) return {suffix: 'GB', divisor: 1e9}
  if (top >= 1e6) return {suffix: 'MB', divisor: 1e6}
  if (top >= 1e3) return {suffix: 'kB', divisor: 1e3}
  return {suffix: 'bytes', divisor: 1}
}

/**
 * The trade-off a maintainer is choosing: restore time (median, 95% interval) against the stored
 * size of the library each variant restores from. Down and left is better; the floor is the
 * dashed line no restore goes below.
 */
export function tradeoffChart(scenario: ScenarioResult): string {
  const floor = floorRow(scenario)
  const points: ScatterPoint[] = []
  const notes: string[] = []
  for (const row of variantRows(scenario)) {
    const library = libraryFor(scenario, row)
    const interval = medianInterval(row)
    if (!library || !interval) {
      notes.push(`${row.variant}: ${row.status === 'ok' ? 'no library size' : notMeasured(row)}`)
      continue
    }
    points.push({
      key: row.variant,
      label: row.variant,
      color: variantColour(row.variant),
      x: library.storedBytes,
      y: interval.value,
      whisker: {low: interval.low, high: interval.high},
      tooltip: `${row.variant}: ${formatSeconds(interval.value)} (95% interval ${formatSeconds(interval.low)}–${formatSeconds(interval.high)}) from a ${formatBytes(library.storedBytes)} ${library.codec} library`,
    })
  }
  const top = Math.max(...points.map((point) => point.whisker?.high ?? point.y), floor?.stats?.median ?? 0)
  const unit = timeUnitFor(top)
  const bytes = bytesUnit(Math.max(...points.map((point) => point.x), 1))
  return renderScatter({
    chart: 'tradeoff',
    title: `Restore time against library size, ${scenario.scenario}`,
    points,
    xLabel: `stored library size (${bytes.suffix}), smaller is better`,
    yLabel: `restore time (${unit.suffix}), lower is better`,
    xTick: (value) => trimmed(value / bytes.divisor),
    yTick: (value) => trimmed(value * unit.scale),
    reference: floor?.stats ? {at: floor.stats.median, label: `floor ${formatSeconds(floor.stats.median, unit)}`, kind: 'floor'} : undefined,
    notes,
    attributes: {'data-scenario': scenario.scenario},
  })
}
