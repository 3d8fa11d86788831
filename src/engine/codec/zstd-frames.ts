/**
 * An incremental walker over the zstd frame format (RFC 8878 §3.1): it reads only frame and
 * block headers, never decodes, and tells where each frame starts and ends and how large its
 * output can be. That lets the streaming decoder hand whole, bounded frames to a native
 * whole-buffer decoder and route huge or unbounded ones to a streaming decoder; it also catches
 * truncation and trailing garbage, which node:zlib's zstd decoder silently ignores.
 */

/** zstd frame magic 0xFD2FB528 and skippable frame magics 0x184D2A50..0x184D2A5F (little-endian). */
const ZSTD_MAGIC = 0xfd2fb528
const SKIPPABLE_MASK = 0xfffffff0
const SKIPPABLE_MAGIC = 0x184d2a50
/** A block never regenerates more than 128 KiB (Block_Maximum_Size). */
export const MAX_BLOCK_SIZE = 128 * 1024

export interface ZstdFrameHeader {
  /** Bytes of magic plus frame header. */
  headerSize: number
  /** Window size in bytes: the memory a streaming decoder must keep. */
  windowSize: number
  /** Frame_Content_Size when the header has it. */
  contentSize?: number
  hasChecksum: boolean
  dictionaryId: number
}

export type FrameEvent =
  /** A frame begins at absolute input offset `offset`; its header is complete. */
  | {type: 'start'; header: ZstdFrameHeader; offset: number}
  /**
   * Bytes of the current frame in order: header, blocks, checksum (uncopied where possible).
   * `blockEnd` says they end exactly at the end of a block, where a streaming decoder can be fed
   * without it holding a partial block; `bound` is the frame's output bound so far.
   */
  | {type: 'data'; bytes: Uint8Array; bound: number; blockEnd: boolean}
  /** The frame is complete at absolute offset `offset`; bound is the most it can decompress to. */
  | {type: 'end'; bound: number; offset: number}

export class ZstdFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message)
    this.name = 'ZstdFormatError'
  }
}

/**
 * A frame whose header names a dictionary (Dictionary_ID, RFC 8878 §3.1.1.1.3): it cannot be
 * decoded without that dictionary, which neither RCC nor holobench has. Not corruption.
 */
export class ZstdDictionaryError extends ZstdFormatError {
  constructor(readonly dictionaryId: number, offset: number) {
    super(`zstd frame at byte ${offset} needs dictionary ${dictionaryId} to be decoded`, offset)
    this.name = 'ZstdDictionaryError'
  }
}

const enum State {
  Magic,
  SkipSize,
  Skip,
  Descriptor,
  HeaderRest,
  BlockHeader,
  BlockBody,
  Checksum,
}

/** Window descriptor, dictionary id and content size bytes for each descriptor byte. */
function headerRestSize(fhd: number): number {
  const singleSegment = (fhd >> 5) & 1
  const fcsFlag = fhd >> 6
  return (singleSegment ? 0 : 1) + [0, 1, 2, 4][fhd & 3] + (fcsFlag === 0 ? singleSegment : 1 << fcsFlag)
}

/**
 * Feed bytes with push(); each call returns the events for the bytes it consumed. Call end() at
 * the end of input: it throws if the input stops inside a frame. Errors are ZstdFormatError with
 * the absolute input offset.
 */
export class ZstdFrameWalker {
  private state = State.Magic
  /** Header fields being collected (they may straddle chunks). */
  private readonly scratch = new Uint8Array(14)
  private have = 0
  private need = 4
  /** Magic plus frame header, at most 4 + 14 bytes, re-emitted once the header is known. */
  private readonly headerBytes = new Uint8Array(18)
  private headerLength = 0
  private frameStart = 0
  private remaining = 0
  private header: ZstdFrameHeader | undefined
  private blockMax = MAX_BLOCK_SIZE
  private lastBlock = false
  private bound = 0
  private offset = 0

  /** Whether the input so far ends on a frame boundary. */
  get atBoundary(): boolean {
    return this.state === State.Magic && this.have === 0
  }

  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = []
    const n = chunk.length
    let pos = 0
    // Start within this chunk of the current frame's bytes not yet emitted, or -1.
    let runStart = this.state >= State.BlockHeader ? 0 : -1
    const emitRun = (blockEnd: boolean) => {
      if (runStart >= 0 && pos > runStart) events.push({type: 'data', bytes: chunk.subarray(runStart, pos), bound: this.bound, blockEnd})
      runStart = -1
    }
    const blockDone = () => {
      emitRun(true)
      runStart = pos
      this.afterBlock()
    }
    while (pos < n) {
      if (this.state === State.Skip || this.state === State.BlockBody) {
        const take = Math.min(this.remaining, n - pos)
        pos += take
        this.remaining -= take
        if (this.remaining > 0) continue
        if (this.state === State.Skip) {
          this.expect(State.Magic, 4)
          continue
        }
        blockDone()
      } else {
        const take = Math.min(this.need - this.have, n - pos)
        const bytes = chunk.subarray(pos, pos + take)
        this.scratch.set(bytes, this.have)
        if (this.state === State.Magic || this.state === State.Descriptor || this.state === State.HeaderRest) {
          this.headerBytes.set(bytes, this.headerLength)
          this.headerLength += take
        }
        this.have += take
        pos += take
        if (this.have < this.need) break
        const at = this.offset + pos - this.need
        const was = this.state
        this.step(at, events)
        if (was === State.Descriptor || was === State.HeaderRest) {
          if (this.state === State.BlockHeader) {
            // The header just completed: emit it (copied, it may straddle chunks) and run on.
            events.push({type: 'data', bytes: this.headerBytes.slice(0, this.headerLength), bound: 0, blockEnd: false})
            this.headerLength = 0
            runStart = pos
          }
        } else if (was === State.BlockHeader && this.remaining === 0) {
          blockDone() // an empty raw block
        }
      }
      if (this.state === State.Magic && this.header) {
        emitRun(true)
        events.push({type: 'end', bound: this.bound, offset: this.offset + pos})
        this.header = undefined
      }
    }
    emitRun(false)
    this.offset += n
    return events
  }

  /** Declares the end of input; throws if it stopped inside a frame. */
  end(): void {
    if (this.atBoundary) return
    if (this.state === State.Magic) {
      const at = this.offset - this.have
      throw new ZstdFormatError(`${this.have} stray byte(s) at byte ${at}, after the last zstd frame`, at)
    }
    const where = this.state === State.Skip || this.state === State.SkipSize ? 'a skippable frame' : 'a zstd frame'
    throw new ZstdFormatError(`input ends inside ${where} (truncated after ${this.offset} bytes)`, this.offset)
  }

  /** Acts on a complete header field in scratch; `at` is its absolute offset. */
  private step(at: number, events: FrameEvent[]): void {
    switch (this.state) {
      case State.Magic: {
        const magic = readU32(this.scratch, 0)
        if (magic === ZSTD_MAGIC) {
          this.frameStart = at
          this.expect(State.Descriptor, 1)
        } else if (((magic & SKIPPABLE_MASK) >>> 0) === SKIPPABLE_MAGIC) {
          this.headerLength = 0
          this.expect(State.SkipSize, 4)
        } else {
          throw new ZstdFormatError(`no zstd frame at byte ${at} (unknown magic ${hex32(magic)})`, at)
        }
        return
      }
      case State.SkipSize:
        this.remaining = readU32(this.scratch, 0)
        if (this.remaining === 0) this.expect(State.Magic, 4)
        else this.expect(State.Skip, 0)
        return
      case State.Descriptor: {
        const fhd = this.scratch[0]
        if (fhd & 0x08) throw new ZstdFormatError(`zstd frame at byte ${this.frameStart} sets a reserved header bit`, at)
        const rest = headerRestSize(fhd)
        if (rest === 0) this.parseHeader(events)
        else this.expect(State.HeaderRest, rest)
        return
      }
      case State.HeaderRest:
        this.parseHeader(events)
        return
      case State.BlockHeader: {
        const b = this.scratch[0] | (this.scratch[1] << 8) | (this.scratch[2] << 16)
        this.lastBlock = (b & 1) === 1
        const type = (b >> 1) & 3
        const size = b >>> 3
        if (type === 3) throw new ZstdFormatError(`zstd block at byte ${at} has the reserved block type`, at)
        if (type !== 1 && size > this.blockMax) {
          throw new ZstdFormatError(`zstd block at byte ${at} is ${size} bytes, above its ${this.blockMax}-byte maximum`, at)
        }
        // Raw and RLE blocks regenerate `size` bytes; a compressed one at most Block_Maximum_Size.
        this.bound += type === 2 ? this.blockMax : size
        this.remaining = type === 1 ? 1 : size
        if (this.remaining > 0) this.expect(State.BlockBody, 0)
        return
      }
      case State.Checksum:
        this.expect(State.Magic, 4)
        return
      default:
        return
    }
  }

  /** The header is in headerBytes[0, headerLength): magic, descriptor, then the optional fields. */
  private parseHeader(events: FrameEvent[]): void {
    const header = parseFrameHeader(this.headerBytes, this.frameStart)
    events.push({type: 'start', header, offset: this.frameStart})
    this.header = header
    this.blockMax = blockMaxFor(header)
    this.bound = 0
    this.lastBlock = false
    this.expect(State.BlockHeader, 3)
  }

  private afterBlock(): void {
    if (!this.lastBlock) this.expect(State.BlockHeader, 3)
    else if (this.header?.hasChecksum) this.expect(State.Checksum, 4)
    else this.expect(State.Magic, 4)
  }

  private expect(state: State, bytes: number): void {
    this.state = state
    this.need = bytes
    this.have = 0
  }
}

/**
 * A complete frame header (magic, descriptor, window, dictionary id, content size) at the start
 * of `h`; `start` is its absolute offset, for errors. A dictionary id is ZstdDictionaryError.
 */
function parseFrameHeader(h: Uint8Array, start: number): ZstdFrameHeader {
  const fhd = h[4]
  const singleSegment = (fhd >> 5) & 1
  const fcsFlag = fhd >> 6
  const dictBytes = [0, 1, 2, 4][fhd & 3]
  let i = 5
  let windowSize = 0
  if (!singleSegment) {
    const wd = h[i++]
    const base = 2 ** (10 + (wd >> 3))
    windowSize = base + (base / 8) * (wd & 7)
  }
  let dictionaryId = 0
  for (let k = 0; k < dictBytes; k++) dictionaryId += h[i++] * 2 ** (8 * k)
  const fcsBytes = fcsFlag === 0 ? singleSegment : 1 << fcsFlag
  let contentSize: number | undefined
  if (fcsBytes > 0) {
    contentSize = 0
    for (let k = 0; k < fcsBytes; k++) contentSize += h[i++] * 2 ** (8 * k)
    if (fcsBytes === 2) contentSize += 256
  }
  if (singleSegment) windowSize = contentSize ?? 0
  if (dictionaryId !== 0) throw new ZstdDictionaryError(dictionaryId, start)
  return {headerSize: i, windowSize, contentSize, hasChecksum: ((fhd >> 2) & 1) === 1, dictionaryId}
}

/** Block_Maximum_Size: the most one block regenerates, min(128 KiB, window). */
function blockMaxFor(header: ZstdFrameHeader): number {
  return Math.max(1, Math.min(MAX_BLOCK_SIZE, header.windowSize))
}

function readU32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0
}

function hex32(x: number): string {
  return '0x' + x.toString(16).padStart(8, '0')
}

/** One frame of a whole buffer, as walked: its byte range and output bound. */
export interface WalkedFrame {
  start: number
  end: number
  header: ZstdFrameHeader
  bound: number
}

/**
 * Walks a whole buffer, as ZstdFrameWalker does a stream (same frames, same errors: the tests
 * check one against the other) but by direct indexing, without events: it runs before every
 * whole-buffer decode, tens of thousands of times per restore (~1 µs per small file).
 * Throws ZstdFormatError on a malformed, truncated or trailing part.
 */
export function walkZstdFrames(data: Uint8Array): WalkedFrame[] {
  const frames: WalkedFrame[] = []
  const n = data.length
  const truncated = (where: string) => new ZstdFormatError(`input ends inside ${where} (truncated after ${n} bytes)`, n)
  let pos = 0
  while (pos < n) {
    if (n - pos < 4) throw new ZstdFormatError(`${n - pos} stray byte(s) at byte ${pos}, after the last zstd frame`, pos)
    const magic = readU32(data, pos)
    if (((magic & SKIPPABLE_MASK) >>> 0) === SKIPPABLE_MAGIC) {
      if (n - pos < 8 || pos + 8 + readU32(data, pos + 4) > n) throw truncated('a skippable frame')
      pos += 8 + readU32(data, pos + 4)
      continue
    }
    if (magic !== ZSTD_MAGIC) throw new ZstdFormatError(`no zstd frame at byte ${pos} (unknown magic ${hex32(magic)})`, pos)
    const start = pos
    if (n - pos < 5) throw truncated('a zstd frame')
    const fhd = data[pos + 4]
    if (fhd & 0x08) throw new ZstdFormatError(`zstd frame at byte ${start} sets a reserved header bit`, pos + 4)
    if (n - pos < 5 + headerRestSize(fhd)) throw truncated('a zstd frame')
    const header = parseFrameHeader(data.subarray(pos), start)
    const blockMax = blockMaxFor(header)
    pos += header.headerSize
    let bound = 0
    for (let last = false; !last; ) {
      if (n - pos < 3) throw truncated('a zstd frame')
      const b = data[pos] | (data[pos + 1] << 8) | (data[pos + 2] << 16)
      last = (b & 1) === 1
      const type = (b >> 1) & 3
      const size = b >>> 3
      if (type === 3) throw new ZstdFormatError(`zstd block at byte ${pos} has the reserved block type`, pos)
      if (type !== 1 && size > blockMax) throw new ZstdFormatError(`zstd block at byte ${pos} is ${size} bytes, above its ${blockMax}-byte maximum`, pos)
      bound += type === 2 ? blockMax : size
      pos += 3 + (type === 1 ? 1 : size)
      if (pos > n) throw truncated('a zstd frame')
    }
    if (header.hasChecksum) {
      pos += 4
      if (pos > n) throw truncated('a zstd frame')
    }
    frames.push({start, end: pos, header, bound})
  }
  return frames
}

/**
 * `frame` (one zstd frame of `size` content bytes, as the @mongodb-js/zstd binding writes it:
 * a Window_Descriptor and no Frame_Content_Size) with a Frame_Content_Size added to its header,
 * as the zstd CLI, node:zlib (pledged size) and the RCC fork's klauspost encoder write it.
 * RFC 8878 §3.1.1.1: FCS_Field_Size flag 1 (2 bytes, size − 256) for 256..65791, else 2 (4
 * bytes) or 3 (8 bytes); the blocks are untouched. Decoders check the declared size, and a
 * restore decodes such frames in groups (zstd-coalesce.ts). Anything else comes back as it is:
 * a frame that has a content size or a dictionary id, a single-segment frame, several frames.
 */
export function withContentSize(frame: Buffer, size: number): Buffer {
  if (frame.length < 6 || readU32(frame, 0) !== ZSTD_MAGIC || (frame[4] & 0xe3) !== 0) return frame
  const [flag, bytes] = size >= 256 && size <= 65791 ? [1, 2] : size < 2 ** 32 ? [2, 4] : [3, 8]
  const out = Buffer.allocUnsafe(frame.length + bytes)
  frame.copy(out, 0, 0, 6)
  out[4] = frame[4] | (flag << 6)
  if (bytes === 2) out.writeUInt16LE(size - 256, 6)
  else if (bytes === 4) out.writeUInt32LE(size, 6)
  else out.writeBigUInt64LE(BigInt(size), 6)
  frame.copy(out, 6 + bytes, 6)
  return out
}
