import zlib from 'node:zlib'
import type {Transform} from 'node:stream'

import {OutputLimitError, isZlibOutputLimit, zlibMaxOutput} from './output-limit.js'

/**
 * zstd through node:zlib, present from Node 22.15 / 23.8 on (feature-detected, never by version).
 * Caveat measured on Node 24.9: its decoder stops after the first frame and does not report a
 * truncated frame, so callers walk frames first (zstd-frames.ts) and feed it one whole frame.
 */
interface ZlibZstd {
  zstdCompress(data: Buffer, options: object, callback: (error: Error | null, result: Buffer) => void): void
  zstdDecompress(data: Buffer, options: object, callback: (error: Error | null, result: Buffer) => void): void
  zstdDecompressSync(data: Buffer, options?: object): Buffer
  createZstdDecompress(options?: object): Transform
  constants: Record<string, number>
}

const z = zlib as unknown as Partial<ZlibZstd>

export function zlibZstdAvailable(): boolean {
  return typeof z.zstdCompress === 'function' && typeof z.zstdDecompressSync === 'function' && typeof z.createZstdDecompress === 'function'
}

function required(): ZlibZstd {
  if (!zlibZstdAvailable()) throw new Error('node:zlib has no zstd in this Node.js')
  return z as ZlibZstd
}

/** Pledging the size makes the frame header carry it (as RCC's Go encoder does); the async call omits it otherwise. */
function compressOptions(level: number, size: number): object {
  const c = required().constants
  return {params: {[c.ZSTD_c_compressionLevel]: level}, pledgedSrcSize: size}
}

export function zlibZstdCompress(data: Buffer, level: number): Promise<Buffer> {
  const zz = required()
  return new Promise((resolve, reject) => zz.zstdCompress(data, compressOptions(level, data.length), (e, r) => (e ? reject(e) : resolve(r))))
}

/**
 * Decodes exactly one whole frame (see the caveat above), stopping past `limit` output bytes
 * with OutputLimitError (node:zlib's maxOutputLength).
 */
export async function zlibZstdDecompressFrame(frame: Buffer, limit: number): Promise<Buffer> {
  const zz = required()
  const options = {maxOutputLength: zlibMaxOutput(limit)}
  return new Promise((resolve, reject) => zz.zstdDecompress(frame, options, (e, r) => (e ? reject(limitError(e, limit)) : resolve(r))))
}

/** The synchronous twin of zlibZstdDecompressFrame. */
export function zlibZstdDecompressFrameSync(frame: Buffer, limit: number): Buffer {
  try {
    return required().zstdDecompressSync(frame, {maxOutputLength: zlibMaxOutput(limit)})
  } catch (error) {
    throw limitError(error, limit)
  }
}

function limitError(error: unknown, limit: number): unknown {
  return isZlibOutputLimit(error) ? new OutputLimitError(limit) : error
}

/**
 * Whether this Node's zstd takes a `dictionary` option (added after zstd itself, Node 24.6 /
 * 22.19): older ones ignore the option silently, so it is tried, not looked up. A frame
 * compressed with a dictionary of repeated text must come out smaller than one without.
 */
export function zlibZstdDictionaryAvailable(): boolean {
  if (!zlibZstdAvailable()) return false
  const zz = z as ZlibZstd & {zstdCompressSync(data: Buffer, options: object): Buffer}
  const sample = Buffer.from('holobench dictionary probe '.repeat(8))
  try {
    return zz.zstdCompressSync(sample, {dictionary: sample}).length < zz.zstdCompressSync(sample, {}).length
  } catch {
    return false
  }
}

/** One whole frame compressed with `dictionary` (the dict candidate), stopping past `limit` bytes. */
export async function zlibZstdDecompressWithDictionary(frame: Buffer, dictionary: Uint8Array, limit: number): Promise<Buffer> {
  const zz = required()
  const options = {maxOutputLength: zlibMaxOutput(limit), dictionary}
  return new Promise((resolve, reject) => zz.zstdDecompress(frame, options, (e, r) => (e ? reject(limitError(e, limit)) : resolve(r))))
}

/** A native streaming decoder for one frame of any size, in bounded memory. */
export function zlibZstdFrameDecoder(): Transform {
  return required().createZstdDecompress()
}
