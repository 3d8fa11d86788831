import {createHash} from 'node:crypto'

/**
 * A seedable PRNG (sfc32) for generators. Only 32-bit integer arithmetic and correctly rounded
 * double operations are used, so a seed gives the same stream on every machine and Node version
 * (Math.random, Math.exp and friends are avoided on purpose).
 */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  /** `key` is any string; `fork` derives independent streams from it by label. */
  constructor(readonly key: string) {
    const h = createHash('sha256').update(key).digest()
    this.a = h.readInt32LE(0)
    this.b = h.readInt32LE(4)
    this.c = h.readInt32LE(8)
    this.d = h.readInt32LE(12)
    for (let i = 0; i < 12; i++) this.next()
  }

  /** An independent stream: same key and label, same numbers, whatever else was drawn before. */
  fork(label: string): Rng {
    return new Rng(`${this.key}/${label}`)
  }

  /**
   * 32 uniform bits as a signed int32. Signed on purpose: V8 keeps int32 values unboxed, while
   * unsigned values above 2^31 become heap numbers, and hot generator loops would pay in garbage.
   */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t
  }

  /** Uniform in [0, 1). */
  float(): number {
    return (this.next() >>> 0) / 4_294_967_296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n)
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }

  chance(p: number): boolean {
    return this.float() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  /** Approximately standard normal (Irwin–Hall, 12 uniforms): arithmetic only, tails end at ±6. */
  normal(): number {
    let sum = 0
    for (let i = 0; i < 12; i++) sum += this.float()
    return sum - 6
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const tmp = items[i]
      items[i] = items[j]
      items[j] = tmp
    }
    return items
  }

  /** Fill `buf[start, end)` with uniform bytes. */
  fill(buf: Uint8Array, start = 0, end = buf.length): void {
    let i = start
    for (; i + 4 <= end; i += 4) {
      const v = this.next()
      buf[i] = v
      buf[i + 1] = v >>> 8
      buf[i + 2] = v >>> 16
      buf[i + 3] = v >>> 24
    }
    for (; i < end; i++) buf[i] = this.next()
  }
}
