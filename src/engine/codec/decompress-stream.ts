import type {StoredFormat, ZstdBackend} from '../types.js'
import type {GzipBackend} from './whole.js'
import {AsyncTransform} from './async-transform.js'
import {DETECT_BYTES, detectFormat} from './detect.js'
import {OutputLimitError} from './output-limit.js'
import {createGunzipStream} from './gzip.js'
import {PakoGunzipDecoder} from './gzip-pure.js'
import {RawDecoder} from './raw.js'
import type {Emit, StreamDecoder} from './stream-decoder.js'
import {TransformBridge} from './transform-bridge.js'
import {type HugeFrameDecoder, ZstdStreamDecoder} from './zstd-stream.js'


export interface DecodeStreamSettings {
  zstdBackend: ZstdBackend
  gzipBackend: GzipBackend
  hugeZstdFrames?: HugeFrameDecoder
  expectedSize?: number
  /** No output byte past this many is passed on: the stream fails there (OutputLimitError). */
  limit?: number
  /** Builds the stream's error from a failure and the format being decoded. */
  fail: (error: unknown, format: StoredFormat | undefined) => Error
}

/**
 * Decompresses whatever arrives, told apart by its first bytes: zstd, gzip or raw. Output is
 * paced by the reader, so memory stays bounded whatever the size or ratio of the input.
 */
export class DecompressStream extends AsyncTransform {
  private head: Buffer[] = []
  private headLength = 0
  private format: StoredFormat | undefined
  private decoder: StreamDecoder | undefined
  private produced = 0

  constructor(private readonly settings: DecodeStreamSettings) {
    super()
  }

  /** The detected format, once the first bytes have arrived. */
  get detectedFormat(): StoredFormat | undefined {
    return this.format
  }

  protected async onChunk(chunk: Buffer): Promise<void> {
    if (this.decoder) return this.decoder.write(chunk)
    this.head.push(chunk)
    this.headLength += chunk.length
    if (this.headLength >= DETECT_BYTES) await this.begin()
  }

  protected async onEnd(): Promise<void> {
    if (!this.decoder && this.headLength > 0) await this.begin()
    await this.decoder?.end()
    const expected = this.settings.expectedSize
    if (expected !== undefined && this.produced !== expected) {
      throw new Error(`decompressed to ${this.produced} bytes, expected ${expected}`)
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.decoder?.destroy?.()
    super._destroy(error, callback)
  }

  protected mapError(error: unknown): Error {
    return this.settings.fail(error, this.format)
  }

  private async begin(): Promise<void> {
    const head = Buffer.concat(this.head, this.headLength)
    this.head = []
    this.format = detectFormat(head)
    const limit = this.settings.limit ?? Infinity
    const emit: Emit = async (out) => {
      if (this.produced + out.length > limit) throw new OutputLimitError(limit)
      this.produced += out.length
      return this.output(out)
    }
    this.decoder = this.createDecoder(this.format, emit)
    await this.decoder.write(head)
  }

  private createDecoder(format: StoredFormat, emit: Emit): StreamDecoder {
    const s = this.settings
    switch (format) {
      case 'zstd':
        return new ZstdStreamDecoder(emit, s.zstdBackend, s.hugeZstdFrames, () => (s.limit ?? Infinity) - this.produced)
      case 'gzip':
        return s.gzipBackend === 'pako' ? new PakoGunzipDecoder(emit) : new TransformBridge(createGunzipStream(), emit)
      case 'raw':
        return new RawDecoder(emit)
    }
  }
}
