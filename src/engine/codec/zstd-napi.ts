import {createRequire} from 'node:module'

/**
 * zstd through the N-API binding of @mongodb-js/zstd 1.2.2 (whole buffers, async on libuv's pool).
 * We call its native binding directly: the package's index.js wrapper drops the level argument.
 * Its compressor writes frames without a content size; its decompressor reads those, several
 * concatenated frames, and skippable frames, and rejects truncated input and trailing garbage.
 */
interface NapiBinding {
  compress(data: Buffer, level?: number | null): Promise<Buffer>
  decompress(data: Buffer): Promise<Buffer>
}

let binding: NapiBinding | null | undefined

/** The native binding, or null where it does not load (no prebuilt binary for this platform). */
export function napiBinding(): NapiBinding | null {
  if (binding === undefined) {
    try {
      binding = createRequire(import.meta.url)('@mongodb-js/zstd/bindings') as NapiBinding
    } catch {
      binding = null
    }
  }
  return binding
}

export function napiAvailable(): boolean {
  return napiBinding() !== null
}

function required(): NapiBinding {
  const b = napiBinding()
  if (b === null) throw new Error('the @mongodb-js/zstd native binding does not load on this platform')
  return b
}

export function napiCompress(data: Buffer, level: number): Promise<Buffer> {
  return required().compress(data, level)
}

export function napiDecompress(data: Buffer): Promise<Buffer> {
  return required().decompress(data)
}
