/**
 * Relocations: RCC records the byte offset of every occurrence of the space's identity in a
 * file when lifting, and writes the new identity over those bytes when restoring
 * (htfs/relocator.go). Old and new strings must be the same length: there is no padding.
 */

/** Offsets of every occurrence of `needle` in `data` (overlapping ones too, like a sliding window). */
export function findRelocations(data: Uint8Array, needle: Uint8Array, base = 0, into: number[] = []): number[] {
  if (needle.length === 0) return into
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  let at = buffer.indexOf(needle)
  while (at !== -1) {
    into.push(base + at)
    at = buffer.indexOf(needle, at + 1)
  }

  return into
}

/**
 * Streaming search for files too big to hold: chunks are pushed in order; the last
 * needle.length-1 bytes are carried over so a match across a chunk boundary is found once.
 */
export class RelocationScanner {
  readonly offsets: number[] = []
  private carry: Buffer = Buffer.alloc(0)
  private consumed = 0 // bytes of the stream before `carry`

  constructor(private readonly needle: Uint8Array) {}

  push(chunk: Uint8Array): void {
    if (this.needle.length === 0) return
    const window = this.carry.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.carry, chunk])
    findRelocations(window, this.needle, this.consumed, this.offsets)
    const keep = Math.min(this.needle.length - 1, window.length)
    this.consumed += window.length - keep
    // Copy, so the carried tail does not pin the whole chunk in memory.
    this.carry = Buffer.from(window.subarray(window.length - keep))
  }
}
