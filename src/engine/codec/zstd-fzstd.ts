import {createRequire} from 'node:module'

import type {Decompress} from 'fzstd'

import {OutputLimitError} from './output-limit.js'
import {ZstdFrameWalker} from './zstd-frames.js'
import type {Emit, StreamDecoder} from './stream-decoder.js'

/** fzstd, loaded on first use: most processes never decode a frame with it (~4-7 ms to load). */
let loaded: typeof import('fzstd') | undefined
function fzstd(): typeof import('fzstd') {
  loaded ??= createRequire(import.meta.url)('fzstd') as typeof import('fzstd')
  return loaded
}

/**
 * Pure-JS streaming zstd decoding (fzstd) for one frame too big to decode whole on Node without
 * zlib zstd. About 160-175 MB/s here against ~1 GB/s native, so only huge or unbounded frames
 * come here. fzstd supports back-references up to 32 MiB, enough for every level below 20
 * without --long; it does not verify the frame checksum (the digest check still does).
 */
export const FZSTD_MAX_WINDOW = 32 * 1024 * 1024

export class FzstdFrameDecoder implements StreamDecoder {
  private readonly decoder: Decompress
  private out: Uint8Array[] = []

  constructor(private readonly emit: Emit) {
    this.decoder = new (fzstd().Decompress)((chunk) => void this.out.push(chunk))
  }

  /** Feed whole blocks: fzstd re-concatenates a partial block on every push. */
  async write(bytes: Uint8Array): Promise<void> {
    this.decoder.push(bytes)
    this.dropEmptyLeftovers()
    await this.flush()
  }

  /**
   * fzstd 0.1.1 keeps an empty view of every pushed chunk that ends exactly on a block boundary
   * in its leftover list, which it clears only once bytes are left over; fed block by block, that
   * list pinned every chunk ever pushed (peak RSS grew with the file: 800 MB for 1.5 GiB). With
   * no leftover bytes (`l` 0) the list holds only empty views, so emptying it changes nothing else.
   */
  private dropEmptyLeftovers(): void {
    const internal = this.decoder as unknown as {c?: unknown; l?: unknown}
    if (internal.l === 0 && Array.isArray(internal.c) && internal.c.length > 0) internal.c = []
  }

  /** Leftover views fzstd holds (for tests of the workaround above). */
  get leftoverViews(): number {
    const c = (this.decoder as unknown as {c?: unknown}).c
    return Array.isArray(c) ? c.length : 0
  }

  async end(): Promise<void> {
    this.decoder.push(new Uint8Array(0), true)
    await this.flush()
  }

  private async flush(): Promise<void> {
    const out = this.out
    this.out = []
    for (const chunk of out) await this.emit(chunk)
  }
}

/**
 * One whole frame in pure JavaScript, stopping with OutputLimitError as soon as the output
 * passes `limit` bytes: the last resort for a frame whose headers do not bound its output
 * on a Node.js without node:zlib zstd (the napi binding cannot be stopped mid-way). Fed one
 * block at a time: fzstd decodes all it is given before it calls back, so a whole bomb pushed
 * at once would be decoded whole (1 GiB for 32 KiB) before the limit could stop it.
 */
export function fzstdDecompressFrame(frame: Uint8Array, limit: number): Buffer {
  const chunks: Uint8Array[] = []
  let total = 0
  const decoder = new (fzstd().Decompress)((chunk) => {
    total += chunk.length
    if (total > limit) throw new OutputLimitError(limit)
    chunks.push(chunk)
  })
  const walker = new ZstdFrameWalker()
  let pending: Uint8Array[] = []
  for (const event of walker.push(frame)) {
    if (event.type !== 'data') continue
    pending.push(event.bytes)
    if (!event.blockEnd) continue
    decoder.push(pending.length === 1 ? pending[0] : Buffer.concat(pending))
    pending = []
  }
  walker.end()
  if (pending.length > 0) decoder.push(Buffer.concat(pending))
  decoder.push(new Uint8Array(0), true)
  return Buffer.concat(chunks, total)
}
