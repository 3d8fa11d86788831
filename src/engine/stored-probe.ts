import {createReadStream, promises as fsp} from 'node:fs'

import {DETECT_BYTES, detectFormat} from './codec/detect.js'
import {ZstdFrameWalker} from './codec/zstd-frames.js'
import type {ZstdFrameHeader} from './codec/zstd-frames.js'
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
 * and hash) sees that. Costs one stat, and for compressed files a read of the stored bytes (zstd)
 * or of the last 4 (gzip).
 */
export async function probeStoredFile(path: string, size: number, algorithm: DigestAlgorithm): Promise<StoredProbe> {
  let handle: fsp.FileHandle
  try {
    handle = await fsp.open(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {state: 'absent'}
    throw error
  }

  try {
    const stored = (await handle.stat()).size
    const damaged = (reason: string): StoredProbe => ({state: 'damaged', reason})
    if (algorithm === 'siphash128') return stored === size ? {state: 'sound'} : damaged(`holds ${stored} bytes, the content has ${size}`)
    if (stored === 0) return size === 0 ? {state: 'sound'} : damaged('is empty')
    const head = Buffer.alloc(DETECT_BYTES)
    const {bytesRead} = await handle.read(head, 0, DETECT_BYTES, 0)
    const format = detectFormat(head.subarray(0, bytesRead))
    if (format === 'raw') return stored === size ? {state: 'sound'} : damaged(`holds ${stored} raw bytes, the content has ${size}`)
    if (format === 'gzip') {
      if (stored < 18) return damaged(`is ${stored} bytes: too short for gzip`)
      const trailer = Buffer.alloc(4)
      await handle.read(trailer, 0, 4, stored - 4)
      const isize = trailer.readUInt32LE(0)
      return isize === size % 2 ** 32 ? {state: 'sound'} : damaged(`says in its gzip trailer it holds ${isize} bytes, the content has ${size}`)
    }

    return await walkFrames(path, size)
  } finally {
    await handle.close()
  }
}

async function walkFrames(path: string, size: number): Promise<StoredProbe> {
  const walker = new ZstdFrameWalker()
  const headers: ZstdFrameHeader[] = []
  let bound = 0
  try {
    for await (const chunk of createReadStream(path, {highWaterMark: 1 << 20})) {
      for (const event of walker.push(chunk as Buffer)) {
        if (event.type === 'start') headers.push(event.header)
        else if (event.type === 'end') bound += event.bound
      }
    }

    walker.end()
  } catch (error) {
    return {state: 'damaged', reason: `is not whole zstd: ${(error as Error).message}`}
  }

  if (headers.length > 0 && headers.every((h) => h.contentSize !== undefined)) {
    const declared = headers.reduce((sum, h) => sum + (h.contentSize as number), 0)
    if (declared !== size) return {state: 'damaged', reason: `declares ${declared} bytes in its zstd frame headers, the content has ${size}`}
  } else if (bound < size) {
    return {state: 'damaged', reason: `can hold at most ${bound} bytes by its zstd frames, the content has ${size}`}
  }

  return {state: 'sound'}
}
