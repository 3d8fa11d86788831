/**
 * Seeded pseudo-random numbers for resampling. Bootstrap intervals must be reproducible: the
 * same inputs and seed give the same interval on every machine, so a gate verdict never flips
 * between two runs over the same files.
 */

/** mulberry32: a tiny 32-bit generator, plenty for drawing resample indices. Returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** FNV-1a over the parts: a stable 32-bit seed per (seed, row key), so rows do not share draws. */
export function hashSeed(...parts: Array<string | number>): number {
  let hash = 0x811c9dc5
  for (const char of parts.join('\u0000')) {
    hash ^= char.codePointAt(0)!
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}
