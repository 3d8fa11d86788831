/**
 * The statistical heart of the gate. A timing metric is a ratio of medians measured inside one
 * run (variant time / gzip time, or / floor time), which cancels most of what changes between
 * machines and between noisy moments. Its change between two runs is
 *   change = (med(Vc)/med(Rc)) / (med(Vb)/med(Rb)) − 1
 * for variant V, reference R, baseline b and current c. The four sample series are independent
 * restores, so one bootstrap resamples all four at once and gives a percentile interval on the
 * change itself, carrying the uncertainty of both runs and both sides of each ratio.
 */
import {bootstrapDistribution, percentileInterval} from '../bench/bootstrap.js'
import {median, quantileSorted} from '../bench/quantile.js'
import type {Verdict} from './report.js'

export interface RatioSamples {
  /** Restore times of the variant being judged (seconds). */
  variant: readonly number[]
  /** Restore times of the reference row in the same run: gzip or floor. */
  reference: readonly number[]
}

export interface TimingChange {
  baseline: number
  current: number
  change: number
  interval: [number, number]
}

export interface BootstrapSettings {
  resamples: number
  seed: number
  confidence: number
}

export function ratioChange(baseline: RatioSamples, current: RatioSamples, settings: BootstrapSettings): TimingChange {
  const distribution = bootstrapDistribution(
    [baseline.variant, baseline.reference, current.variant, current.reference],
    ([bv, br, cv, cr]) => (quantileSorted(cv, 0.5) / quantileSorted(cr, 0.5)) / (quantileSorted(bv, 0.5) / quantileSorted(br, 0.5)) - 1,
    {resamples: settings.resamples, seed: settings.seed},
  )
  const before = median(baseline.variant) / median(baseline.reference)
  const after = median(current.variant) / median(current.reference)
  return {baseline: before, current: after, change: after / before - 1, interval: percentileInterval(distribution, settings.confidence)}
}

export interface Thresholds {
  /** Practical size of a regression that fails the build (0.10 = 10% slower). */
  threshold: number
  /** Lower level for warnings; at most `threshold`. */
  warnThreshold: number
}

/**
 * fail: the whole interval lies above +threshold — significant AND practically large.
 * warn: significant above +warnThreshold, or a point estimate above +threshold the data cannot
 *       confirm (too noisy to fail, too large to ignore).
 * improved: the whole interval lies below −warnThreshold.
 */
export function judgeTiming(change: number, [low, high]: readonly [number, number], {threshold, warnThreshold}: Thresholds): Verdict {
  if (low > threshold) return 'fail'
  if (low > warnThreshold || change > threshold) return 'warn'
  if (high < -warnThreshold) return 'improved'
  return 'pass'
}
