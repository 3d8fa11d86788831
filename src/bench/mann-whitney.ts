/**
 * Two-sided Mann–Whitney U (Wilcoxon rank-sum) test. Ties get mid-ranks and the tie-corrected
 * variance; without ties and for small samples the p-value is exact (SciPy's conventions, so
 * results can be checked against `scipy.stats.mannwhitneyu`).
 */
import {normalSurvival} from './distributions.js'

export interface MannWhitney {
  /** U of the first sample: pairs (a_i, b_j) with a_i > b_j, ties counting ½. u / (m·n) estimates P(a > b). */
  u: number
  /** Normal score of u with tie and continuity corrections; > 0 when a tends to be larger. */
  z: number
  /** Two-sided p-value. */
  p: number
  method: 'exact' | 'normal'
}

/** Largest m·n for which the exact null distribution is computed. */
const EXACT_LIMIT = 2500

export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitney {
  const m = a.length
  const n = b.length
  if (m === 0 || n === 0) throw new RangeError('Mann–Whitney U needs two non-empty samples')
  const {rankSumA, tieTerm} = rankSums(a, b)
  const u = rankSumA - (m * (m + 1)) / 2
  const mean = (m * n) / 2
  const total = m + n
  const variance = ((m * n) / 12) * (total + 1 - tieTerm / (total * (total - 1)))
  const deviation = u - mean
  const sd = Math.sqrt(Math.max(variance, 0))
  const z = sd > 0 ? (Math.sign(deviation) * Math.max(Math.abs(deviation) - 0.5, 0)) / sd : 0
  if (tieTerm === 0 && m * n <= EXACT_LIMIT) {
    return {u, z, p: exactTwoSidedP(m, n, Math.max(u, m * n - u)), method: 'exact'}
  }
  const p = sd > 0 ? Math.min(1, 2 * normalSurvival(Math.abs(z))) : 1
  return {u, z, p, method: 'normal'}
}

/** Rank sum of `a` in the pooled sample (mid-ranks for ties) and Σ(t³ − t) over tie groups. */
function rankSums(a: readonly number[], b: readonly number[]): {rankSumA: number; tieTerm: number} {
  const pooled = [...a.map((value) => ({value, fromA: true})), ...b.map((value) => ({value, fromA: false}))]
  pooled.sort((x, y) => x.value - y.value)
  let rankSumA = 0
  let tieTerm = 0
  for (let start = 0; start < pooled.length; ) {
    let end = start
    while (end + 1 < pooled.length && pooled[end + 1].value === pooled[start].value) end++
    const ties = end - start + 1
    const midRank = (start + end) / 2 + 1
    for (let i = start; i <= end; i++) if (pooled[i].fromA) rankSumA += midRank
    tieTerm += ties ** 3 - ties
    start = end + 1
  }
  return {rankSumA, tieTerm}
}

/**
 * 2·P(U ≥ uUpper) under H0 without ties. The counts of arrangements by U are the coefficients of
 * the Gaussian binomial [m+n choose m]_q = Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i), built one
 * factor at a time (multiply, then divide by a prefix sum), O(m · m·n).
 */
function exactTwoSidedP(m: number, n: number, uUpper: number): number {
  const small = Math.min(m, n)
  const large = Math.max(m, n)
  const counts = new Float64Array(small * large + small + 1)
  counts[0] = 1
  let degree = 0
  for (let i = 1; i <= small; i++) {
    const shift = large + i
    for (let k = degree + shift; k >= shift; k--) counts[k] -= counts[k - shift]
    for (let k = i; k <= degree + shift; k++) counts[k] += counts[k - i]
    degree += large
    counts.fill(0, degree + 1) // exact division leaves zeros; clear rounding residue above the degree
  }
  let all = 0
  let upper = 0
  for (let k = 0; k <= degree; k++) {
    all += counts[k]
    if (k >= uUpper) upper += counts[k]
  }
  return Math.min(1, (2 * upper) / all)
}
