import {createRequire} from 'node:module'

import type * as Pako from 'pako'

import {AsyncTransform} from './async-transform.js'
import {OutputLimitError} from './output-limit.js'
import type {StreamDecoder} from './stream-decoder.js'

/**
 * pako, loaded on first use: only the gzip-pure codec and `--gzip-backend pako` need it, and
 * loading it costs every process that streams a file ~6-8 ms (Node 20).
 */
let loaded: typeof Pako | undefined
function pako(): typeof Pako {
  loaded ??= createRequire(import.meta.url)('pako') as typeof Pako
  return loaded
}

/** gzip in pure JavaScript (pako): the baseline for machines without native zlib bindings. */

const OUTPUT_CHUNK = 64 * 1024
/** windowBits 15 plus 16: gzip wrapper only. */
const GZIP_WINDOW_BITS = 16 + 15

export function pakoGzip(data: Uint8Array, level: number): Buffer {
  const out = pako().gzip(data, {level: level as 1})
  return Buffer.from(out.buffer, out.byteOffset, out.length)
}

/**
 * Whole buffer; multi-member input is read as gzip(1) does. Throws on corrupt or truncated
 * input, and OutputLimitError as soon as the output passes `limit` bytes.
 */
export function pakoGunzip(stored: Uint8Array, limit: number): Buffer {
  const inflate = new (pako().Inflate)({chunkSize: OUTPUT_CHUNK})
  const chunks: Uint8Array[] = []
  let total = 0
  inflate.onData = (chunk: Uint8Array) => {
    total += chunk.length
    if (total > limit) throw new OutputLimitError(limit)
    chunks.push(chunk)
  }
  inflate.push(stored, true)
  if (inflate.err) throw new Error(inflate.msg || `inflate error ${inflate.err}`)
  return Buffer.concat(chunks, total)
}

/** Streaming deflate: output per push is at most about the input's size, so no throttling needed. */
export class PakoGzipEncoder {
  private readonly deflate: Pako.Deflate
  private out: Uint8Array[] = []

  constructor(level: number) {
    this.deflate = new (pako().Deflate)({level: level as 1, gzip: true, chunkSize: OUTPUT_CHUNK})
    this.deflate.onData = (chunk) => void this.out.push(chunk)
  }

  /** Compresses a chunk and returns the output it produced. */
  push(chunk: Uint8Array, final: boolean): Uint8Array[] {
    if (!this.deflate.push(chunk, final)) throw new Error(`pako deflate failed: ${this.deflate.msg}`)
    const out = this.out
    this.out = []
    return out
  }
}

/**
 * Streaming gunzip on pako's low-level API: the Inflate class stops at the first member's end when
 * a member ends exactly at a push boundary, so members are restarted here. Output comes in
 * OUTPUT_CHUNK pieces, each awaited, so a deflate bomb cannot fill memory.
 */
export class PakoGunzipDecoder implements StreamDecoder {
  private readonly strm = new (pako().ZStream)()
  /** A member just ended; the next byte starts another one (or nothing). */
  private memberEnded = false
  private consumed = 0

  constructor(private readonly emit: (out: Uint8Array) => Promise<void>) {
    const status = pako().zlibInflateInit2(this.strm, GZIP_WINDOW_BITS)
    if (status !== pako().Z_OK) throw new Error(`pako inflateInit2 failed (${status})`)
    this.newOutput()
  }

  async write(chunk: Uint8Array): Promise<void> {
    const strm = this.strm
    strm.input = chunk
    strm.next_in = 0
    strm.avail_in = chunk.length
    while (strm.avail_in > 0) {
      if (this.memberEnded) {
        pako().zlibInflateReset(strm)
        this.memberEnded = false
      }
      const before = strm.avail_in
      const {zlibInflate, Z_NO_FLUSH, Z_STREAM_END, Z_OK, Z_BUF_ERROR} = pako()
      const status = zlibInflate(strm, Z_NO_FLUSH)
      this.consumed += before - strm.avail_in
      if (status === Z_STREAM_END) {
        this.memberEnded = true
        await this.flushOutput()
        continue
      }
      if (status !== Z_OK && status !== Z_BUF_ERROR) throw new Error(`${strm.msg || 'inflate error ' + status} (after ${this.consumed} input bytes)`)
      if (strm.avail_out === 0) await this.flushOutput()
      else if (before === strm.avail_in) throw new Error(`inflate made no progress after ${this.consumed} input bytes`)
    }
  }

  async end(): Promise<void> {
    await this.flushOutput()
    pako().zlibInflateEnd(this.strm)
    if (!this.memberEnded) throw new Error(`unexpected end of gzip data after ${this.consumed} bytes (truncated)`)
  }

  private async flushOutput(): Promise<void> {
    const strm = this.strm
    if (strm.next_out === 0) return
    const out = strm.output.subarray(0, strm.next_out)
    this.newOutput()
    await this.emit(out)
  }

  private newOutput(): void {
    this.strm.output = new Uint8Array(OUTPUT_CHUNK)
    this.strm.next_out = 0
    this.strm.avail_out = OUTPUT_CHUNK
  }
}

/** gzip-pure compression as a stream (pako's Deflate, fed chunk by chunk). */
export class PakoGzipCompressStream extends AsyncTransform {
  private readonly encoder: PakoGzipEncoder

  constructor(level: number, private readonly mapFailure: (error: unknown) => Error) {
    super()
    this.encoder = new PakoGzipEncoder(level)
  }

  protected async onChunk(chunk: Buffer): Promise<void> {
    for (const out of this.encoder.push(chunk, false)) await this.output(out)
  }

  protected async onEnd(): Promise<void> {
    for (const out of this.encoder.push(new Uint8Array(0), true)) await this.output(out)
  }

  protected mapError(error: unknown): Error {
    return this.mapFailure(error)
  }
}
