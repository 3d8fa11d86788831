import {PassThrough, type Transform} from 'node:stream'

import type {Emit, StreamDecoder} from './stream-decoder.js'

/** The 'none' codec: stored bytes are the content (RCC's `compress.no` libraries). */
export function createRawStream(): Transform {
  return new PassThrough({highWaterMark: 1 << 20})
}

export class RawDecoder implements StreamDecoder {
  constructor(private readonly emit: Emit) {}

  write(chunk: Uint8Array): Promise<void> {
    return this.emit(chunk)
  }

  end(): void {}
}
