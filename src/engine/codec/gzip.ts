import {promisify} from 'node:util'
import zlib from 'node:zlib'
import type {Transform} from 'node:stream'

import {OutputLimitError, isZlibOutputLimit, zlibMaxOutput} from './output-limit.js'

/** gzip through node:zlib (native zlib). Reads multi-member gzip, as gzip(1) and Go do. */

const gzipAsync = promisify(zlib.gzip)
const gunzipAsync = promisify(zlib.gunzip)

/**
 * Up to this stored size a synchronous call beats a hop to libuv's pool, even with 8 files in
 * flight. bench/codec-small.ts (2 cores, real 1-16 KiB files, median 2.7 KiB): gunzipSync 16 µs
 * per call against 41 µs for async gunzip on Node 20 (23 vs 60 µs on Node 24); by size, sync
 * still wins at ~73 KiB stored (581 vs 757 µs) and the two cross around 300 KiB. Capping it at
 * 64 KiB keeps each synchronous call (and the event-loop stall) under ~0.5 ms.
 */
export const GZIP_SYNC_MAX_BYTES = 64 * 1024

export async function gzipCompress(data: Buffer, level: number): Promise<Buffer> {
  if (data.length <= GZIP_SYNC_MAX_BYTES) return zlib.gzipSync(data, {level})
  return gzipAsync(data, {level})
}

/**
 * Largest output chunk sized to an expected size. node:zlib otherwise writes 16 KiB chunks and
 * concatenates them (one more copy of every file): one chunk of the expected size + 1 took
 * 15-25% less CPU over the 2,339 small files of RCC's gzip stdlib hololib (Node 20, measured).
 * For a big file (drop.ts WHOLE_BIG_FILE_BYTES) it is also one hop back from libuv's pool
 * instead of one per 16 KiB.
 */
const SIZED_CHUNK_MAX_BYTES = 64 * 1024 * 1024 + 1

/**
 * Whole buffer, multi-member; stops at `limit` + 1 output bytes with OutputLimitError.
 * `expected`: the exact size the caller expects (a catalog entry's), when it knows it: the
 * output is then written into one buffer of that size (+ 1, to see an overrun), not in chunks.
 */
export async function gunzipBuffer(stored: Buffer, limit: number, expected?: number): Promise<Buffer> {
  const sized = expected !== undefined && expected < SIZED_CHUNK_MAX_BYTES ? {chunkSize: Math.max(zlib.constants.Z_MIN_CHUNK, expected + 1)} : {}
  const options = {maxOutputLength: zlibMaxOutput(limit), ...sized}
  try {
    const out = stored.length <= GZIP_SYNC_MAX_BYTES ? zlib.gunzipSync(stored, options) : await gunzipAsync(stored, options)
    if (out.length > limit) throw new OutputLimitError(limit)
    return out
  } catch (error) {
    throw isZlibOutputLimit(error) ? new OutputLimitError(limit) : error
  }
}

export function createGzipCompressStream(level: number): Transform {
  return zlib.createGzip({level, chunkSize: 64 * 1024})
}

/**
 * Output chunks of the gunzip stream (huge files, restore/restore-large.ts). Each chunk costs
 * event-loop turns on a thread that also runs a restore lane: streamed, the 45 MB
 * libpython3.11.a of RCC's gzip stdlib hololib finished ~200 ms after every small file in
 * 64 KiB chunks and ~90 ms after in 1 MiB ones (Node 20, 2 cores, tmpfs; such a file is now
 * decoded whole, drop.ts WHOLE_BIG_FILE_BYTES). Memory stays bounded.
 */
export const GUNZIP_STREAM_CHUNK_BYTES = 1024 * 1024

export function createGunzipStream(): Transform {
  return zlib.createGunzip({chunkSize: GUNZIP_STREAM_CHUNK_BYTES})
}
