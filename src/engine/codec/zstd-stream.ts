import type {ZstdBackend} from '../types.js'
import {AsyncTransform} from './async-transform.js'
import {OrderedJobs} from './ordered-jobs.js'
import type {Emit, StreamDecoder} from './stream-decoder.js'
import {TransformBridge} from './transform-bridge.js'
import {checkContentSize, zstdCompress} from './zstd-backend.js'
import {FZSTD_MAX_WINDOW, FzstdFrameDecoder} from './zstd-fzstd.js'
import {type FrameEvent, type ZstdFrameHeader, ZstdFrameWalker} from './zstd-frames.js'
import {napiDecompress} from './zstd-napi.js'
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
 * is decoded whole by the chosen backend. A bigger one (e.g. a 1.5 GiB file written by the zstd
 * CLI, one frame) is streamed through node:zlib's zstd decoder where it exists, in whole-block
 * slices of about ZLIB_SLICE_BYTES, else through fzstd (pure JS) one block at a time: each push
 * then yields at most 128 KiB, and the short-lived buffers die young (bigger slices kept more
 * output alive across GC scavenges and took peak RSS from ~100 MB to ~750 MB on 1.5 GiB).
 */
export const ZSTD_FRAME_BYTES = 4 * 1024 * 1024
export const NATIVE_FRAME_MAX_BYTES = 32 * 1024 * 1024
const ZLIB_SLICE_BYTES = 1024 * 1024
/**
 * Whole frames held at once (decoding on libuv's pool or waiting to be delivered). 3 measured
 * best here (200 MB, napi: compress ~520 vs ~450 MB/s with 2, decompress ~1.25 vs ~1.15 GB/s;
 * 4 no better) at ~3 x 8 MiB of memory.
 */
const FRAMES_IN_FLIGHT = 3

export type HugeFrameDecoder = 'auto' | 'zlib' | 'fzstd'

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

  constructor(
    private readonly emit: Emit,
    private readonly backend: ZstdBackend,
    private readonly hugeFrames: HugeFrameDecoder = 'auto',
  ) {
    this.deliver = (out) => this.emit(out)
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
        if (size !== undefined && size > NATIVE_FRAME_MAX_BYTES) await this.startStreaming()
        return
      }
      case 'data':
        if (this.mode === 'stream') return this.feed(event.bytes, event.blockEnd)
        this.pieces.push(event.bytes)
        this.pieceEnds.push(event.blockEnd)
        this.piecesLength += event.bytes.length
        if (event.bound > NATIVE_FRAME_MAX_BYTES && this.header?.contentSize === undefined && !this.wholeOnly) {
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
          await this.jobs.add(this.decodeWhole(frame, this.header?.contentSize, this.frameOffset), this.deliver)
        } else {
          await this.flushUnfed()
          await this.streamDecoder!.end()
          this.streamDecoder = undefined
          checkContentSize(this.streamOut, this.header?.contentSize, this.frameOffset)
        }
        return
    }
  }

  private async decodeWhole(frame: Buffer, contentSize: number | undefined, offset: number): Promise<Buffer> {
    const out = this.backend === 'napi' ? await napiDecompress(frame) : await zlibZstdDecompressFrame(frame)
    checkContentSize(out.length, contentSize, offset)
    return out
  }

  /**
   * Switches the current frame to a streaming decoder (output order needs earlier frames out
   * first). Returns false when there is none for this frame, which is then decoded whole.
   */
  private async startStreaming(): Promise<boolean> {
    const windowSize = this.header?.windowSize ?? 0
    const useZlib = this.hugeFrames === 'zlib' || (this.hugeFrames === 'auto' && zlibZstdAvailable())
    // No streaming decoder for this window (fzstd's limit, no zlib zstd): decode it whole after all;
    // its memory is then its size, but any decoder needs the window (> 32 MiB) anyway.
    if (!useZlib && windowSize > FZSTD_MAX_WINDOW) {
      this.wholeOnly = true
      return false
    }
    await this.jobs.drain(this.deliver)
    this.mode = 'stream'
    this.streamOut = 0
    this.perBlock = !useZlib
    const emit: Emit = (out) => {
      this.streamOut += out.length
      return this.emit(out)
    }
    this.streamDecoder = useZlib ? new TransformBridge(zlibZstdFrameDecoder(), emit) : new FzstdFrameDecoder(emit)
    return true
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
