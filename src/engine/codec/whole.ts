/**
 * Whole-buffer decoding of library files and catalogs (the restore workers' codec): only the
 * modules a whole-buffer decode needs, so that a worker thread does not load the streams, pako
 * or fzstd (about 15 ms of CPU per thread, measured on Node 20). pako is loaded when asked for.
 */
import {HoloError, isHoloError} from '../errors.js'
import type {StoredFormat, ZstdBackend} from '../types.js'
import {detectFormat} from './detect.js'
import {gunzipBuffer} from './gzip.js'
import {OutputLimitError} from './output-limit.js'
import {resolveZstdBackend, zstdDecompress} from './zstd-backend.js'
import {ZstdDictionaryError, ZstdFormatError} from './zstd-frames.js'
import {zlibZstdDecompressWithDictionary} from './zstd-zlib.js'

/** Which gzip implementation reads gzip data: node:zlib (default) or pako (pure JS, as RCC's Go gzip is). */
export type GzipBackend = 'zlib' | 'pako'

/**
 * Files bigger than this (stored or uncompressed size, whichever is larger) should go through
 * createCompressStream/createDecompressStream. Below it the whole-buffer calls are the fastest
 * path (bench/codec-small.ts, one 1 MiB file: zstd 1.2-1.5 ms whole vs 2.9-4.6 ms streamed; at
 * 4 MiB 5.1-5.6 vs 7.7-10.5 ms; gzip about even from 1 MiB on), and 8 restores in flight hold at
 * most ~8 x (4 + 4) MiB. It equals the zstd stream's frame size, so a file under it is one frame
 * either way.
 */
export const STREAM_THRESHOLD_BYTES = 4 * 1024 * 1024

export interface DecompressOptions {
  zstdBackend?: ZstdBackend | 'auto'
  /** Which gzip implementation reads gzip data: node:zlib (default) or pako (pure JS). */
  gzipBackend?: GzipBackend
  /**
   * The uncompressed size in bytes the caller expects (a catalog entry's `size`): decoding stops
   * at this + 1 bytes, and any other size is ECORRUPT.
   */
  expectedSize?: number
  /** At most this many bytes (a cap, e.g. for catalogs) when the exact size is not known. */
  maxSize?: number
  /** The library file or catalog, named in errors. */
  path?: string
  /** What the data is for (a catalog entry's name, or "catalog"), named in errors beside `path`. */
  entry?: string
  /**
   * Benchmark only (`run`'s dict candidate; neither RCC nor a real hololib has dictionaries): the
   * zstd dictionary the frame was compressed with, decoded by node:zlib where it takes one.
   */
  dictionary?: Uint8Array
}

/**
 * decompressBuffer's cap when the caller gives neither expectedSize nor maxSize: whole buffers
 * are for files up to STREAM_THRESHOLD_BYTES, so anything near this is misuse or a bomb.
 */
export const DEFAULT_WHOLE_MAX_BYTES = 256 * 1024 * 1024

/**
 * Decompresses a whole stored file, whatever its format (by magic: zstd, gzip, else raw, which
 * comes back as is). Multi-frame zstd, skippable frames, frames without a content size, and
 * multi-member gzip are all read. Decoding stops one byte past opts.expectedSize (else maxSize,
 * else DEFAULT_WHOLE_MAX_BYTES), so memory is bounded by the caller's size, not the data's.
 * Errors are HoloError ECORRUPT naming opts.path (and opts.entry): corrupt or truncated data,
 * a zstd frame that needs a dictionary (data.dictionaryId), output past the limit or of the
 * wrong size (data.limit).
 */
export async function decompressBuffer(stored: Buffer, opts: DecompressOptions = {}): Promise<Buffer> {
  const format = detectFormat(stored)
  const limit = opts.expectedSize ?? opts.maxSize ?? DEFAULT_WHOLE_MAX_BYTES
  let out: Buffer
  if (format === 'raw') out = stored
  else {
    const zstdBackend = format === 'zstd' ? resolveZstdBackend(opts.zstdBackend ?? 'auto') : undefined
    try {
      if (format === 'gzip') out = opts.gzipBackend === 'pako' ? (await import('./gzip-pure.js')).pakoGunzip(stored, limit) : await gunzipBuffer(stored, limit, opts.expectedSize)
      else if (opts.dictionary) out = await zlibZstdDecompressWithDictionary(stored, opts.dictionary, limit)
      else out = await zstdDecompress(stored, zstdBackend!, limit)
    } catch (error) {
      throw decodeError(error, format, opts)
    }
  }
  if (out.length > limit) throw decodeError(new OutputLimitError(limit), format, opts)
  if (opts.expectedSize !== undefined && out.length !== opts.expectedSize) {
    throw decodeError(new Error(`decompressed to ${out.length} bytes, expected ${opts.expectedSize}`), format, opts)
  }
  return out
}

export function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/^zstd: /, '')
}

export function decodeError(error: unknown, format: StoredFormat, opts: DecompressOptions): Error {
  if (isHoloError(error)) return error
  const {path} = opts
  const where = (path ?? '(buffer)') + (opts.entry ? ` (for ${opts.entry})` : '')
  const data: Record<string, unknown> = {format}
  if (opts.entry) data.entry = opts.entry
  if (error instanceof ZstdFormatError) data.offset = error.offset
  let message: string
  if (error instanceof ZstdDictionaryError) {
    data.dictionaryId = error.dictionaryId
    message = `${where}: zstd frame at byte ${error.offset} needs dictionary ${error.dictionaryId}, which holobench (like RCC) does not have; recompress it without a dictionary`
  } else if (error instanceof OutputLimitError) {
    data.limit = error.limit
    const expected = opts.expectedSize === undefined ? `the ${error.limit}-byte limit` : `the ${opts.expectedSize} bytes expected`
    message =
      error.declared === undefined
        ? `${where}: ${format} data decompresses to more than ${expected}; stopped after ${error.limit + 1} bytes`
        : `${where}: its zstd frame headers declare ${error.declared} bytes, more than ${expected}; nothing was decoded`
  } else {
    const what = error instanceof ZstdFormatError ? 'malformed or truncated' : 'corrupt or truncated'
    message = `${where}: ${what} ${format} data: ${reason(error)}`
  }
  return new HoloError('ECORRUPT', message, {path, data, cause: error})
}
