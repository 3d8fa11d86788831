import type {Rng} from './prng.js'

/** A log-normal size distribution, clamped to [min, max] bytes. */
export interface SizeDistribution {
  median: number
  sigma: number
  min: number
  max: number
}

const LN2 = 0.693_147_180_559_945_3

/**
 * e^x from + - * / only. Math.exp is not specified to be correctly rounded, so sizes drawn with
 * it could differ by a byte between engines; this version is the same everywhere.
 */
export function portableExp(x: number): number {
  const k = Math.round(x / LN2)
  const r = x - k * LN2
  let term = 1
  let sum = 1
  for (let n = 1; n < 30 && term !== 0; n++) {
    term = (term * r) / n
    sum += term
  }
  let scale = 1
  for (let i = 0; i < Math.abs(k); i++) scale *= 2
  return k >= 0 ? sum * scale : sum / scale
}

/** One size in bytes from a log-normal distribution. */
export function sampleSize(rng: Rng, dist: SizeDistribution): number {
  const size = Math.round(dist.median * portableExp(dist.sigma * rng.normal()))
  return Math.min(dist.max, Math.max(dist.min, size))
}

/**
 * Split `total` into integer parts proportional to `weights` (largest remainder, ties by index).
 * Every positive weight gets at least one when `total` allows it, so no configured kind vanishes
 * from a small tree.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  const parts = weights.map(() => 0)
  if (total <= 0 || sum <= 0) return parts
  const positive = weights.map((w, i) => (w > 0 ? i : -1)).filter((i) => i >= 0)
  let left = total
  if (total >= positive.length) {
    for (const i of positive) parts[i] = 1
    left -= positive.length
  }
  const exact = weights.map((w) => (w > 0 ? (w / sum) * left : 0))
  for (let i = 0; i < parts.length; i++) parts[i] += Math.floor(exact[i])
  let rest = total - parts.reduce((a, b) => a + b, 0)
  const order = exact
    .map((x, i) => ({i, frac: x - Math.floor(x)}))
    .filter(({i}) => weights[i] > 0)
    .sort((x, y) => y.frac - x.frac || x.i - y.i)
  for (let j = 0; rest > 0; j = (j + 1) % order.length, rest--) parts[order[j].i]++
  return parts
}

/**
 * Spread `total` over groups of `capacities[i]` items so that each item of group i is picked with
 * a probability proportional to `rates[i]`, capped at 1 (water-filling), rounded to integers that
 * sum to `total`. Throws a RangeError if the groups with a positive rate cannot hold `total`.
 */
export function allocateByRate(total: number, rates: readonly number[], capacities: readonly number[]): number[] {
  const n = rates.length
  const open = rates.map((r, i) => r > 0 && capacities[i] > 0)
  const room = capacities.reduce((sum, c, i) => (open[i] ? sum + c : sum), 0)
  if (total > room) throw new RangeError(`cannot place ${total} items in ${room} slots`)
  const full = new Array<boolean>(n).fill(false)
  let level = 0
  for (let changed = true; changed; ) {
    changed = false
    let left = total
    let demand = 0
    for (let i = 0; i < n; i++) {
      if (!open[i]) continue
      if (full[i]) left -= capacities[i]
      else demand += rates[i] * capacities[i]
    }
    level = demand > 0 ? left / demand : 0
    for (let i = 0; i < n; i++) {
      if (open[i] && !full[i] && level * rates[i] >= 1) {
        full[i] = true
        changed = true
      }
    }
  }
  const exact = rates.map((r, i) => (!open[i] ? 0 : full[i] ? capacities[i] : level * r * capacities[i]))
  const parts = exact.map((x, i) => Math.min(capacities[i], Math.floor(x + 1e-9)))
  let rest = total - parts.reduce((a, b) => a + b, 0)
  const order = exact
    .map((x, i) => ({i, frac: x - Math.floor(x)}))
    .filter(({i}) => open[i])
    .sort((x, y) => y.frac - x.frac || x.i - y.i)
  while (rest > 0) {
    let placed = false
    for (const {i} of order) {
      if (rest === 0) break
      if (parts[i] < capacities[i]) {
        parts[i]++
        rest--
        placed = true
      }
    }
    if (!placed) break
  }
  return parts
}
