/**
 * Outlier flags by the modified z-score of Iglewicz & Hoaglin (1993):
 *   M_i = 0.6745 · (x_i − median) / MAD,  flagged when |M_i| > k (3.5 recommended).
 * 0.6745 is the 0.75 quantile of the standard normal, making MAD comparable to a standard
 * deviation. When MAD is 0 (at least half the samples identical) the score is undefined; we then
 * scale by the mean absolute deviation instead (M_i = (x_i − median) / (1.253314 · meanAD), the
 * usual fallback, 1.253314 = √(π/2)), and flag nothing when every sample is the same.
 */
import {median} from './quantile.js'

export function madOutliers(samples: readonly number[], k = 3.5): number[] {
  if (samples.length < 3) return [] // with one or two samples nothing stands out from the rest
  const centre = median(samples)
  const deviations = samples.map((value) => Math.abs(value - centre))
  const mad = median(deviations)
  let scale: number
  if (mad > 0) {
    scale = mad / 0.6745
  } else {
    const meanDeviation = deviations.reduce((sum, value) => sum + value, 0) / samples.length
    if (meanDeviation === 0) return []
    scale = 1.253314 * meanDeviation
  }
  const flagged: number[] = []
  for (const [index, deviation] of deviations.entries()) if (deviation / scale > k) flagged.push(index)
  return flagged
}
