/**
 * Summary statistics for restore timings (seconds). Pure functions shared by the benchmark
 * runner, the reports and the gate. Conventions:
 * - quantiles (median, p75, p99) interpolate linearly between order statistics (type 7);
 * - sd is the sample standard deviation (n − 1);
 * - mad is the raw median absolute deviation, NOT scaled by 1.4826;
 * - rme is the 95% relative margin of error of the mean, in percent: t(0.975, n−1)·sd/√n / mean·100.
 */
import {bootstrapDistribution, percentileInterval} from './bootstrap.js'
import {studentTQuantile} from './distributions.js'
import {median, medianAbsoluteDeviation, quantileSorted, sortedCopy} from './quantile.js'
import type {Ratio, Stats} from './results.js'

export {madOutliers} from './outliers.js'
export {mannWhitneyU, type MannWhitney} from './mann-whitney.js'
export {median, medianAbsoluteDeviation, quantile} from './quantile.js'

export interface TreeSize {
  files: number
  bytes: number
}

export function summarize(samples: readonly number[], facts: TreeSize): Stats {
  const n = samples.length
  if (n === 0) throw new RangeError('cannot summarize an empty sample')
  assertFinite(samples)
  const sorted = sortedCopy(samples)
  const mean = samples.reduce((sum, value) => sum + value, 0) / n
  const sd = n > 1 ? Math.sqrt(samples.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1)) : 0
  const mid = quantileSorted(sorted, 0.5)
  // One run has no spread to measure: rme is then 0 and `runs` says why.
  const rme = n > 1 && mean > 0 ? ((studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n) / mean) * 100 : 0
  return {
    runs: n,
    mean,
    median: mid,
    p75: quantileSorted(sorted, 0.75),
    p99: quantileSorted(sorted, 0.99),
    min: sorted[0],
    max: sorted[n - 1],
    sd,
    mad: medianAbsoluteDeviation(sorted),
    rme,
    filesPerSecond: mid > 0 ? facts.files / mid : 0,
    mbPerSecond: mid > 0 ? facts.bytes / 1e6 / mid : 0,
  }
}

export interface RatioOptions {
  /** Bootstrap resamples (default 2000). */
  resamples?: number
  /** PRNG seed: the same inputs and seed give the same interval (default 1). */
  seed?: number
  /** Two-sided confidence of the interval (default 0.95). */
  confidence?: number
}

export const RATIO_DEFAULTS = {resamples: 2000, seed: 1, confidence: 0.95} as const

/**
 * median(a) / median(b) with a bootstrap percentile interval: a and b are resampled
 * independently (they are separate series of restores). Times must be finite and b positive.
 */
export function ratioOfMedians(a: readonly number[], b: readonly number[], options: RatioOptions = {}): Ratio {
  const {resamples, seed, confidence} = {...RATIO_DEFAULTS, ...options}
  if (a.length === 0 || b.length === 0) throw new RangeError('ratio of medians needs two non-empty samples')
  assertFinite(a)
  assertFinite(b)
  if (b.some((value) => value <= 0)) throw new RangeError('the denominator sample must be positive')
  const distribution = bootstrapDistribution(
    [a, b],
    ([ra, rb]) => quantileSorted(ra, 0.5) / quantileSorted(rb, 0.5),
    {resamples, seed},
  )
  const [low, high] = percentileInterval(distribution, confidence)
  return {value: median(a) / median(b), low, high}
}

function assertFinite(values: readonly number[]): void {
  for (const value of values) if (!Number.isFinite(value)) throw new RangeError(`sample ${value} is not a finite number`)
}
