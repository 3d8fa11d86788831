/**
 * The few distribution functions the statistics need: Student t (for margins of error) and the
 * standard normal (for the Mann–Whitney approximation). Implemented here rather than pulling in
 * a large stats dependency tree for two functions; checked against SciPy in test/stats*.test.ts.
 * Algorithms: Lanczos log-gamma, continued fractions for the incomplete beta and gamma functions
 * (Numerical Recipes §6.1–6.4), quantiles by bisection on the CDF.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/** ln Γ(x) for x > 0 (Lanczos, g = 7; ~15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x) // reflection
  const z = x - 1
  let sum = LANCZOS[0]
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i)
  const t = z + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

const TINY = 1e-300
const EPSILON = 1e-16
const MAX_ITERATIONS = 100_000

/** Lentz's continued fraction for the incomplete beta function. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPSILON) return h
  }
  return h
}

/**
 * Regularized incomplete beta I_x(a, b). `y` = 1 − x may be passed when it is known more exactly
 * than 1 − x can be computed (x close to 1).
 */
export function incompleteBeta(a: number, b: number, x: number, y = 1 - x): number {
  if (x <= 0) return 0
  if (y <= 0) return 1
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(y))
  // The fraction converges fast only on one side of the mean; use the symmetry on the other.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, y)) / b
}

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function upperIncompleteGamma(a: number, x: number): number {
  if (x <= 0) return 1
  const logFront = -x + a * Math.log(x) - logGamma(a)
  if (x < a + 1) {
    // Series for P(a, x), then Q = 1 − P.
    let term = 1 / a
    let sum = term
    for (let n = 1; n <= MAX_ITERATIONS; n++) {
      term *= x / (a + n)
      sum += term
      if (Math.abs(term) < Math.abs(sum) * EPSILON) break
    }
    return 1 - sum * Math.exp(logFront)
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  let b = x + 1 - a
  let c = 1 / TINY
  let d = 1 / b
  let h = d
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < TINY) d = TINY
    c = b + an / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPSILON) break
  }
  return Math.exp(logFront) * h
}

/** P(Z > z) for a standard normal Z, accurate in the far tails too (erfc via Q(1/2, z²/2)). */
export function normalSurvival(z: number): number {
  if (Number.isNaN(z)) return Number.NaN
  const tail = 0.5 * upperIncompleteGamma(0.5, (z * z) / 2)
  return z >= 0 ? tail : 1 - tail
}

export function normalCdf(z: number): number {
  return normalSurvival(-z)
}

/** P(T <= t) for Student's t with `df` degrees of freedom (df > 0). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`)
  if (Number.isNaN(t)) return Number.NaN
  const tail = 0.5 * incompleteBeta(df / 2, 0.5, df / (df + t * t), (t * t) / (df + t * t))
  return t >= 0 ? 1 - tail : tail
}

/** Inverts a CDF that increases on [0, ∞) for p in [0.5, 1), by bracketing then bisection. */
function invertUpperHalf(cdf: (x: number) => number, p: number): number {
  let low = 0
  let high = 1
  while (cdf(high) < p) {
    low = high
    high *= 2
    if (!Number.isFinite(high)) return Number.POSITIVE_INFINITY
  }
  for (let i = 0; i < 200 && high - low > 1e-15 * high; i++) {
    const mid = (low + high) / 2
    if (cdf(mid) < p) low = mid
    else high = mid
  }
  return (low + high) / 2
}

/** The p-quantile of Student's t: `studentTQuantile(0.975, 9)` ≈ 2.262. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability ${p} is outside (0, 1)`)
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`)
  if (p < 0.5) return -studentTQuantile(1 - p, df)
  return invertUpperHalf((t) => studentTCdf(t, df), p)
}

/** The p-quantile of the standard normal: `normalQuantile(0.975)` ≈ 1.96. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability ${p} is outside (0, 1)`)
  if (p < 0.5) return -normalQuantile(1 - p)
  return invertUpperHalf(normalCdf, p)
}
