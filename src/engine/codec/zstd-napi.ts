import {readFileSync} from 'node:fs'
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
    const require = createRequire(import.meta.url)
    try {
      binding = (glibcLinux() ? loadPrebuilt(require) : undefined) ?? (require('@mongodb-js/zstd/bindings') as NapiBinding)
    } catch {
      binding = null
    }
  }
  return binding
}

/**
 * The package's own loader (bindings.js) asks `process.report.getReport()` whether libc is
 * glibc or musl before it loads the prebuilt package: a whole diagnostic report, 4-5 ms of CPU
 * and 6-19 ms of wall time, in every thread that decodes (measured, Node 20). On glibc Linux the
 * same prebuilt package (@mongodb-js/zstd-linux-<arch>-gnu) is loaded here directly; anywhere
 * else, or if it fails to load, the package's loader decides.
 */
function loadPrebuilt(require: NodeJS.Require): NapiBinding | undefined {
  try {
    return require(`@mongodb-js/zstd-linux-${process.arch}-gnu`) as NapiBinding
  } catch {
    return undefined
  }
}

/** Linux with glibc, as its ldd says (musl's ldd says musl; glibc's names the GNU C Library). */
function glibcLinux(): boolean {
  if (process.platform !== 'linux') return false
  try {
    const ldd = readFileSync('/usr/bin/ldd', 'latin1')
    return ldd.includes('GNU C Library') && !ldd.includes('musl')
  } catch {
    return false
  }
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
