/**
 * Exact-size output buffers for the renderers. Generated content stops where the planned size
 * says; text that holds the space path is only ever written whole, so truncation can never leave
 * a fragment of the identity behind.
 */
export class TextSink {
  private readonly parts: string[] = []
  private length = 0

  constructor(readonly size: number) {}

  get full(): boolean {
    return this.length >= this.size
  }

  get room(): number {
    return Math.max(0, this.size - this.length)
  }

  /** Append; the last piece may be cut at the planned size. ASCII only (one byte per char). */
  add(text: string): void {
    if (this.full) return
    this.parts.push(text)
    this.length += text.length
  }

  /** Append only if it fits entirely; returns whether it did. */
  addWhole(text: string): boolean {
    if (text.length > this.room) return false
    this.add(text)
    return true
  }

  toBuffer(): Buffer {
    const buf = Buffer.from(this.parts.join(''), 'latin1')
    return buf.length > this.size ? buf.subarray(0, this.size) : buf
  }
}

export class ByteSink {
  readonly buf: Buffer
  pos = 0

  constructor(size: number) {
    this.buf = Buffer.alloc(size)
  }

  get room(): number {
    return this.buf.length - this.pos
  }

  get full(): boolean {
    return this.pos >= this.buf.length
  }

  u8(value: number): void {
    if (this.pos < this.buf.length) this.buf[this.pos++] = value
  }

  u16(value: number): void {
    this.u8(value)
    this.u8(value >>> 8)
  }

  u32(value: number): void {
    this.u16(value & 0xffff)
    this.u16(value >>> 16)
  }

  /** A little-endian 64-bit value below 2^53. */
  u64(value: number): void {
    this.u32(value % 4_294_967_296)
    this.u32(Math.floor(value / 4_294_967_296))
  }

  /** Append bytes, cut at the end of the buffer. */
  bytes(data: Uint8Array): void {
    const n = Math.min(data.length, this.room)
    this.buf.set(n === data.length ? data : data.subarray(0, n), this.pos)
    this.pos += n
  }

  ascii(text: string): void {
    this.pos += this.buf.write(text, this.pos, 'latin1')
  }

  /** Append ASCII only if it fits entirely (for anything holding the space path). */
  asciiWhole(text: string): boolean {
    if (text.length > this.room) return false
    this.ascii(text)
    return true
  }

  /** Skip ahead (the buffer is zero-filled), e.g. alignment padding. */
  zeros(n: number): void {
    this.pos = Math.min(this.buf.length, this.pos + n)
  }
}
