import {once} from 'node:events'
import {finished} from 'node:stream/promises'
import type {Transform} from 'node:stream'

import type {Emit, StreamDecoder} from './stream-decoder.js'

/**
 * Drives a native zlib Transform (gunzip, zstd) as a StreamDecoder: its output goes through
 * `emit`, and it is paused while the reader is behind, so backpressure reaches the native side.
 */
export class TransformBridge implements StreamDecoder {
  private error: Error | undefined
  private emitting: Promise<void> = Promise.resolve()

  constructor(private readonly inner: Transform, emit: Emit) {
    inner.on('error', (error: Error) => {
      this.error ??= error
    })
    inner.on('data', (chunk: Buffer) => {
      inner.pause()
      this.emitting = emit(chunk).then(
        () => void inner.resume(),
        (error: unknown) => {
          this.error ??= error instanceof Error ? error : new Error(String(error))
          inner.destroy(this.error)
        },
      )
    })
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.check()
    if (!this.inner.write(chunk)) await once(this.inner, 'drain')
    this.check()
  }

  async end(): Promise<void> {
    this.check()
    this.inner.end()
    await finished(this.inner)
    await this.emitting
    this.check()
  }

  private check(): void {
    if (this.error) throw this.error
  }
}
