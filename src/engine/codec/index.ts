/**
 * The codec layer: compress and decompress library files and catalogs as RCC stores them.
 * Stored formats are recognised by their magic bytes only (detect.ts). Whole-buffer calls are for
 * files up to STREAM_THRESHOLD_BYTES; bigger ones go through the streams, in bounded memory.
 */
import type {Transform} from 'node:stream'

import {HoloError, isHoloError} from '../errors.js'
import type {CodecName, StoredFormat, ZstdBackend} from '../types.js'
import {CODEC_NAMES} from '../types.js'
import {DecompressStream} from './decompress-stream.js'
import {createGzipCompressStream, gzipCompress} from './gzip.js'
import {PakoGzipCompressStream, pakoGzip} from './gzip-pure.js'
import {createRawStream} from './raw.js'
import {resolveZstdBackend, zstdCompress} from './zstd-backend.js'
import {type HugeFrameDecoder, ZstdCompressStream} from './zstd-stream.js'
import {type DecompressOptions, type GzipBackend, decodeError, reason} from './whole.js'

export {DETECT_BYTES, GZIP_MAGIC, ZSTD_MAGIC, detectFormat} from './detect.js'
export {DEFAULT_WHOLE_MAX_BYTES, STREAM_THRESHOLD_BYTES, decompressBuffer} from './whole.js'
export type {DecompressOptions} from './whole.js'
export {availableZstdBackends, resolveZstdBackend} from './zstd-backend.js'
export {zlibZstdDictionaryAvailable} from './zstd-zlib.js'
export {OutputLimitError} from './output-limit.js'
export type {GzipBackend} from './whole.js'
export type {HugeFrameDecoder} from './zstd-stream.js'

/** RCC writes gzip at BestSpeed and its zstd fork at SpeedFastest: level 1 for both. */
export const DEFAULT_LEVEL: Readonly<Record<CodecName, number>> = {gzip: 1, 'gzip-pure': 1, zstd: 1, none: 0}

export interface CompressOptions {
  level?: number
  zstdBackend?: ZstdBackend | 'auto'
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

function compressError(error: unknown, codec: CodecName, path: string | undefined): Error {
  if (isHoloError(error)) return error
  return new HoloError('EUSAGE', `${path ?? '(stream)'}: ${codec} compression failed: ${reason(error)}`, {path, cause: error})
}
