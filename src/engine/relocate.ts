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
  /** The last needle.length - 1 bytes pushed (fewer at the start): where a match may begin. */
  private carry: Buffer = Buffer.alloc(0)
  private position = 0 // bytes of the stream before the next chunk

  constructor(private readonly needle: Uint8Array) {}

  push(chunk: Uint8Array): void {
    const n = this.needle.length
    if (n === 0) return
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    // Matches that begin in the carried tail and end in this chunk: searched in the tail and the
    // chunk's first bytes only, so the chunk itself is never copied (a big file is 1 MiB chunks).
    if (this.carry.length > 0) {
      const joint = Buffer.concat([this.carry, buffer.subarray(0, n - 1)])
      const base = this.position - this.carry.length
      for (let at = joint.indexOf(this.needle); at !== -1 && at < this.carry.length; at = joint.indexOf(this.needle, at + 1)) this.offsets.push(base + at)
    }

    findRelocations(buffer, this.needle, this.position, this.offsets)
    // Copy, so the carried tail does not pin the whole chunk in memory.
    this.carry = buffer.length >= n - 1 ? Buffer.from(buffer.subarray(buffer.length - (n - 1))) : Buffer.concat([this.carry, buffer]).subarray(-(n - 1))
    this.position += buffer.length
  }
}
