/**
 * One library file to verify or convert, and what came of it: plain data, so it can cross to a
 * worker thread and back. The rules for reading a library file live here, once.
 */
import {STREAM_THRESHOLD_BYTES, detectFormat} from '../codec/index.js'
import {walkZstdFrames} from '../codec/zstd-frames.js'
import {HoloError} from '../errors.js'
import type {WireError} from '../restore/wire.js'
import type {DigestAlgorithm, StoredFormat, ZstdBackend} from '../types.js'

/** What a library can be migrated to; `none` also switches the digest to SipHash-128. */
export type TargetCodec = 'gzip' | 'zstd' | 'none'
export const TARGET_CODECS: readonly TargetCodec[] = ['zstd', 'gzip', 'none']

/** How written files are made durable before they replace anything (see commit.ts). */
export type CommitMode = 'defer' | 'fsync' | 'none'

/** What every task of one run shares. */
export interface FileSettings {
  root: string
  /** verify: decompress and hash only (check). convert: rewrite to the target (migrate). */
  mode: 'verify' | 'convert'
  codec: TargetCodec
  /** The target's digest algorithm: a file named with the other one is re-keyed. */
  algorithm: DigestAlgorithm
  level?: number
  zstdBackend?: ZstdBackend | 'auto'
  /** defer: leave the temp file for the main thread to commit; fsync: fsync, then rename; none: rename at once. */
  commit: CommitMode
  /** Write nothing: report what would change; tasks marked `sample` are converted in memory for the estimate. */
  dryRun: boolean
}

export interface FileTask {
  path: string
  digest: string
  sample?: boolean
}

export type FileStatus =
  | 'verified' // verify mode: content hashes to its name
  | 'skipped' // already in the target format
  | 'converted' // rewritten (or re-keyed) to the target
  | 'planned' // dry run: would be converted
  | 'corrupt' // cannot be decompressed, or does not hash to its name: never rewritten
  | 'missing' // vanished since the listing
  | 'large' // too big to hold: the main thread streams it
  | 'failed' // an error that stops the run (ENOSPC, EIO, ...)

/** A written temp file that replaces (or becomes) `final`: by the worker, or by the main thread once durable. */
export interface Pending {
  temp: string
  final: string
  /** A new name (re-key), not a replacement. */
  fresh: boolean
  /** Already renamed by the worker (commit modes fsync and none). */
  renamed: boolean
}

export interface FileOutcome {
  path: string
  digest: string
  status: FileStatus
  /** How the file was stored (by the reading rule below). */
  format?: StoredFormat
  storedBytes: number
  rawBytes?: number
  /** Stored bytes of the converted file (dry run: of the in-memory conversion). */
  outBytes?: number
  /** Re-key: the content's digest in the target algorithm (its new name). */
  newDigest?: string
  /** Re-key: a file with the new name was already there and verified, so nothing was written. */
  existed?: boolean
  pending?: Pending
  error?: WireError
}

/** A digest's length says its algorithm: 64 hex is SHA-256, 32 hex is SipHash-128. */
export function algorithmOf(digest: string): DigestAlgorithm {
  return digest.length === 64 ? 'sha256' : 'siphash128'
}

export function algorithmForCodec(codec: TargetCodec): DigestAlgorithm {
  return codec === 'none' ? 'siphash128' : 'sha256'
}

export function formatForCodec(codec: TargetCodec): StoredFormat {
  return codec === 'none' ? 'raw' : codec
}

/**
 * How a library file is read, as RCC's readers do: a compress.no file (SipHash-128 name) is raw
 * whatever its first bytes look like (a stored .gz file starts like gzip); otherwise the magic
 * bytes decide (zstd, gzip, else raw).
 */
export function readingFor(algorithm: DigestAlgorithm, head: Uint8Array): StoredFormat {
  return algorithm === 'siphash128' ? 'raw' : detectFormat(head)
}

/** Files whose content may exceed this are streamed, so memory stays bounded. */
export const BUFFER_LIMIT_BYTES = STREAM_THRESHOLD_BYTES

/**
 * An upper bound of a stored file's content size, from its own headers: gzip's ISIZE trailer,
 * zstd's frame headers and block counts. Malformed data gets its stored size: the decoder will
 * then report it precisely.
 */
export function contentBound(stored: Buffer, format: StoredFormat): number {
  if (format === 'gzip') return stored.length >= 18 ? stored.readUInt32LE(stored.length - 4) : 0
  if (format === 'zstd') {
    try {
      return walkZstdFrames(stored).reduce((sum, frame) => sum + frame.bound, 0)
    } catch {
      return stored.length
    }
  }

  return stored.length
}

/** A file whose content does not hash to its name: it is reported, never rewritten. */
export function integrityError(task: {path: string; digest: string}, actual: string): HoloError {
  return new HoloError('EINTEGRITY', `Corrupted hololib file ${task.path}: its content hashes to ${actual}`, {path: task.path, data: {expected: task.digest, actual}})
}

/** ENOSPC gets its own code and says the original is intact. */
export function spaceError(error: unknown, path: string): unknown {
  if ((error as NodeJS.ErrnoException)?.code === 'ENOSPC') {
    return new HoloError('ENOSPC', `No space left on device while writing the new version of ${path}; the original is unchanged`, {path, cause: error})
  }

  return error
}
