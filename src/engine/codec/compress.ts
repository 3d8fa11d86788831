/**
 * Whole-buffer compression, apart from the streams and decoders in index.ts: a lift worker loads
 * this alone (index.ts with its streams, pako and fzstd cost a worker 20-25 ms of start-up).
 */
import {HoloError} from '../errors.js'
import type {CodecName, ZstdBackend} from '../types.js'
import {CODEC_NAMES} from '../types.js'
import {gzipCompress} from './gzip.js'
import {resolveZstdBackend, zstdCompress} from './zstd-backend.js'

/** RCC writes gzip at BestSpeed and its zstd fork at SpeedFastest: level 1 for both. */
export const DEFAULT_LEVEL: Readonly<Record<CodecName, number>> = {gzip: 1, 'gzip-pure': 1, zstd: 1, none: 0}

export interface CompressOptions {
  level?: number
  zstdBackend?: ZstdBackend | 'auto'
}

export async function compressBuffer(codec: CodecName, data: Buffer, opts: CompressOptions = {}): Promise<Buffer> {
  const level = levelFor(codec, opts.level)
  switch (codec) {
    case 'gzip':
      return gzipCompress(data, level)
    case 'gzip-pure':
      // Loaded when used: pako is for the pure-JavaScript codec only.
      return (await import('./gzip-pure.js')).pakoGzip(data, level)
    case 'zstd':
      return zstdCompress(data, level, resolveZstdBackend(opts.zstdBackend ?? 'auto'))
    case 'none':
      return data
  }
}

/** The level to compress at: `level`, checked for the codec, or the codec's default. */
export function levelFor(codec: CodecName, level: number | undefined): number {
  if (!CODEC_NAMES.includes(codec)) throw new HoloError('EUSAGE', `unknown codec ${JSON.stringify(codec)} (expected ${CODEC_NAMES.join(', ')})`)
  if (level === undefined) return DEFAULT_LEVEL[codec]
  const [min, max] = codec === 'zstd' ? [-131072, 22] : codec === 'none' ? [0, 0] : [0, 9]
  if (!Number.isInteger(level) || level < min || level > max) {
    throw new HoloError('EUSAGE', `${codec} level must be an integer from ${min} to ${max}, got ${level}`)
  }
  return level
}
