/**
 * The 95% interval of a row's median restore time, so the restore-time whiskers mean what the
 * speed-up whiskers mean: a 95% bootstrap percentile interval, never min–max in one chart and an
 * interval in the next. Seeded: the same samples always draw the same whisker.
 */
import type {VariantResult} from '../bench/results.js'
import {bootstrapDistribution, percentileInterval} from '../bench/bootstrap.js'
import {quantileSorted} from '../bench/quantile.js'
import type {Interval} from './verdict.js'

const RESAMPLES = 1000

/** Median seconds with its 95% bootstrap interval; null unless the row is ok with samples. */
export function medianInterval(row: VariantResult): Interval | null {
  if (row.status !== 'ok' || !row.stats || row.samples.length === 0) return null
  const distribution = bootstrapDistribution([row.samples], ([sorted]) => quantileSorted(sorted, 0.5), {resamples: RESAMPLES, seed: 1})
  const [low, high] = percentileInterval(distribution, 0.95)
  return {value: row.stats.median, low, high}
}
