/**
 * The statistical heart of the gate. A timing metric is a ratio measured inside one run (variant
 * time / gzip time, or / floor time), which cancels most of what changes between machines. Its
 * change between two runs is
 *   change = (Q(Vc)/Q(Rc)) / (Q(Vb)/Q(Rb)) − 1
 * for variant V, reference R, baseline b, current c and Q a quantile of the restore times. The
 * four sample series are independent restores, so one bootstrap resamples all four at once and
 * gives a percentile interval on the change itself, carrying the uncertainty of both runs and
 * both sides of each ratio.
 *
 * Q defaults to the 10th percentile, not the median: contention on a shared machine only ever
 * adds time, so the low quantiles of a run are the restores the machine disturbed least. On a
 * loaded 2-core machine the run-to-run spread of the change was 5–10× smaller with Q = p10 than
 * with the median, at no cost in detecting a slowdown that shifts every restore. `quantile: 0.5`
 * gives the ratio of medians.
 */
import {bootstrapDistribution, percentileInterval} from '../bench/bootstrap.js'
import {quantile, quantileSorted} from '../bench/quantile.js'
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
  /** Which quantile of the restore times the ratios compare (0.5 = medians). */
  quantile: number
}

export function ratioChange(baseline: RatioSamples, current: RatioSamples, settings: BootstrapSettings): TimingChange {
  const q = (sorted: ArrayLike<number>) => quantileSorted(sorted, settings.quantile)
  const distribution = bootstrapDistribution(
    [baseline.variant, baseline.reference, current.variant, current.reference],
    ([bv, br, cv, cr]) => q(cv) / q(cr) / (q(bv) / q(br)) - 1,
    {resamples: settings.resamples, seed: settings.seed},
  )
  const at = (samples: readonly number[]) => quantile(samples, settings.quantile)
  const before = at(baseline.variant) / at(baseline.reference)
  const after = at(current.variant) / at(current.reference)
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
