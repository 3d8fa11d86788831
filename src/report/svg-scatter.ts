/**
 * A scatter chart as inline SVG: one point per item at (x, y), a vertical whisker for y's
 * interval, and the item's name written beside its point (direct labels read in a grey print
 * where a colour legend would not). Labels that would overlap are nudged apart vertically.
 */
import {escapeHtml} from './format.js'

export interface ScatterPoint {
  key: string // data-variant value
  label: string
  color: string
  x: number
  y: number
  whisker?: {low: number; high: number} // interval of y
  tooltip?: string
  /** Its label may be left out where there is no room near the point. */
  minor?: boolean
}

export interface ScatterSpec {
  chart: string
  title: string
  points: readonly ScatterPoint[]
  xLabel: string
  yLabel: string
  xTick: (value: number) => string
  yTick: (value: number) => string
  /** A horizontal dashed line (e.g. the floor), labelled at its right end. */
  reference?: {at: number; label: string; kind: string}
  /** More such lines (e.g. a target time). */
  references?: ReadonlyArray<{at: number; label: string; kind: string}>
  /** A log x axis: spreads points that differ by a few percent when a few others lie far out. */
  xLog?: boolean
  /** Points joined by a dotted line, in x order (e.g. the Pareto front). */
  front?: ReadonlyArray<{x: number; y: number}>
  /** Rows with no point (not measured), listed under the plot. */
  notes?: readonly string[]
  attributes?: Record<string, string>
}

const WIDTH = 560
const HEIGHT = 300
const LEFT = 56
const RIGHT = 130 // room for labels right of the last points
const TOP = 16
const BOTTOM = 40
const LABEL_GAP = 13

export function renderScatter(spec: ScatterSpec): string {
  const notes = spec.notes ?? []
  const height = HEIGHT + notes.length * 15
  const plotBottom = HEIGHT - BOTTOM
  const x0 = LEFT
  const x1 = WIDTH - RIGHT
  const xMax = niceCeil(Math.max(...spec.points.map((p) => p.x), 1e-9) * 1.05)
  const xMin = spec.xLog ? niceFloor(Math.min(...spec.points.map((p) => p.x), xMax) / 1.05) : 0
  const lines = [...(spec.reference ? [spec.reference] : []), ...(spec.references ?? [])]
  const yMax = niceCeil(Math.max(...spec.points.map((p) => p.whisker?.high ?? p.y), ...lines.map((line) => line.at), 1e-12) * 1.05)
  const x = spec.xLog
    ? (value: number) => x0 + (Math.log(Math.max(value, xMin) / xMin) / Math.log(xMax / xMin)) * (x1 - x0)
    : (value: number) => x0 + (value / xMax) * (x1 - x0)
  const y = (value: number) => plotBottom - (value / yMax) * (plotBottom - TOP)

  const parts: string[] = []
  for (const tick of spec.xLog ? logTicks(xMin, xMax) : ticks(xMax)) {
    parts.push(`<line class="grid" x1="${n(x(tick))}" x2="${n(x(tick))}" y1="${TOP}" y2="${plotBottom}"/>`)
    parts.push(`<text class="tick" x="${n(x(tick))}" y="${plotBottom + 15}" text-anchor="middle">${escapeHtml(spec.xTick(tick))}</text>`)
  }
  for (const tick of ticks(yMax)) {
    parts.push(`<line class="grid" x1="${x0}" x2="${x1}" y1="${n(y(tick))}" y2="${n(y(tick))}"/>`)
    parts.push(`<text class="tick" x="${x0 - 6}" y="${n(y(tick) + 4)}" text-anchor="end">${escapeHtml(spec.yTick(tick))}</text>`)
  }
  parts.push(`<line class="axis" x1="${x0}" x2="${x1}" y1="${plotBottom}" y2="${plotBottom}"/><line class="axis" x1="${x0}" x2="${x0}" y1="${TOP}" y2="${plotBottom}"/>`)
  parts.push(`<text class="axis-label" x="${n((x0 + x1) / 2)}" y="${plotBottom + 32}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>`)
  parts.push(`<text class="axis-label" transform="translate(14 ${n((TOP + plotBottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`)

  for (const line of lines) {
    const ry = y(line.at)
    parts.push(
      `<g class="ref ref-${escapeHtml(line.kind)}"><line x1="${x0}" x2="${x1}" y1="${n(ry)}" y2="${n(ry)}"/>` +
        `<text x="${x1 + 4}" y="${n(ry + 4)}">${escapeHtml(line.label)}</text></g>`,
    )
  }

  if (spec.front && spec.front.length > 1) {
    const path = [...spec.front].sort((a, b) => a.x - b.x).map((p) => `${n(x(p.x))},${n(y(p.y))}`).join(' ')
    parts.push(`<polyline class="front" points="${path}"/>`)
  }

  // Labels beside their points, nudged up or down (nearest free row first, inside the plot) when
  // they would overlap one already placed: widths are estimated from the label's length.
  const placed: Array<{x: number; y: number; width: number}> = []
  const widthOf = (label: string) => label.length * 7 + 4
  const free = (x: number, y: number, width: number) => !placed.some((other) => x < other.x + other.width && other.x < x + width && Math.abs(other.y - y) < LABEL_GAP)
  const ordered = [...spec.points].sort((a, b) => b.y - a.y)
  for (const point of ordered) {
    const px = x(point.x)
    const py = y(point.y)
    const tooltip = point.tooltip ? `<title>${escapeHtml(point.tooltip)}</title>` : ''
    if (point.whisker) {
      const a = y(point.whisker.low)
      const b = y(point.whisker.high)
      parts.push(`<g class="whisker"><line x1="${n(px)}" x2="${n(px)}" y1="${n(a)}" y2="${n(b)}"/><line x1="${n(px - 4)}" x2="${n(px + 4)}" y1="${n(a)}" y2="${n(a)}"/><line x1="${n(px - 4)}" x2="${n(px + 4)}" y1="${n(b)}" y2="${n(b)}"/></g>`)
    }
    parts.push(`<circle class="point" data-variant="${escapeHtml(point.key)}" cx="${n(px)}" cy="${n(py)}" r="5.5" fill="${escapeHtml(point.color)}">${tooltip}</circle>`)
    const width = widthOf(point.label)
    const offsets = Array.from({length: 24}, (_, k) => (k % 2 === 0 ? 1 : -1) * Math.ceil(k / 2) * LABEL_GAP)
    const ly = offsets.slice(0, point.minor ? 5 : offsets.length).map((offset) => py + 4 + offset).find((y) => y > TOP + 4 && y < plotBottom - 2 && free(px + 9, y, width))
    // A minor label with no room near its point is left out (the tooltip and the table name it).
    if (ly === undefined) {
      if (point.minor) continue
    }

    const labelY = ly ?? py + 4
    placed.push({x: px + 9, y: labelY, width})
    if (Math.abs(labelY - (py + 4)) > LABEL_GAP / 2) parts.push(`<line class="leader" x1="${n(px + 6)}" x2="${n(px + 9)}" y1="${n(py)}" y2="${n(labelY - 4)}"/>`)
    parts.push(`<text class="point-label${point.minor ? ' minor' : ''}" x="${n(px + 9)}" y="${n(labelY)}">${escapeHtml(point.label)}</text>`)
  }
  if (spec.points.length === 0) parts.push(`<text class="na" x="${x0 + 8}" y="${TOP + 20}">nothing measured</text>`)
  notes.forEach((note, index) => parts.push(`<text class="na" x="${x0}" y="${HEIGHT + 4 + index * 15}">${escapeHtml(note)}</text>`))

  const attributes = Object.entries(spec.attributes ?? {})
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('')
  return (
    `<svg class="chart scatter" data-chart="${escapeHtml(spec.chart)}"${attributes} viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" aria-label="${escapeHtml(spec.title)}"><title>${escapeHtml(spec.title)}</title>${parts.join('')}</svg>`
  )
}

function niceFloor(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [10, 8, 6, 5, 4, 3, 2.5, 2, 1.5, 1.2, 1]) if (step * power <= value * (1 + 1e-9)) return step * power
  return power
}

/** Ticks of a log axis: 1, 2, 5 × powers of ten inside [min, max], and both ends. */
function logTicks(min: number, max: number): number[] {
  const list = [min]
  for (let power = 10 ** Math.floor(Math.log10(min)); power <= max; power *= 10) {
    for (const step of [1, 2, 5]) if (step * power > min * 1.15 && step * power < max / 1.15) list.push(step * power)
  }
  list.push(max)
  return list
}

function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * power >= value * (1 - 1e-9)) return step * power
  return 10 * power
}

function ticks(max: number): number[] {
  const power = 10 ** Math.floor(Math.log10(max / 5))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => max / candidate <= 6) ?? max
  const list: number[] = []
  for (let value = 0; value <= max * (1 + 1e-9); value += step) list.push(Number(value.toPrecision(12)))
  return list
}

function n(value: number): string {
  return String(Math.round(value * 100) / 100)
}
