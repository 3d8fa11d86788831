/**
 * The statistics behind summaries and the gate. Reference values are hand-worked or computed
 * independently with SciPy 1.17 / NumPy 2.4 (commands quoted next to the numbers).
 */
import {describe, expect, test} from 'vitest'

import {bootstrapDistribution, percentileInterval} from '../src/bench/bootstrap.js'
import {logGamma, normalCdf, normalQuantile, studentTCdf, studentTQuantile} from '../src/bench/distributions.js'
import {quantile} from '../src/bench/quantile.js'
import {hashSeed, seededRandom} from '../src/bench/random.js'
import {madOutliers, mannWhitneyU, median, medianAbsoluteDeviation, ratioOfMedians, summarize} from '../src/bench/stats.js'

describe('summarize', () => {
  test('hand-worked example: [1, 2, 3, 4, 10]', () => {
    const stats = summarize([4, 1, 10, 3, 2], {files: 10, bytes: 5e6})
    expect(stats.runs).toBe(5)
    expect(stats.mean).toBe(4)
    expect(stats.median).toBe(3)
    expect(stats.p75).toBe(4) // position (5−1)·0.75 = 3 → 4
    expect(stats.p99).toBeCloseTo(9.76, 12) // position 3.96 → 4 + 0.96·(10 − 4)
    expect(stats.min).toBe(1)
    expect(stats.max).toBe(10)
    expect(stats.sd).toBeCloseTo(Math.sqrt(12.5), 12) // Σ(x−4)² = 50, / (n−1)
    expect(stats.mad).toBe(1) // |x − 3| = 2,1,0,1,7 → median 1 (unscaled)
    // t(0.975, 4) = 2.7764451051977987 (scipy.stats.t.ppf); rme = t·sd/√n/mean·100
    expect(stats.rme).toBeCloseTo((2.7764451051977987 * Math.sqrt(12.5)) / Math.sqrt(5) / 4 * 100, 9)
    expect(stats.rme).toBeCloseTo(109.74862913563534, 9)
    expect(stats.filesPerSecond).toBeCloseTo(10 / 3, 12)
    expect(stats.mbPerSecond).toBeCloseTo(5 / 3, 12)
  })

  test('one sample: no spread, rme 0 and runs says why', () => {
    const stats = summarize([0.5], {files: 2, bytes: 1e6})
    expect(stats).toMatchObject({runs: 1, mean: 0.5, median: 0.5, p99: 0.5, sd: 0, mad: 0, rme: 0, filesPerSecond: 4, mbPerSecond: 2})
  })

  test('rejects empty or non-finite samples', () => {
    expect(() => summarize([], {files: 1, bytes: 1})).toThrow(RangeError)
    expect(() => summarize([1, Number.NaN], {files: 1, bytes: 1})).toThrow(RangeError)
  })

  test('quantiles match NumPy (linear, type 7)', () => {
    // numpy.percentile([0.3, 0.1, 0.7, 0.2, 0.9, 0.4], [10, 50, 75, 99])
    const values = [0.3, 0.1, 0.7, 0.2, 0.9, 0.4]
    expect(quantile(values, 0.1)).toBeCloseTo(0.15, 12)
    expect(median(values)).toBeCloseTo(0.35, 12)
    expect(quantile(values, 0.75)).toBeCloseTo(0.625, 12)
    expect(quantile(values, 0.99)).toBeCloseTo(0.89, 12)
    // scipy.stats.median_abs_deviation([0.3, 0.1, 0.7, 0.2, 0.9, 0.4]) = 0.2
    expect(medianAbsoluteDeviation(values)).toBeCloseTo(0.2, 12)
  })
})

describe('distributions (against SciPy)', () => {
  test.each([
    // scipy.stats.t.ppf(0.975, df), scipy.stats.t.ppf(0.995, df)
    [1, 12.706204736174694, 63.656741162871526],
    [2, 4.302652729749462, 9.924843200918287],
    [5, 2.5705818356363146, 4.032142983555228],
    [9, 2.262157162798205, 3.249835541592126],
    [30, 2.0422724563012378, 2.7499956535672254],
    [1000, 1.9623390808264083, 2.580754698065951],
  ])('Student t quantiles, df = %i', (df, q975, q995) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(q975, 9)
    expect(studentTQuantile(0.995, df)).toBeCloseTo(q995, 9)
    expect(studentTQuantile(0.025, df)).toBeCloseTo(-q975, 9)
  })

  test('Student t and normal CDFs, log-gamma', () => {
    expect(studentTCdf(2.5, 4)).toBeCloseTo(0.966616727594006, 12) // scipy.stats.t.cdf(2.5, 4)
    expect(studentTCdf(-1.2, 7)).toBeCloseTo(0.1345859684136033, 12)
    expect(studentTCdf(0, 3)).toBe(0.5)
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 13) // scipy.stats.norm.cdf(1.96)
    expect(normalCdf(-8) / 6.22096057427174e-16).toBeCloseTo(1, 9) // far tail keeps relative precision
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10)
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13)
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 12)
  })
})

describe('madOutliers', () => {
  test('hand-worked modified z-scores', () => {
    // median 5, |x − 5| = 3,1,1,0,1,2,25 → MAD 1; M = 0.6745·|x − 5|: 30 → 16.9, 2 → 2.02, 7 → 1.35
    const samples = [2, 4, 4, 5, 6, 7, 30]
    expect(madOutliers(samples)).toEqual([6])
    expect(madOutliers(samples, 2)).toEqual([0, 6])
    expect(madOutliers([10, 10.1, 9.9, 10.05, 9.95, 30])).toEqual([5])
  })

  test('MAD = 0: nothing flagged when all equal, no division by zero', () => {
    expect(madOutliers([2, 2, 2, 2, 2])).toEqual([])
    // Most values equal: MAD is 0, the mean-absolute-deviation fallback still sees the odd one out.
    // meanAD = 4/5, scale 1.253314·0.8 = 1.0027, score 4/1.0027 = 3.99 > 3.5
    expect(madOutliers([1, 1, 1, 1, 5])).toEqual([4])
    expect(madOutliers([1, 1, 1, 1, 5], 4)).toEqual([])
  })

  test('too few samples to call anything an outlier', () => {
    expect(madOutliers([])).toEqual([])
    expect(madOutliers([1, 100])).toEqual([])
  })
})

describe('ratioOfMedians', () => {
  const noisy = (seed: number, n: number, centre: number) => {
    const random = seededRandom(seed)
    // A right-skewed timing-like sample: centre · (1 + exponential noise of mean 5%).
    return Array.from({length: n}, () => centre * (1 - 0.05 * Math.log(1 - random())))
  }

  test('identical samples: ratio 1, interval contains 1', () => {
    const a = noisy(1, 20, 0.1)
    const ratio = ratioOfMedians(a, [...a])
    expect(ratio.value).toBe(1)
    expect(ratio.low).toBeLessThanOrEqual(1)
    expect(ratio.high).toBeGreaterThanOrEqual(1)
    expect(ratio.low).toBeGreaterThan(0.9)
    expect(ratio.high).toBeLessThan(1.1)
  })

  test('constant samples give an exact, zero-width interval', () => {
    expect(ratioOfMedians([2, 2, 2], [1, 1, 1, 1])).toEqual({value: 2, low: 2, high: 2})
  })

  test('deterministic for a seed; the point estimate is the plain ratio of medians', () => {
    const a = noisy(2, 15, 0.3)
    const b = noisy(3, 12, 0.2)
    expect(ratioOfMedians(a, b, {seed: 7})).toEqual(ratioOfMedians(a, b, {seed: 7}))
    expect(ratioOfMedians(a, b).value).toBe(median(a) / median(b))
  })

  test('a clear 1.5× difference: interval around 1.5, excluding 1', () => {
    const ratio = ratioOfMedians(noisy(4, 20, 0.15), noisy(5, 20, 0.1))
    expect(ratio.low).toBeGreaterThan(1.3)
    expect(ratio.high).toBeLessThan(1.7)
    expect(ratio.low).toBeLessThan(ratio.value)
    expect(ratio.high).toBeGreaterThan(ratio.value)
  })

  test('95% intervals cover the true ratio about 95% of the time', () => {
    // True medians: centre·(1 + 0.05·ln 2) for both, so the true ratio is 1.2 exactly.
    let covered = 0
    const trials = 200
    for (let t = 0; t < trials; t++) {
      const ratio = ratioOfMedians(noisy(100 + t, 25, 1.2), noisy(1000 + t, 25, 1), {resamples: 1000, seed: t})
      if (ratio.low <= 1.2 && 1.2 <= ratio.high) covered++
    }
    // Binomial(200, 0.95) lies in [180, 199] with probability > 0.999; percentile intervals of a
    // median from 25 samples run a little wide, never badly narrow.
    expect(covered).toBeGreaterThanOrEqual(176)
  })

  test('rejects empty, non-finite and non-positive denominators', () => {
    expect(() => ratioOfMedians([], [1])).toThrow(RangeError)
    expect(() => ratioOfMedians([1], [0, 1])).toThrow(RangeError)
    expect(() => ratioOfMedians([Number.POSITIVE_INFINITY], [1])).toThrow(RangeError)
  })
})

describe('bootstrap building blocks', () => {
  test('seeded PRNG: reproducible, uniform enough, seeds differ', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const draws = Array.from({length: 10_000}, () => a())
    expect(draws.slice(0, 5)).toEqual(Array.from({length: 5}, () => b()))
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...draws)).toBeLessThan(1)
    expect(draws.reduce((sum, x) => sum + x, 0) / draws.length).toBeCloseTo(0.5, 1)
    expect(seededRandom(43)()).not.toBe(seededRandom(42)())
    expect(hashSeed(1, 'small', 'zstd')).not.toBe(hashSeed(1, 'small', 'zstd-noverify'))
  })

  test('percentile interval of a known distribution', () => {
    const sorted = Float64Array.from({length: 101}, (_, i) => i)
    const [low, high] = percentileInterval(sorted, 0.9)
    expect(low).toBeCloseTo(5, 12)
    expect(high).toBeCloseTo(95, 12)
    const distribution = bootstrapDistribution([[3, 3, 3]], ([r]) => r[0], {resamples: 10, seed: 1})
    expect([...distribution]).toEqual(Array.from({length: 10}, () => 3))
  })
})

describe('mannWhitneyU (against SciPy)', () => {
  test('completely separated samples: exact p', () => {
    // scipy.stats.mannwhitneyu([1..5], [6..10], method='exact') → U 0, p 0.007936507936507936 (= 2/252)
    const result = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
    expect(result).toMatchObject({u: 0, method: 'exact'})
    expect(result.p).toBeCloseTo(2 / 252, 15)
    expect(result.z).toBeLessThan(0)
    // 10 vs 10: p = 2 / C(20, 10)
    expect(mannWhitneyU([11, 12, 13, 14, 15, 16, 17, 18, 19, 20], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).p).toBeCloseTo(2 / 184_756, 15)
  })

  test('interleaved samples without ties: exact p', () => {
    // scipy.stats.mannwhitneyu(a, b, method='exact') → U 10, p 0.13752913752913754
    const result = mannWhitneyU([1.1, 2.3, 3.5, 4.2, 5.9, 7.7], [2.0, 6.1, 8.8, 9.5, 10.1, 12.3, 3.3])
    expect(result.u).toBe(10)
    expect(result.p).toBeCloseTo(0.13752913752913754, 12)
  })

  test('larger samples without ties: exact p', () => {
    const a = Array.from({length: 30}, (_, i) => Math.sin(i * 1.7) * 3 + i * 0.1)
    const b = Array.from({length: 40}, (_, i) => Math.cos(i * 1.3) * 3 + 1.2)
    // scipy.stats.mannwhitneyu(a, b, method='exact') → U 617, p 0.8457590998363202
    const result = mannWhitneyU(a, b)
    expect(result).toMatchObject({u: 617, method: 'exact'})
    expect(result.p).toBeCloseTo(0.8457590998363202, 10)
  })

  test('ties: mid-ranks, tie-corrected normal approximation with continuity', () => {
    // scipy.stats.mannwhitneyu(a, b, method='asymptotic') → U 8.5, p 0.043051432728945134
    const result = mannWhitneyU([1, 2, 2, 3, 3, 3, 4], [2, 3, 4, 4, 5, 5, 6])
    expect(result).toMatchObject({u: 8.5, method: 'normal'})
    expect(result.p).toBeCloseTo(0.043051432728945134, 12)
  })

  test('identical distributions: p = 1; all values equal: no division by zero', () => {
    const a = [0.11, 0.13, 0.12, 0.15, 0.14]
    expect(mannWhitneyU(a, [...a])).toMatchObject({u: 12.5, p: 1})
    expect(mannWhitneyU([1, 1, 1], [1, 1, 1, 1])).toMatchObject({u: 6, z: 0, p: 1})
  })

  test('clearly shifted large samples: tiny p, sign of z follows the first sample', () => {
    const random = seededRandom(9)
    const base = Array.from({length: 60}, () => 1 + random())
    const shifted = base.map((x) => x + 0.5 + random() * 0.01)
    const result = mannWhitneyU(shifted, base)
    expect(result.method).toBe('normal') // 60·60 is past the exact limit
    expect(result.p).toBeLessThan(1e-6)
    expect(result.z).toBeGreaterThan(0)
    expect(result.u / (60 * 60)).toBeGreaterThan(0.8)
  })
})
