/**
 * Nonparametric bootstrap over several independent samples: each resample draws every sample
 * with replacement at its own size, then evaluates a statistic over all of them. Used for the
 * ratio of two medians (one run) and for the change of that ratio between two runs (the gate).
 */
import {quantileSorted} from './quantile.js'
import {seededRandom} from './random.js'

export interface BootstrapOptions {
  resamples: number
  seed: number
}

/**
 * The bootstrap distribution of `statistic`, sorted ascending. The statistic receives sorted
 * resamples (medians and quantiles are then cheap) and must not keep references to them.
 */
export function bootstrapDistribution(
  samples: ReadonlyArray<ArrayLike<number>>,
  statistic: (sortedResamples: Float64Array[]) => number,
  options: BootstrapOptions,
): Float64Array {
  if (!(Number.isInteger(options.resamples) && options.resamples > 0)) {
    throw new RangeError(`resamples must be a positive integer, got ${options.resamples}`)
  }
  for (const sample of samples) if (sample.length === 0) throw new RangeError('cannot bootstrap an empty sample')
  const random = seededRandom(options.seed)
  const buffers = samples.map((sample) => new Float64Array(sample.length))
  const results = new Float64Array(options.resamples)
  for (let r = 0; r < options.resamples; r++) {
    for (const [s, sample] of samples.entries()) {
      const buffer = buffers[s]
      for (let i = 0; i < buffer.length; i++) buffer[i] = sample[Math.floor(random() * sample.length)]
      buffer.sort()
    }
    results[r] = statistic(buffers)
  }
  return results.sort()
}

/** The equal-tailed percentile interval of a sorted bootstrap distribution. */
export function percentileInterval(sortedDistribution: Float64Array, confidence: number): [number, number] {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence ${confidence} is outside (0, 1)`)
  const tail = (1 - confidence) / 2
  return [quantileSorted(sortedDistribution, tail), quantileSorted(sortedDistribution, 1 - tail)]
}
