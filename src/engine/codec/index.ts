/**
 * The codec layer: compress and decompress library files and catalogs as RCC stores them.
 * Stored formats are recognised by their magic bytes only (detect.ts). Whole-buffer calls are for
 * files up to STREAM_THRESHOLD_BYTES; bigger ones go through the streams, in bounded memory.
 */
import type {Transform} from 'node:stream'

import {HoloError, isHoloError} from '../errors.js'
import type {CodecName, StoredFormat, ZstdBackend} from '../types.js'
import {CODEC_NAMES} from '../types.js'
import {DecompressStream, type GzipBackend} from './decompress-stream.js'
import {detectFormat} from './detect.js'
import {createGzipCompressStream, gunzipBuffer, gzipCompress} from './gzip.js'
import {PakoGzipCompressStream, pakoGunzip, pakoGzip} from './gzip-pure.js'
import {createRawStream} from './raw.js'
import {resolveZstdBackend, zstdCompress, zstdDecompress} from './zstd-backend.js'
import {OutputLimitError} from './output-limit.js'
import {ZstdDictionaryError, ZstdFormatError} from './zstd-frames.js'
import {type HugeFrameDecoder, ZSTD_FRAME_BYTES, ZstdCompressStream} from './zstd-stream.js'
import {zlibZstdDecompressWithDictionary} from './zstd-zlib.js'

export {DETECT_BYTES, GZIP_MAGIC, ZSTD_MAGIC, detectFormat} from './detect.js'
export {availableZstdBackends, resolveZstdBackend} from './zstd-backend.js'
export {zlibZstdDictionaryAvailable} from './zstd-zlib.js'
export {OutputLimitError} from './output-limit.js'
export type {GzipBackend} from './decompress-stream.js'
export type {HugeFrameDecoder} from './zstd-stream.js'

/**
 * Files bigger than this (stored or uncompressed size, whichever is larger) should go through
 * createCompressStream/createDecompressStream. Below it the whole-buffer calls are the fastest
 * path (bench/codec-small.ts, one 1 MiB file: zstd 1.2-1.5 ms whole vs 2.9-4.6 ms streamed; at
 * 4 MiB 5.1-5.6 vs 7.7-10.5 ms; gzip about even from 1 MiB on), and 8 restores in flight hold at
 * most ~8 x (4 + 4) MiB. It equals the zstd stream's frame size, so a file under it is one frame
 * either way.
 */
export const STREAM_THRESHOLD_BYTES = ZSTD_FRAME_BYTES

/** RCC writes gzip at BestSpeed and its zstd fork at SpeedFastest: level 1 for both. */
export const DEFAULT_LEVEL: Readonly<Record<CodecName, number>> = {gzip: 1, 'gzip-pure': 1, zstd: 1, none: 0}

export interface CompressOptions {
  level?: number
  zstdBackend?: ZstdBackend | 'auto'
}

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

export interface DecompressStreamOptions extends DecompressOptions {
  /** Streaming decoder for zstd frames too big to decode whole (default: zlib where present, else fzstd). */
  hugeZstdFrames?: HugeFrameDecoder
}

/** The gzip implementation that matches a codec: 'gzip-pure' reads with pako too. */
export function gzipBackendFor(codec: CodecName): GzipBackend {
  return codec === 'gzip-pure' ? 'pako' : 'zlib'
}

export async function compressBuffer(codec: CodecName, data: Buffer, opts: CompressOptions = {}): Promise<Buffer> {
  const level = levelFor(codec, opts.level)
  switch (codec) {
    case 'gzip':
      return gzipCompress(data, level)
    case 'gzip-pure':
      return pakoGzip(data, level)
    case 'zstd':
      return zstdCompress(data, level, resolveZstdBackend(opts.zstdBackend ?? 'auto'))
    case 'none':
      return data
  }
}

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
      if (format === 'gzip') out = opts.gzipBackend === 'pako' ? pakoGunzip(stored, limit) : await gunzipBuffer(stored, limit)
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

/** A Transform that compresses with `codec`, in bounded memory (zstd: independent 4 MiB frames). */
export function createCompressStream(codec: CodecName, opts: CompressOptions & {path?: string} = {}): Transform {
  const level = levelFor(codec, opts.level)
  const fail = (error: unknown) => compressError(error, codec, opts.path)
  switch (codec) {
    case 'gzip':
      return createGzipCompressStream(level)
    case 'gzip-pure':
      return new PakoGzipCompressStream(level, fail)
    case 'zstd':
      return new ZstdCompressStream(level, resolveZstdBackend(opts.zstdBackend ?? 'auto'), fail)
    case 'none':
      return createRawStream()
  }
}

/**
 * A Transform that decompresses whatever it is fed, detecting the format from the first bytes.
 * Memory stays bounded for any size: zstd frames are decoded whole only when their output is
 * bounded (NATIVE_FRAME_MAX_BYTES), bigger ones are streamed; output is paced by the reader.
 * With opts.expectedSize (or maxSize) no byte past that size is passed on: the stream fails
 * there (a zstd frame declaring more fails before decoding). Errors as decompressBuffer's.
 */
export function createDecompressStream(opts: DecompressStreamOptions = {}): Transform {
  return new DecompressStream({
    zstdBackend: resolveZstdBackend(opts.zstdBackend ?? 'auto'),
    gzipBackend: opts.gzipBackend ?? 'zlib',
    hugeZstdFrames: opts.hugeZstdFrames,
    expectedSize: opts.expectedSize,
    limit: opts.expectedSize ?? opts.maxSize,
    fail: (error, format) => decodeError(error, format ?? 'raw', opts),
  })
}

function levelFor(codec: CodecName, level: number | undefined): number {
  if (!CODEC_NAMES.includes(codec)) throw new HoloError('EUSAGE', `unknown codec ${JSON.stringify(codec)} (expected ${CODEC_NAMES.join(', ')})`)
  if (level === undefined) return DEFAULT_LEVEL[codec]
  const [min, max] = codec === 'zstd' ? [-131072, 22] : codec === 'none' ? [0, 0] : [0, 9]
  if (!Number.isInteger(level) || level < min || level > max) {
    throw new HoloError('EUSAGE', `${codec} level must be an integer from ${min} to ${max}, got ${level}`)
  }
  return level
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/^zstd: /, '')
}

function decodeError(error: unknown, format: StoredFormat, opts: DecompressOptions): Error {
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

function compressError(error: unknown, codec: CodecName, path: string | undefined): Error {
  if (isHoloError(error)) return error
  return new HoloError('EUSAGE', `${path ?? '(stream)'}: ${codec} compression failed: ${reason(error)}`, {path, cause: error})
}
