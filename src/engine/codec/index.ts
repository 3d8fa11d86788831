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
import {ZstdFormatError} from './zstd-frames.js'
import {type HugeFrameDecoder, ZSTD_FRAME_BYTES, ZstdCompressStream} from './zstd-stream.js'

export {DETECT_BYTES, GZIP_MAGIC, ZSTD_MAGIC, detectFormat} from './detect.js'
export {availableZstdBackends, resolveZstdBackend} from './zstd-backend.js'
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
  /** The uncompressed size the caller expects (a catalog's `size`); a mismatch is ECORRUPT. */
  expectedSize?: number
  /** Named in errors. */
  path?: string
}

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
 * comes back as is). Multi-frame zstd, frames without a content size, and multi-member gzip
 * are all read. Corrupt or truncated input is HoloError ECORRUPT naming opts.path.
 */
export async function decompressBuffer(stored: Buffer, opts: DecompressOptions = {}): Promise<Buffer> {
  const format = detectFormat(stored)
  let out: Buffer
  if (format === 'raw') out = stored
  else {
    const zstdBackend = format === 'zstd' ? resolveZstdBackend(opts.zstdBackend ?? 'auto') : undefined
    try {
      if (format === 'gzip') out = opts.gzipBackend === 'pako' ? pakoGunzip(stored) : await gunzipBuffer(stored)
      else out = await zstdDecompress(stored, zstdBackend!)
    } catch (error) {
      throw corruptError(error, format, opts.path)
    }
  }
  if (opts.expectedSize !== undefined && out.length !== opts.expectedSize) {
    throw corruptError(new Error(`decompressed to ${out.length} bytes, expected ${opts.expectedSize}`), format, opts.path)
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
 * bounded (32 MiB), bigger ones are streamed; output is paced by the reader.
 */
export function createDecompressStream(opts: DecompressStreamOptions = {}): Transform {
  return new DecompressStream({
    zstdBackend: resolveZstdBackend(opts.zstdBackend ?? 'auto'),
    gzipBackend: opts.gzipBackend ?? 'zlib',
    hugeZstdFrames: opts.hugeZstdFrames,
    expectedSize: opts.expectedSize,
    fail: (error, format) => corruptError(error, format ?? 'raw', opts.path),
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

function corruptError(error: unknown, format: StoredFormat, path: string | undefined): Error {
  if (isHoloError(error)) return error
  const where = path ?? '(buffer)'
  const what = error instanceof ZstdFormatError ? 'malformed or truncated' : 'corrupt or truncated'
  const data: Record<string, unknown> = {format}
  if (error instanceof ZstdFormatError) data.offset = error.offset
  return new HoloError('ECORRUPT', `${where}: ${what} ${format} data: ${reason(error)}`, {path, data, cause: error})
}

function compressError(error: unknown, codec: CodecName, path: string | undefined): Error {
  if (isHoloError(error)) return error
  return new HoloError('EUSAGE', `${path ?? '(stream)'}: ${codec} compression failed: ${reason(error)}`, {path, cause: error})
}
