import zlib from 'node:zlib'
import type {Transform} from 'node:stream'

/**
 * zstd through node:zlib, present from Node 22.15 / 23.8 on (feature-detected, never by version).
 * Caveat measured on Node 24.9: its decoder stops after the first frame and does not report a
 * truncated frame, so callers walk frames first (zstd-frames.ts) and feed it one whole frame.
 */
interface ZlibZstd {
  zstdCompress(data: Buffer, options: object, callback: (error: Error | null, result: Buffer) => void): void
  zstdDecompress(data: Buffer, callback: (error: Error | null, result: Buffer) => void): void
  zstdDecompressSync(data: Buffer): Buffer
  createZstdDecompress(options?: object): Transform
  constants: Record<string, number>
}

const z = zlib as unknown as Partial<ZlibZstd>

export function zlibZstdAvailable(): boolean {
  return typeof z.zstdCompress === 'function' && typeof z.zstdDecompressSync === 'function' && typeof z.createZstdDecompress === 'function'
}

function required(): ZlibZstd {
  if (!zlibZstdAvailable()) throw new Error('node:zlib has no zstd in this Node.js')
  return z as ZlibZstd
}

/** Pledging the size makes the frame header carry it (as RCC's Go encoder does); the async call omits it otherwise. */
function compressOptions(level: number, size: number): object {
  const c = required().constants
  return {params: {[c.ZSTD_c_compressionLevel]: level}, pledgedSrcSize: size}
}

export function zlibZstdCompress(data: Buffer, level: number): Promise<Buffer> {
  const zz = required()
  return new Promise((resolve, reject) => zz.zstdCompress(data, compressOptions(level, data.length), (e, r) => (e ? reject(e) : resolve(r))))
}

/** Decodes exactly one whole frame (see the caveat above). */
export function zlibZstdDecompressFrame(frame: Buffer): Promise<Buffer> {
  const zz = required()
  return new Promise((resolve, reject) => zz.zstdDecompress(frame, (e, r) => (e ? reject(e) : resolve(r))))
}

export function zlibZstdDecompressFrameSync(frame: Buffer): Buffer {
  return required().zstdDecompressSync(frame)
}

/** A native streaming decoder for one frame of any size, in bounded memory. */
export function zlibZstdFrameDecoder(): Transform {
  return required().createZstdDecompress()
}
