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

/** Whole buffer, multi-member; stops at `limit` + 1 output bytes with OutputLimitError. */
export async function gunzipBuffer(stored: Buffer, limit: number): Promise<Buffer> {
  const options = {maxOutputLength: zlibMaxOutput(limit)}
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

export function createGunzipStream(): Transform {
  return zlib.createGunzip({chunkSize: 64 * 1024})
}
