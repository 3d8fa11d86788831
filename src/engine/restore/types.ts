import type {AppliedStrategy} from '../strategy.js'
import type {GzipBackend} from '../codec/index.js'
import type {StoredFormat, ZstdBackend} from '../types.js'

/** One regular file to restore: plain data, so it can cross to a worker thread. */
export interface RestoreTask {
  /** Where the file goes. */
  path: string
  /** Its path in the catalog, for messages. */
  rel: string
  /** Its library file. */
  source: string
  size: number
  /** POSIX permission bits, setuid/setgid/sticky included. */
  perm: number
  digest: string
  rewrite: number[]
  /** The previous restore recorded the same digest here: keep the file if name, size and mode match. */
  unchanged: boolean
}

/** What every task of one restore shares. */
export interface RestoreSettings {
  verify: boolean
  /** What uncompressed files without relocations get (decided once by the strategy probe). */
  eligible: AppliedStrategy
  /** The target was empty: files are written in place, nothing is compared or replaced. */
  fresh: boolean
  /** The bytes written at each relocation offset. */
  relocationTo: Uint8Array
  /** Ending of this restore's temp names, which no catalog name has (part-name.ts); default `.holobench-part`. */
  partSuffix?: string
  /** fsync each written file before its rename or, in a fresh target, before the restore is recorded. */
  fsync?: boolean
  /** The process umask, to know when an explicit chmod is needed. */
  umask: number
  zstdBackend?: ZstdBackend | 'auto'
  gzipBackend?: GzipBackend
  /** Benchmark only (the dict candidate): the zstd dictionary file small library files were compressed with. */
  zstdDictionary?: string
  /** Every source file is uncompressed (a dual cache, drop's `cache`): never sniffed, whatever its first bytes. */
  rawSource?: boolean
}

export interface RestoreStats {
  written: number
  skipped: number
  rewritten: number
  bytes: number
  counts: Record<AppliedStrategy, number>
  formats: Record<StoredFormat, number>
}

export function emptyStats(): RestoreStats {
  return {written: 0, skipped: 0, rewritten: 0, bytes: 0, counts: {copy: 0, reflink: 0, hardlink: 0}, formats: {gzip: 0, zstd: 0, raw: 0}}
}

export function addStats(into: RestoreStats, from: RestoreStats): void {
  into.written += from.written
  into.skipped += from.skipped
  into.rewritten += from.rewritten
  into.bytes += from.bytes
  for (const key of Object.keys(from.counts) as AppliedStrategy[]) into.counts[key] += from.counts[key]
  for (const key of Object.keys(from.formats) as StoredFormat[]) into.formats[key] += from.formats[key]
}

/** RCC sets every restored file's times to this instant (htfs/functions.go motherTime). */
export const RESTORED_MTIME = 1_610_000_000
