/**
 * Order statistics shared by the summaries, the bootstrap and the outlier filter.
 * Quantiles use linear interpolation between order statistics (Hyndman & Fan type 7, the
 * default of R, NumPy and spreadsheets), so figures can be checked with any of them.
 */

/** The q-quantile (0 <= q <= 1) of numbers already sorted ascending. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length
  if (n === 0) throw new RangeError('quantile of an empty sample')
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside [0, 1]`)
  const position = (n - 1) * q
  const below = Math.floor(position)
  const above = Math.min(below + 1, n - 1)
  const fraction = position - below
  return sorted[below] + (sorted[above] - sorted[below]) * fraction
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort()
}

export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(sortedCopy(values), q)
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5)
}

/** Median absolute deviation from the median, unscaled (multiply by 1.4826 to estimate sd). */
export function medianAbsoluteDeviation(values: ArrayLike<number>): number {
  const centre = median(values)
  return median(Array.from(values, (value) => Math.abs(value - centre)))
}
