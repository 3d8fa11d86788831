import {promisify} from 'node:util'
import zlib from 'node:zlib'
import type {Transform} from 'node:stream'

/** gzip through node:zlib (native zlib). Reads multi-member gzip, as gzip(1) and Go do. */

const gzipAsync = promisify(zlib.gzip)
const gunzipAsync = promisify(zlib.gunzip)

/**
 * Up to this stored size a synchronous call beats a hop to libuv's pool, even with 8 files in
 * flight (bench/codec-small.ts, Node 20, 2 cores: 1-16 KiB files, median 2.7 KiB, gunzipSync
 * 16-25 µs per call against 30-58 µs for async gunzip; by size, sync wins up to ~5-10 KiB
 * stored and the two are even around 20 KiB). Above it the pool lets big files inflate in
 * parallel and keeps the event loop free.
 */
export const GZIP_SYNC_MAX_BYTES = 16 * 1024

export async function gzipCompress(data: Buffer, level: number): Promise<Buffer> {
  if (data.length <= GZIP_SYNC_MAX_BYTES) return zlib.gzipSync(data, {level})
  return gzipAsync(data, {level})
}

export async function gunzipBuffer(stored: Buffer): Promise<Buffer> {
  if (stored.length <= GZIP_SYNC_MAX_BYTES) return zlib.gunzipSync(stored)
  return gunzipAsync(stored)
}

export function createGzipCompressStream(level: number): Transform {
  return zlib.createGzip({level, chunkSize: 64 * 1024})
}

export function createGunzipStream(): Transform {
  return zlib.createGunzip({chunkSize: 64 * 1024})
}
