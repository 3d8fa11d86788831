import type {ZstdBackend} from '../types.js'
import {AsyncTransform} from './async-transform.js'
import {OrderedJobs} from './ordered-jobs.js'
import type {Emit, StreamDecoder} from './stream-decoder.js'
import {TransformBridge} from './transform-bridge.js'
import {checkContentSize, zstdCompress} from './zstd-backend.js'
import {FZSTD_MAX_WINDOW, FzstdFrameDecoder} from './zstd-fzstd.js'
import {OutputLimitError, WHOLE_DECODE_SLACK_BYTES, wholeDecodeCap} from './output-limit.js'
import {ZstdCliFrameDecoder, zstdCliAvailable} from './zstd-cli.js'
import {type FrameEvent, ZstdFormatError, type ZstdFrameHeader, ZstdFrameWalker} from './zstd-frames.js'
import {napiDecompress} from './zstd-napi.js'
import {STREAM_THRESHOLD_BYTES} from './whole.js'
import {zlibZstdAvailable, zlibZstdDecompressFrame, zlibZstdFrameDecoder} from './zstd-zlib.js'

/**
 * Streaming zstd in bounded memory, with whole-buffer native calls where they are safe.
 *
 * Compression cuts the input into independent frames of ZSTD_FRAME_BYTES: a concatenation of
 * frames is standard zstd that every decoder (zstd CLI, Go's klauspost, RCC) reads, and each frame
 * is one native call; several run at once on libuv's pool.
 *
 * Decompression walks frame and block headers (zstd-frames.ts). A frame whose output is bounded
 * by NATIVE_FRAME_MAX_BYTES (from its content size, or from its block headers when it has none)
 * and by what the stream may still produce is decoded whole by the chosen backend, natively, on
 * libuv's pool: RCC's zstd fork writes every file as one frame, and a 45 MB libpython3.11.a
 * decodes this way in tens of milliseconds instead of ~0.8 s of pure JavaScript. A frame bigger
 * than that (e.g. a 1.5 GiB file written by the zstd CLI, one frame) is decoded alone, and
 * streamed: through node:zlib's zstd decoder where it exists (Node >= 22.15), in whole-block
 * slices of about ZLIB_SLICE_BYTES; else through the system's `zstd -d` where it is on PATH;
 * else, last resort, through fzstd (pure JS, ~6x slower) one block at a time: each push then
 * yields at most 128 KiB, and the short-lived buffers die young (bigger slices kept more output
 * alive across GC scavenges and took peak RSS from ~100 MB to ~750 MB on 1.5 GiB).
 */
export const ZSTD_FRAME_BYTES = STREAM_THRESHOLD_BYTES
/**
 * The biggest frame output decoded whole. 64 MiB holds the big single-frame libraries real
 * environments carry (libpython3.11.a is 45 MB) while a drop's two concurrent big files stay
 * far below 512 MB: a frame this big is decoded alone, so a stream holds at most one such
 * output plus its stored bytes.
 */
export const NATIVE_FRAME_MAX_BYTES = 64 * 1024 * 1024
const ZLIB_SLICE_BYTES = 1024 * 1024
/**
 * Whole frames held at once (decoding on libuv's pool or waiting to be delivered). 3 measured
 * best here (200 MB, napi: compress ~520 vs ~450 MB/s with 2, decompress ~1.25 vs ~1.15 GB/s;
 * 4 no better) at ~3 x 8 MiB of memory.
 */
const FRAMES_IN_FLIGHT = 3

/** Who streams frames too big to decode whole: 'auto' is zlib, else cli (zstd on PATH), else fzstd. */
export type HugeFrameDecoder = 'auto' | 'zlib' | 'cli' | 'fzstd'

export class ZstdCompressStream extends AsyncTransform {
  private readonly jobs = new OrderedJobs<Buffer>(FRAMES_IN_FLIGHT)
  private parts: Buffer[] = []
  private partsLength = 0
  private total = 0
  private readonly deliver = (out: Buffer) => this.output(out)

  constructor(
    private readonly level: number,
    private readonly backend: ZstdBackend,
    private readonly mapFailure: (error: unknown) => Error,
    private readonly frameBytes = ZSTD_FRAME_BYTES,
  ) {
    super()
  }

  protected async onChunk(chunk: Buffer): Promise<void> {
    this.parts.push(chunk)
    this.partsLength += chunk.length
    this.total += chunk.length
    while (this.partsLength >= this.frameBytes) {
      const all = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partsLength)
      const frame = all.subarray(0, this.frameBytes)
      const rest = all.subarray(this.frameBytes)
      this.parts = rest.length > 0 ? [rest] : []
      this.partsLength = rest.length
      await this.jobs.add(zstdCompress(frame, this.level, this.backend), this.deliver)
    }
  }

  protected async onEnd(): Promise<void> {
    // Empty input still gets one (empty) frame: valid zstd that decodes to nothing.
    if (this.partsLength > 0 || this.total === 0) {
      await this.jobs.add(zstdCompress(Buffer.concat(this.parts, this.partsLength), this.level, this.backend), this.deliver)
    }
    this.parts = []
    await this.jobs.drain(this.deliver)
  }

  protected mapError(error: unknown): Error {
    return this.mapFailure(error)
  }
}

/** Decodes a zstd stream of any number of frames; see the module comment for the strategy. */
export class ZstdStreamDecoder implements StreamDecoder {
  private readonly walker = new ZstdFrameWalker()
  private readonly jobs = new OrderedJobs<Buffer>(FRAMES_IN_FLIGHT)
  private readonly deliver: (out: Buffer) => Promise<void>
  private mode: 'buffer' | 'stream' = 'buffer'
  private header: ZstdFrameHeader | undefined
  private frameOffset = 0
  private pieces: Uint8Array[] = []
  private piecesLength = 0
  /** Whether each gathered piece ends a block, should the frame switch to streaming. */
  private pieceEnds: boolean[] = []
  /** Stream mode: bytes not yet fed (the start of a block split across input chunks). */
  private unfed: Uint8Array[] = []
  private unfedLength = 0
  private perBlock = false
  private streamDecoder: StreamDecoder | undefined
  private streamOut = 0
  /** The current frame has no streaming decoder (window too big for fzstd): decode it whole. */
  private wholeOnly = false

  /**
   * `remaining()` is how many more bytes the stream may pass on (its caller stops it there):
   * frames that declare more fail before decoding, and no frame is decoded whole whose headers
   * do not bound its output to wholeCap().
   */
  constructor(
    private readonly emit: Emit,
    private readonly backend: ZstdBackend,
    private readonly hugeFrames: HugeFrameDecoder = 'auto',
    private readonly remaining: () => number = () => Infinity,
  ) {
    this.deliver = (out) => this.emit(out)
  }

  destroy(): void {
    this.streamDecoder?.destroy?.()
  }

  private left(): number {
    return Math.max(0, this.remaining())
  }

  /**
   * The most output a frame's headers may allow for it to be decoded whole: NATIVE_FRAME_MAX_BYTES,
   * or, when the stream has a size, wholeDecodeCap of what is left up to twice that (a fork frame
   * of 45 MB bounds ~91 MB by its 64 KiB blocks). A legitimate frame's output is at most what is
   * left; a lying one at most this cap, one at a time.
   */
  private wholeCap(): number {
    const left = this.left()
    return Number.isFinite(left) ? Math.min(wholeDecodeCap(left), wholeDecodeCap(NATIVE_FRAME_MAX_BYTES)) : NATIVE_FRAME_MAX_BYTES
  }

  async write(chunk: Uint8Array): Promise<void> {
    for (const event of this.walker.push(chunk)) await this.handle(event)
  }

  async end(): Promise<void> {
    this.walker.end()
    await this.jobs.drain(this.deliver)
  }

  private async handle(event: FrameEvent): Promise<void> {
    switch (event.type) {
      case 'start': {
        this.header = event.header
        this.frameOffset = event.offset
        this.pieces = []
        this.pieceEnds = []
        this.piecesLength = 0
        this.unfed = []
        this.unfedLength = 0
        this.mode = 'buffer'
        this.wholeOnly = false
        const size = event.header.contentSize
        const left = this.left()
        if (size !== undefined && size > left) throw new OutputLimitError(left, size)
        if (size !== undefined && size > NATIVE_FRAME_MAX_BYTES) await this.startStreaming()
        return
      }
      case 'data':
        if (this.mode === 'stream') return this.feed(event.bytes, event.blockEnd)
        this.pieces.push(event.bytes)
        this.pieceEnds.push(event.blockEnd)
        this.piecesLength += event.bytes.length
        // Blocks that could hold more than the cap, with or without a content size (napi decodes
        // past a lying one): stream the frame.
        if (event.bound > this.wholeCap()) {
          // No streaming decoder for this frame: decoding it whole is allowed only within bounds.
          if (this.wholeOnly) throw this.unstreamable(event.bound)
          if (!(await this.startStreaming())) return
          // Too big to decode whole after all: stream what was gathered, block by block.
          const [gathered, ends] = [this.pieces, this.pieceEnds]
          this.pieces = []
          this.pieceEnds = []
          this.piecesLength = 0
          for (const [i, bytes] of gathered.entries()) await this.feed(bytes, ends[i])
        }
        return
      case 'end':
        if (this.mode === 'buffer') {
          const frame = Buffer.concat(this.pieces, this.piecesLength)
          this.pieces = []
          this.pieceEnds = []
          this.piecesLength = 0
          const contentSize = this.header?.contentSize
          if (contentSize !== undefined && contentSize > event.bound) {
            throw new ZstdFormatError(`zstd frame at byte ${this.frameOffset} declares ${contentSize} bytes, more than its blocks can hold (${event.bound})`, this.frameOffset)
          }
          // A frame much bigger than the usual ones is decoded alone: memory holds one such output.
          const alone = (contentSize ?? event.bound) > 2 * ZSTD_FRAME_BYTES
          if (alone) await this.jobs.drain(this.deliver)
          await this.jobs.add(this.decodeWhole(frame, this.header!, this.frameOffset), this.deliver)
          if (alone) await this.jobs.drain(this.deliver)
        } else {
          await this.flushUnfed()
          await this.streamDecoder!.end()
          this.streamDecoder = undefined
          checkContentSize(this.streamOut, this.header?.contentSize, this.frameOffset)
        }
        return
    }
  }

  /** One whole frame, natively: napi's output is bounded by the checks before the call, zlib's is stopped. */
  private async decodeWhole(frame: Buffer, header: ZstdFrameHeader, offset: number): Promise<Buffer> {
    const out = this.backend === 'napi' ? await napiDecompress(frame) : await zlibZstdDecompressFrame(frame, header.contentSize ?? this.left())
    checkContentSize(out.length, header.contentSize, offset)
    return out
  }

  /**
   * Switches the current frame to a streaming decoder (output order needs earlier frames out
   * first). Returns false when there is none for this frame, which is then decoded whole.
   */
  private async startStreaming(): Promise<boolean> {
    const windowSize = this.header?.windowSize ?? 0
    const decoder = this.streamingDecoder(windowSize)
    // No streaming decoder for this window (fzstd's limit, no zlib zstd, no zstd CLI): decode it
    // whole after all, within bounds (unstreamable); any decoder needs the window (> 32 MiB) anyway.
    if (decoder === undefined) {
      this.wholeOnly = true
      return false
    }
    await this.jobs.drain(this.deliver)
    this.mode = 'stream'
    this.streamOut = 0
    this.perBlock = decoder === 'fzstd'
    const emit: Emit = (out) => {
      this.streamOut += out.length
      return this.emit(out)
    }
    this.streamDecoder =
      decoder === 'zlib' ? new TransformBridge(zlibZstdFrameDecoder(), emit) : decoder === 'cli' ? new ZstdCliFrameDecoder(emit, windowSize) : new FzstdFrameDecoder(emit)
    return true
  }

  private unstreamable(bound: number): Error {
    const left = this.left()
    if (bound > left + WHOLE_DECODE_SLACK_BYTES) return new OutputLimitError(left)
    const window = this.header?.windowSize ?? 0
    return new Error(
      `zstd frame at byte ${this.frameOffset} needs a ${window}-byte window, more than fzstd's ${FZSTD_MAX_WINDOW}, and is too big to decode whole; ` +
        'stream it with Node.js >= 22.15 (node:zlib zstd) or with the zstd command on PATH',
    )
  }

  /** The streaming decoder for a frame with this window, by preference; undefined when none can. */
  private streamingDecoder(windowSize: number): 'zlib' | 'cli' | 'fzstd' | undefined {
    const choice = this.hugeFrames
    if (choice === 'zlib' || (choice === 'auto' && zlibZstdAvailable())) return 'zlib'
    if (choice === 'cli' || (choice === 'auto' && zstdCliAvailable())) return 'cli'
    return windowSize <= FZSTD_MAX_WINDOW ? 'fzstd' : undefined
  }

  /**
   * Feeds frame bytes to the streaming decoder, only ever whole blocks: fzstd re-concatenates a
   * partial block on each push. A block split across input chunks is joined here, once.
   */
  private async feed(bytes: Uint8Array, blockEnd: boolean): Promise<void> {
    if (blockEnd && this.unfedLength === 0 && (this.perBlock || bytes.length >= ZLIB_SLICE_BYTES)) {
      return this.streamDecoder!.write(bytes)
    }
    this.unfed.push(bytes)
    this.unfedLength += bytes.length
    if (blockEnd && (this.perBlock || this.unfedLength >= ZLIB_SLICE_BYTES)) await this.flushUnfed()
  }

  private async flushUnfed(): Promise<void> {
    if (this.unfedLength === 0) return
    const bytes = this.unfed.length === 1 ? this.unfed[0] : Buffer.concat(this.unfed, this.unfedLength)
    this.unfed = []
    this.unfedLength = 0
    await this.streamDecoder!.write(bytes)
  }
}
