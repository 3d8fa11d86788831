/**
 * The codec layer: compress and decompress library files and catalogs as RCC stores them.
 * Stored formats are recognised by their magic bytes only (detect.ts). Whole-buffer calls are for
 * files up to STREAM_THRESHOLD_BYTES; bigger ones go through the streams, in bounded memory.
 */
import type {Transform} from 'node:stream'

import {HoloError, isHoloError} from '../errors.js'
import type {CodecName} from '../types.js'
import {DecompressStream} from './decompress-stream.js'
import {type CompressOptions, levelFor} from './compress.js'
import {createGzipCompressStream} from './gzip.js'
import {PakoGzipCompressStream} from './gzip-pure.js'
import {createRawStream} from './raw.js'
import {resolveZstdBackend} from './zstd-backend.js'
import {type HugeFrameDecoder, ZstdCompressStream} from './zstd-stream.js'
import {type DecompressOptions, type GzipBackend, decodeError, reason} from './whole.js'

export {DEFAULT_LEVEL, compressBuffer} from './compress.js'
export type {CompressOptions} from './compress.js'
export {DETECT_BYTES, GZIP_MAGIC, ZSTD_MAGIC, detectFormat} from './detect.js'
export {DEFAULT_WHOLE_MAX_BYTES, STREAM_THRESHOLD_BYTES, decompressBuffer} from './whole.js'
export type {DecompressOptions} from './whole.js'
export {availableZstdBackends, resolveZstdBackend} from './zstd-backend.js'
export {zlibZstdDictionaryAvailable} from './zstd-zlib.js'
export {OutputLimitError} from './output-limit.js'
export type {GzipBackend} from './whole.js'
export type {HugeFrameDecoder} from './zstd-stream.js'

export interface DecompressStreamOptions extends DecompressOptions {
  /** Streaming decoder for zstd frames too big to decode whole (default: zlib where present, else fzstd). */
  hugeZstdFrames?: HugeFrameDecoder
}

/** The gzip implementation that matches a codec: 'gzip-pure' reads with pako too. */
export function gzipBackendFor(codec: CodecName): GzipBackend {
  return codec === 'gzip-pure' ? 'pako' : 'zlib'
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

function compressError(error: unknown, codec: CodecName, path: string | undefined): Error {
  if (isHoloError(error)) return error
  return new HoloError('EUSAGE', `${path ?? '(stream)'}: ${codec} compression failed: ${reason(error)}`, {path, cause: error})
}
