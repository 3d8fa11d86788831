/**
 * The test-only slowdown switch `--inject-slowdown`: `zstd:0.2` (or `zstd:20%`) adds 20% work to
 * every variant whose codec is zstd; `variant:zstd-noverify:0.2` targets one variant. It exists
 * to prove the gate fails on a real slowdown; it is hidden from help.
 */
import {HoloError} from '../engine/errors.js'
import {parseFraction} from './threshold.js'

export interface Slowdown {
  variant?: string
  codec?: string
  factor: number
}

export function parseSlowdown(text: string): Slowdown {
  const parts = text.split(':')
  const bad = () => new HoloError('EUSAGE', `--inject-slowdown ${JSON.stringify(text)}: write <codec>:<fraction> or variant:<name>:<fraction>, e.g. zstd:0.2`)
  if (parts.length === 2 && parts[0]) return {codec: parts[0], factor: fraction(parts[1])}
  if (parts.length === 3 && parts[0] === 'variant' && parts[1]) return {variant: parts[1], factor: fraction(parts[2])}
  throw bad()

  function fraction(value: string): number {
    const factor = value.trim().endsWith('%') ? parseFraction(value, 'inject-slowdown') : Number(value)
    if (!(Number.isFinite(factor) && factor > 0)) throw bad()
    return factor
  }
}
