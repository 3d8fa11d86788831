import {Transform, type TransformCallback} from 'node:stream'

/**
 * A Transform whose work is async and whose output respects the reader's pace: output() waits
 * while the readable side is full, so one input chunk that expands a thousandfold (a zstd or
 * deflate bomb, or just zeros) never piles up in memory. Subclasses implement onChunk/onEnd.
 */
export abstract class AsyncTransform extends Transform {
  private readWaiters: Array<() => void> = []

  constructor(highWaterMark = 1 << 20) {
    super({readableHighWaterMark: highWaterMark, writableHighWaterMark: highWaterMark})
  }

  protected abstract onChunk(chunk: Buffer): Promise<void> | void
  protected abstract onEnd(): Promise<void> | void
  /** Turns a failure into the error the stream reports. */
  protected abstract mapError(error: unknown): Error

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.settle(() => this.onChunk(chunk), callback)
  }

  override _flush(callback: TransformCallback): void {
    this.settle(() => this.onEnd(), callback)
  }

  override _read(size: number): void {
    const waiters = this.readWaiters
    this.readWaiters = []
    for (const wake of waiters) wake()
    super._read(size)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const waiters = this.readWaiters
    this.readWaiters = []
    for (const wake of waiters) wake()
    super._destroy(error, callback)
  }

  /** Pushes output; resolves once the reader can take more. */
  protected async output(out: Uint8Array): Promise<void> {
    if (this.destroyed) throw new Error('stream destroyed')
    if (out.length === 0) return
    if (!this.push(out)) await this.readWanted()
  }

  /** Resolves when the readable side next asks for data (or the stream is destroyed). */
  protected readWanted(): Promise<void> {
    if (this.destroyed) return Promise.resolve()
    return new Promise((resolve) => this.readWaiters.push(resolve))
  }

  private settle(work: () => Promise<void> | void, callback: TransformCallback): void {
    let result: Promise<void> | void
    try {
      result = work()
    } catch (error) {
      callback(this.mapError(error))
      return
    }
    if (result === undefined) callback()
    else result.then(() => callback(), (error: unknown) => callback(this.mapError(error)))
  }
}
