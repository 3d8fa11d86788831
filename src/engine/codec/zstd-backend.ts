import {HoloError} from '../errors.js'
import type {ZstdBackend} from '../types.js'
import {napiAvailable, napiCompress, napiDecompress} from './zstd-napi.js'
import {COALESCE_MAX_STORED_BYTES, decodeCoalesced} from './zstd-coalesce.js'
import {OutputLimitError, wholeDecodeCap} from './output-limit.js'
import {type WalkedFrame, ZstdFormatError, walkZstdFrames, withContentSize} from './zstd-frames.js'
import {zlibZstdAvailable, zlibZstdCompress, zlibZstdDecompressFrame, zlibZstdDecompressFrameSync} from './zstd-zlib.js'

export const ZSTD_BACKENDS: readonly ZstdBackend[] = ['napi', 'zlib']

/** zstd backends that work in this process, fastest first (see resolveZstdBackend). */
export function availableZstdBackends(): ZstdBackend[] {
  const out: ZstdBackend[] = []
  if (napiAvailable()) out.push('napi')
  if (zlibZstdAvailable()) out.push('zlib')
  return out
}

/**
 * 'auto' is the fastest backend here, by measurement (bench/codec-small.ts, Node 24.9, 2 cores,
 * 8 decodes in flight as a restore runs them): napi 21-27 µs per 1-16 KiB file against 27-36 µs
 * for zlib's zstdDecompressSync and 52-73 µs for its async form (node:zlib builds a zstd context
 * per call); napi also leads on bigger frames (64 KiB: 71 vs 109 µs; 1 MiB: 850 vs 982 µs) and
 * on streams (1.5 GiB: 573 vs 372 MB/s). So napi wherever its binary loads, zlib otherwise.
 */
export function resolveZstdBackend(choice: 'auto' | ZstdBackend = 'auto'): ZstdBackend {
  const available = availableZstdBackends()
  if (choice === 'auto') {
    if (available.length === 0) throw new HoloError('EUSAGE', 'no zstd backend is available: the @mongodb-js/zstd binding does not load and node:zlib has no zstd (Node.js >= 22.15 has it)')
    return available[0]
  }
  if (!ZSTD_BACKENDS.includes(choice)) throw new HoloError('EUSAGE', `unknown zstd backend ${JSON.stringify(choice)} (expected auto, napi or zlib)`)
  if (!available.includes(choice)) {
    const why = choice === 'zlib' ? `node:zlib in Node.js ${process.version} has no zstd (it arrived in Node.js 22.15 and 23.8)` : 'the @mongodb-js/zstd native binding does not load on this platform'
    throw new HoloError('EUSAGE', `zstd backend '${choice}' is not available: ${why}; available: ${available.join(', ') || 'none'}`)
  }
  return choice
}

/**
 * One zstd frame of `data`. Its header declares the content size with either backend (napi's
 * own frames lack it and get it added: withContentSize), so a restore can decode it in a group.
 */
export async function zstdCompress(data: Buffer, level: number, backend: ZstdBackend): Promise<Buffer> {
  return backend === 'napi' ? withContentSize(await napiCompress(data, level), data.length) : zlibZstdCompress(data, level)
}

/**
 * zlib frames up to this stored size decode synchronously: measured faster than the async form
 * at every size up to 1 MiB (276 KiB stored: 982 vs 1608 µs); the cap bounds the event-loop stall.
 */
const ZLIB_SYNC_MAX_BYTES = 256 * 1024

/**
 * A whole stored zstd buffer: any number of frames (skippable ones skipped), with or without
 * content sizes, decoded to at most `limit` bytes: past it, OutputLimitError.
 *
 * Frames are walked first (headers only): that names a dictionary frame, truncation or trailing
 * bytes precisely, and bounds the output before anything is decoded. Declared content sizes
 * above the limit fail at once. napi decodes a whole buffer in one call and cannot be stopped
 * mid-way (given a content size it still decodes past it before failing, measured: 1.1 GB for
 * a bomb whose header says 8 MiB), so it runs only when the headers bound the output to
 * wholeDecodeCap(limit). Anything else goes frame by frame to a decoder that stops at the
 * limit: node:zlib (maxOutputLength) where it has zstd, else fzstd (pure JavaScript, only for
 * such odd or hostile input).
 */
export async function zstdDecompress(stored: Buffer, backend: ZstdBackend, limit: number): Promise<Buffer> {
  const frames = walkZstdFrames(stored)
  if (frames.length === 0) return Buffer.alloc(0) // only skippable frames
  const bound = outputBound(frames, limit)
  if (backend === 'napi' && bound <= wholeDecodeCap(limit)) {
    const size = frames.length === 1 ? frames[0].header.contentSize : undefined
    const out = size !== undefined && stored.length <= COALESCE_MAX_STORED_BYTES ? await decodeCoalesced(stored, size) : await napiDecompress(stored)
    if (out.length > limit) throw new OutputLimitError(limit)
    return out
  }

  return decodeFramesCapped(stored, frames, limit)
}

/** Frame by frame with a decoder that stops at the limit: node:zlib where it has zstd, else fzstd. */
export async function decodeFramesCapped(stored: Buffer, frames: readonly WalkedFrame[], limit: number): Promise<Buffer> {
  const decodeFrame = zlibZstdAvailable() ? zlibFrame : fzstdFrame
  const parts: Buffer[] = []
  let total = 0
  for (const f of frames) {
    const part = await decodeFrame(stored.subarray(f.start, f.end), limit - total)
    checkContentSize(part.length, f.header.contentSize, f.start)
    total += part.length
    parts.push(part)
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, total)
}

/**
 * The most the frames can decode to, by their blocks (each regenerates at most its
 * Block_Maximum_Size): a declared content size is checked against it, not trusted, since
 * libzstd behind napi decodes past a content size before it fails. A declared size above what
 * the blocks can hold is malformed; declared sizes above `limit` are OutputLimitError before
 * any decoding.
 */
export function outputBound(frames: readonly WalkedFrame[], limit: number): number {
  let declared = 0
  let bound = 0
  for (const f of frames) {
    const size = f.header.contentSize
    if (size !== undefined && size > f.bound) {
      throw new ZstdFormatError(`zstd frame at byte ${f.start} declares ${size} bytes, more than its blocks can hold (${f.bound})`, f.start)
    }
    declared += size ?? 0
    bound += f.bound
  }
  if (declared > limit) throw new OutputLimitError(limit, declared)
  return bound
}

function zlibFrame(frame: Buffer, limit: number): Promise<Buffer> | Buffer {
  return frame.length <= ZLIB_SYNC_MAX_BYTES ? zlibZstdDecompressFrameSync(frame, limit) : zlibZstdDecompressFrame(frame, limit)
}

/** fzstd (pure JavaScript) is loaded only when a frame needs it: most processes never do. */
async function fzstdFrame(frame: Buffer, limit: number): Promise<Buffer> {
  return (await import('./zstd-fzstd.js')).fzstdDecompressFrame(frame, limit)
}

/** A frame that declares its content size must decode to exactly that. */
export function checkContentSize(actual: number, declared: number | undefined, frameOffset: number): void {
  if (declared !== undefined && actual !== declared) {
    throw new Error(`zstd frame at byte ${frameOffset} decoded to ${actual} bytes, its header says ${declared}`)
  }
}
