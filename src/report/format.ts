/**
 * Human-readable formatting shared by the HTML and Markdown reports. The CSV never uses these:
 * it keeps full-precision numbers so it round-trips.
 */

import type {ResultsFile} from '../bench/results.js'

/** Escape text for HTML and SVG (element content and double-quoted attributes alike). */
export function escapeHtml(text: unknown): string {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/** Three significant digits, without exponent notation for the ranges we show. */
export function sig3(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '−∞' : '–'
  const abs = Math.abs(value)
  if (abs >= 100) return Math.round(value).toLocaleString('en-US')
  if (abs >= 10) return value.toFixed(1)
  if (abs >= 1) return value.toFixed(2)
  if (abs === 0) return '0'
  return value.toPrecision(3)
}

export interface TimeUnit {
  suffix: string
  scale: number // multiply seconds by this
}

/** One time unit for a whole axis or table column, chosen from the largest value shown. */
export function timeUnitFor(maxSeconds: number): TimeUnit {
  if (maxSeconds >= 1) return {suffix: 's', scale: 1}
  if (maxSeconds >= 1e-3) return {suffix: 'ms', scale: 1e3}
  return {suffix: 'µs', scale: 1e6}
}

export function formatSeconds(seconds: number, unit: TimeUnit = timeUnitFor(seconds)): string {
  if (seconds === 0) return '0 s'
  return `${sig3(seconds * unit.scale)} ${unit.suffix}`
}

/** SI units (1 MB = 1e6 bytes), matching mbPerSecond in the results file. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let index = 0
  while (Math.abs(value) >= 1000 && index < units.length - 1) {
    value /= 1000
    index++
  }
  return index === 0 ? `${bytes} B` : `${sig3(value)} ${units[index]}`
}

export function formatTimes(factor: number): string {
  return `${sig3(factor)}×`
}

/** Three significant digits without padding zeros (2, 2.5, 0.25): for axis ticks and labels. */
export function trimmed(value: number): string {
  const text = sig3(value)
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text
}

/** A factor as people write it: 3×, 2.5×, 0.84× (for labels; tables keep aligned digits). */
export function formatFactor(factor: number): string {
  return `${trimmed(factor)}×`
}

export function formatCount(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : sig3(value)
}

export function formatPercent(value: number, signed = false): string {
  const text = `${Math.abs(value) >= 10 ? value.toFixed(0) : value.toFixed(1)}%`
  return signed && value > 0 ? `+${text}` : text.replace('-', '−')
}

/** Speed-up over gzip from a time ratio (time / gzip time): the interval flips. */
export function speedupOf(ratio: {value: number; low: number; high: number}): {value: number; low: number; high: number} {
  return {value: invert(ratio.value), low: invert(ratio.high), high: invert(ratio.low)}
}

function invert(value: number): number {
  return value > 0 ? 1 / value : Number.POSITIVE_INFINITY
}

export function formatInterval(interval: {value: number; low: number; high: number}, format: (n: number) => string = formatTimes): string {
  return `${format(interval.value)} (${sig3(interval.low)}–${sig3(interval.high)})`
}

/** Where and when a run was measured, in one line: enough to tell two runs apart at a glance. */
export function runSummary(file: ResultsFile): string {
  const e = file.environment
  const date = e.date.replace('T', ' ').replace(/(:\d\d)(\.\d+)?Z$/, '$1 UTC')
  const mode = file.settings.mode === 'process' ? 'each restore a fresh process (spawn to exit)' : 'restores in-process, warmed up (engine profiling)'
  return [date, mode, `${e.cpuModel} × ${e.cpuCount}`, `${formatBytes(e.memoryBytes)} RAM`, `${e.platform} ${e.kernel}`, `scratch on ${e.scratchFs}`, `Node ${e.node}`].join(' · ')
}
