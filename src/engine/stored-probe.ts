import {createReadStream, promises as fsp, readFileSync, statSync} from 'node:fs'

import {DETECT_BYTES, detectFormat} from './codec/detect.js'
import {ZstdFrameWalker} from './codec/zstd-frames.js'
import type {FrameEvent, ZstdFrameHeader} from './codec/zstd-frames.js'
import type {DigestAlgorithm} from './types.js'

/** What a library file that is already present looks like, judged without decompressing it. */
export type StoredProbe = {state: 'absent'} | {state: 'sound'} | {state: 'damaged'; reason: string}

/**
 * A cheap look at a library file lift is about to reuse (RCC reuses any file that exists), so an
 * emptied or truncated file is not taken for the content `size` bytes long:
 * - compress.no (SipHash-128 names, raw): its length must be `size`;
 * - gzip: at least a header and trailer, and the trailer's ISIZE must be `size` mod 2^32;
 * - zstd: the frames must walk to the end exactly (block headers only, nothing decoded), and the
 *   frames' declared content sizes must add up to `size` (or their bound reach it);
 * - anything else in a compressed library is raw: its length must be `size`.
 * The same bytes with different content of the same length pass: only a full verify (decompress
 * and hash) sees that. Costs one stat, and for compressed files a read of the stored bytes (up to
 * 1 MiB, in synchronous calls), or of the header and trailer (bigger gzip), or a stream (bigger zstd).
 */
export async function probeStoredFile(path: string, size: number, algorithm: DigestAlgorithm): Promise<StoredProbe> {
  // No ENOENT thrown for the usual answer: an error object and its stack cost more than the stat.
  const stats = statSync(path, {throwIfNoEntry: false})
  if (stats === undefined) return {state: 'absent'}
  const stored = stats.size

  if (algorithm === 'siphash128') return stored === size ? {state: 'sound'} : damaged(`holds ${stored} bytes, the content has ${size}`)
  if (stored === 0) return size === 0 ? {state: 'sound'} : damaged('is empty')
  // Small files (nearly all of an environment) in two synchronous calls: a hop to libuv's pool
  // per call would cost more than the look itself.
  if (stored <= SMALL_STORED_BYTES) return probeStoredBytes(readFileSync(path), size)
  const handle = await fsp.open(path, 'r')
  try {
    const head = Buffer.alloc(DETECT_BYTES)
    const {bytesRead} = await handle.read(head, 0, DETECT_BYTES, 0)
    const format = detectFormat(head.subarray(0, bytesRead))
    if (format === 'raw') return stored === size ? {state: 'sound'} : damaged(`holds ${stored} raw bytes, the content has ${size}`)
    if (format === 'gzip') {
      const trailer = Buffer.alloc(4)
      await handle.read(trailer, 0, 4, stored - 4)
      return gzipVerdict(trailer.readUInt32LE(0), size)
    }
  } finally {
    await handle.close()
  }

  return walkFrames(path, size)
}

const SMALL_STORED_BYTES = 1 << 20

function damaged(reason: string): StoredProbe {
  return {state: 'damaged', reason}
}

function gzipVerdict(isize: number, size: number): StoredProbe {
  return isize === size % 2 ** 32 ? {state: 'sound'} : damaged(`says in its gzip trailer it holds ${isize} bytes, the content has ${size}`)
}

/** The same look at a whole stored file in memory (compressed library: gzip, zstd or raw by magic). */
export function probeStoredBytes(stored: Buffer, size: number): StoredProbe {
  if (stored.length === 0) return size === 0 ? {state: 'sound'} : damaged('is empty')
  const format = detectFormat(stored.subarray(0, DETECT_BYTES))
  if (format === 'raw') return stored.length === size ? {state: 'sound'} : damaged(`holds ${stored.length} raw bytes, the content has ${size}`)
  if (format === 'gzip') return stored.length < 18 ? damaged(`is ${stored.length} bytes: too short for gzip`) : gzipVerdict(stored.readUInt32LE(stored.length - 4), size)
  const walker = new ZstdFrameWalker()
  return frameVerdict(walker, () => walker.push(stored), size)
}

async function walkFrames(path: string, size: number): Promise<StoredProbe> {
  const walker = new ZstdFrameWalker()
  const events: FrameEvent[] = []
  try {
    for await (const chunk of createReadStream(path, {highWaterMark: 1 << 20})) events.push(...walker.push(chunk as Buffer).filter((e) => e.type !== 'data'))
  } catch (error) {
    return damaged(`is not whole zstd: ${(error as Error).message}`)
  }

  return frameVerdict(walker, () => events, size)
}

/** Frames walked to the end exactly, with declared sizes (or bounds) that fit `size`. */
function frameVerdict(walker: ZstdFrameWalker, feed: () => FrameEvent[], size: number): StoredProbe {
  const headers: ZstdFrameHeader[] = []
  let bound = 0
  try {
    for (const event of feed()) {
      if (event.type === 'start') headers.push(event.header)
      else if (event.type === 'end') bound += event.bound
    }

    walker.end()
  } catch (error) {
    return damaged(`is not whole zstd: ${(error as Error).message}`)
  }

  if (headers.length > 0 && headers.every((h) => h.contentSize !== undefined)) {
    const declared = headers.reduce((sum, h) => sum + (h.contentSize as number), 0)
    if (declared !== size) return damaged(`declares ${declared} bytes in its zstd frame headers, the content has ${size}`)
  } else if (bound < size) {
    return damaged(`can hold at most ${bound} bytes by its zstd frames, the content has ${size}`)
  }

  return {state: 'sound'}
}
