import {HoloError} from '../errors.js'
import type {ZstdBackend} from '../types.js'
import {napiAvailable, napiCompress, napiDecompress} from './zstd-napi.js'
import {walkZstdFrames} from './zstd-frames.js'
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

export function zstdCompress(data: Buffer, level: number, backend: ZstdBackend): Promise<Buffer> {
  return backend === 'napi' ? napiCompress(data, level) : zlibZstdCompress(data, level)
}

/**
 * zlib frames up to this stored size decode synchronously: measured faster than the async form
 * at every size up to 1 MiB (276 KiB stored: 982 vs 1608 µs); the cap bounds the event-loop stall.
 */
const ZLIB_SYNC_MAX_BYTES = 256 * 1024

/**
 * A whole stored zstd buffer: any number of frames, with or without content sizes. napi reads
 * that itself; zlib reads only one frame and misses truncation, so frames are walked first.
 */
export async function zstdDecompress(stored: Buffer, backend: ZstdBackend): Promise<Buffer> {
  if (backend === 'napi') {
    try {
      return await napiDecompress(stored)
    } catch (error) {
      walkZstdFrames(stored) // on failure only: a structural fault gets a precise message and offset
      throw error
    }
  }
  const frames = walkZstdFrames(stored)
  const parts: Buffer[] = []
  for (const f of frames) {
    const frame = stored.subarray(f.start, f.end)
    const part = frame.length <= ZLIB_SYNC_MAX_BYTES ? zlibZstdDecompressFrameSync(frame) : await zlibZstdDecompressFrame(frame)
    checkContentSize(part.length, f.header.contentSize, f.start)
    parts.push(part)
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts)
}

/** A frame that declares its content size must decode to exactly that. */
export function checkContentSize(actual: number, declared: number | undefined, frameOffset: number): void {
  if (declared !== undefined && actual !== declared) {
    throw new Error(`zstd frame at byte ${frameOffset} decoded to ${actual} bytes, its header says ${declared}`)
  }
}
