/**
 * A horizontal bar chart as inline SVG: one row per item, optional error bar (whisker), text
 * instead of a bar for rows that were not measured, dashed vertical reference lines and claim
 * markers. Horizontal bars keep variant names readable without rotation. No script, no fonts:
 * the SVG inherits the page's system font, so the report stays a single offline file.
 */
import {escapeHtml} from './format.js'

export interface BarItem {
  key: string // data-variant / data-codec value, for tests and styling
  label: string
  color: string
  value?: number // bar end; absent: the row shows `note` instead of a bar
  from?: number // bar start; defaults to the axis origin (0, or 1 on a log axis)
  whisker?: {low: number; high: number}
  valueText?: string // shown in the right-hand column
  note?: string // shown in place of a bar (unsupported, failed, …)
  tooltip?: string
  marker?: {at: number; to?: number; label: string} // a claimed value (or range) for this row
}

export interface ReferenceLine {
  at: number
  label: string
  kind: string // css class suffix: floor, baseline, raw
}

export interface BarChartSpec {
  chart: string // data-chart name
  title: string // accessible name
  items: readonly BarItem[]
  scale: 'linear' | 'log'
  axisLabel: string
  tick: (value: number) => string
  references?: readonly ReferenceLine[]
  attributes?: Record<string, string>
  valueColumnWidth?: number
  /** Linear axes only: end the axis here even if a whisker goes further (it then ends in an arrow). */
  cap?: number
}

const WIDTH = 560
const LABEL_WIDTH = 136
const ROW = 30
const BAR = 16
const TOP = 38 // two staggered rows of reference-line labels
const BOTTOM = 38 // axis ticks and axis label

export function renderBarChart(spec: BarChartSpec): string {
  const valueWidth = spec.valueColumnWidth ?? 92
  const x0 = LABEL_WIDTH
  const x1 = WIDTH - valueWidth
  const rows = Math.max(spec.items.length, 1)
  const plotBottom = TOP + rows * ROW
  const height = plotBottom + BOTTOM
  const references = spec.references ?? []

  const [min, max] = domain(spec, references)
  const x = scaleFn(spec.scale, min, max, x0, x1)
  const origin = spec.scale === 'log' ? 1 : 0
  const ticks = spec.scale === 'log' ? logTicks(min, max) : linearTicks(max)

  const parts: string[] = []
  // Grid and axis first so bars draw over them.
  for (const tick of ticks) {
    const tx = x(tick)
    parts.push(`<line class="grid" x1="${n(tx)}" x2="${n(tx)}" y1="${TOP}" y2="${plotBottom}"/>`)
    parts.push(`<text class="tick" x="${n(tx)}" y="${plotBottom + 15}" text-anchor="middle">${escapeHtml(spec.tick(tick))}</text>`)
  }
  parts.push(`<line class="axis" x1="${x0}" x2="${x1}" y1="${plotBottom}" y2="${plotBottom}"/>`)
  parts.push(`<text class="axis-label" x="${n((x0 + x1) / 2)}" y="${plotBottom + 32}" text-anchor="middle">${escapeHtml(spec.axisLabel)}</text>`)

  spec.items.forEach((item, index) => {
    const cy = TOP + index * ROW + ROW / 2
    const tooltip = item.tooltip ? `<title>${escapeHtml(item.tooltip)}</title>` : ''
    const label = truncate(item.label, 19)
    const labelTitle = tooltip || (label === item.label ? '' : `<title>${escapeHtml(item.label)}</title>`)
    parts.push(`<text class="label" x="${x0 - 8}" y="${n(cy + 4)}" text-anchor="end">${escapeHtml(label)}${labelTitle}</text>`)
    const key = escapeHtml(item.key)
    // Claim markers go on top of bars (drawn last) so a bar never hides the claimed value.
    const claim = item.marker ? marker(item.marker, x, cy) : ''
    if (item.value === undefined) {
      const room = Math.floor((x1 - x0 - 8) / 6.2)
      parts.push(claim)
      parts.push(`<text class="na" data-variant="${key}" x="${x0 + 6}" y="${n(cy + 4)}">${escapeHtml(truncate(item.note ?? 'not measured', room))}${tooltip}</text>`)
      return
    }
    const a = x(item.from ?? origin)
    const b = x(item.value)
    const left = Math.min(a, b)
    const width = Math.max(Math.abs(b - a), 1.5) // a visible sliver even at the origin
    parts.push(
      `<rect class="bar" data-variant="${key}" x="${n(left)}" y="${n(cy - BAR / 2)}" width="${n(width)}" height="${BAR}" rx="2" fill="${escapeHtml(item.color)}">${tooltip}</rect>`,
    )
    if (item.whisker) parts.push(whisker(x(item.whisker.low), x(item.whisker.high), cy, item.whisker.high > max))
    parts.push(claim)
    if (item.valueText) parts.push(`<text class="value" x="${x1 + 10}" y="${n(cy + 4)}">${escapeHtml(item.valueText)}</text>`)
  })
  if (spec.items.length === 0) parts.push(`<text class="na" x="${x0 + 6}" y="${TOP + ROW / 2 + 4}">nothing measured</text>`)

  references.forEach((reference, index) => {
    const rx = x(reference.at)
    const labelY = index % 2 === 0 ? 14 : 28
    const anchor = rx < x0 + 40 ? 'start' : rx > x1 - 40 ? 'end' : 'middle'
    parts.push(
      `<g class="ref ref-${escapeHtml(reference.kind)}"><line x1="${n(rx)}" x2="${n(rx)}" y1="${labelY + 4}" y2="${plotBottom}"/>` +
        `<text x="${n(rx)}" y="${labelY}" text-anchor="${anchor}">${escapeHtml(reference.label)}</text></g>`,
    )
  })

  const attributes = Object.entries(spec.attributes ?? {})
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('')
  return (
    `<svg class="chart" data-chart="${escapeHtml(spec.chart)}"${attributes} viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" aria-label="${escapeHtml(spec.title)}"><title>${escapeHtml(spec.title)}</title>${parts.join('')}</svg>`
  )
}

function whisker(low: number, high: number, cy: number, offScale: boolean): string {
  const cap = 5
  const end = offScale
    ? `<path class="off-scale" d="M${n(high - 7)} ${n(cy - 5)} L${n(high)} ${n(cy)} L${n(high - 7)} ${n(cy + 5)} Z"/>`
    : `<line x1="${n(high)}" x2="${n(high)}" y1="${n(cy - cap)}" y2="${n(cy + cap)}"/>`
  return (
    `<g class="whisker${offScale ? ' clipped' : ''}"><line x1="${n(low)}" x2="${n(high)}" y1="${n(cy)}" y2="${n(cy)}"/>` +
    `<line x1="${n(low)}" x2="${n(low)}" y1="${n(cy - cap)}" y2="${n(cy + cap)}"/>${end}</g>`
  )
}

function marker(spec: NonNullable<BarItem['marker']>, x: (value: number) => number, cy: number): string {
  const title = `<title>${escapeHtml(spec.label)}</title>`
  const half = ROW / 2 - 1
  if (spec.to !== undefined) {
    const a = x(spec.at)
    const b = x(spec.to)
    return `<rect class="claim-band" x="${n(a)}" y="${n(cy - half)}" width="${n(b - a)}" height="${n(half * 2)}">${title}</rect>`
  }
  const mx = x(spec.at)
  return `<line class="claim-tick" x1="${n(mx)}" x2="${n(mx)}" y1="${n(cy - half)}" y2="${n(cy + half)}">${title}</line>`
}

function domain(spec: BarChartSpec, references: readonly ReferenceLine[]): [number, number] {
  const values: number[] = []
  for (const item of spec.items) {
    if (item.value !== undefined) values.push(item.value)
    if (item.from !== undefined) values.push(item.from)
    if (item.whisker) values.push(item.whisker.low, item.whisker.high)
    if (item.marker) values.push(item.marker.at, item.marker.to ?? item.marker.at)
  }
  for (const reference of references) values.push(reference.at)
  const finite = values.filter((value) => Number.isFinite(value) && (spec.scale === 'linear' || value > 0))
  if (spec.scale === 'linear') {
    const top = Math.min(Math.max(...finite, 0), spec.cap ?? Number.POSITIVE_INFINITY)
    return [0, top > 0 ? niceCeil(top * 1.04) : 1]
  }
  const low = Math.min(...finite, 1)
  const high = Math.max(...finite, 1)
  return [stepBelow(low / 1.15), stepAbove(high * 1.15)]
}

function scaleFn(scale: 'linear' | 'log', min: number, max: number, x0: number, x1: number): (value: number) => number {
  const clamp = (value: number) => Math.min(Math.max(value, x0), x1)
  if (scale === 'linear') return (value) => clamp(x0 + ((value - min) / (max - min)) * (x1 - x0))
  const lmin = Math.log(min)
  const span = Math.log(max) - lmin
  return (value) => clamp(x0 + ((Math.log(Math.max(value, Number.MIN_VALUE)) - lmin) / span) * (x1 - x0))
}

/** Round up to a value a tick step divides, so the axis ends on a labelled tick without much waste. */
function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * power >= value * (1 - 1e-9)) return step * power
  return 10 * power
}

function linearTicks(max: number): number[] {
  const power = 10 ** Math.floor(Math.log10(max / 5))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => max / candidate <= 6) ?? max
  const ticks: number[] = []
  for (let value = 0; value <= max * (1 + 1e-9); value += step) ticks.push(Number(value.toPrecision(12)))
  return ticks
}

const LOG_STEPS = [1, 2, 5]

function stepBelow(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value))
  return [...LOG_STEPS].reverse().map((m) => m * power).find((candidate) => candidate <= value * (1 + 1e-9)) ?? power
}

function stepAbove(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value))
  return [...LOG_STEPS, 10].map((m) => m * power).find((candidate) => candidate >= value * (1 - 1e-9)) ?? 10 * power
}

function logTicks(min: number, max: number): number[] {
  const ticks: number[] = []
  for (let power = 10 ** Math.floor(Math.log10(min)); power <= max; power *= 10) {
    for (const m of LOG_STEPS) {
      const value = Number((m * power).toPrecision(6))
      if (value >= min * (1 - 1e-9) && value <= max * (1 + 1e-9)) ticks.push(value)
    }
  }
  // On wide ranges keep only decades so tick labels do not collide.
  return ticks.length > 9 ? ticks.filter((value) => Number.isInteger(Math.log10(value)) || Math.abs(Math.log10(value) - Math.round(Math.log10(value))) < 1e-9) : ticks
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(max - 1, 1))}…`
}

/** Two decimals are plenty for screen coordinates and keep the file small. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100)
}
