import {HoloError, explainSystemError, isHoloError} from '../errors.js'
import {digestBuffer} from '../digest.js'
import {detectFormat} from '../codec/detect.js'
import type {DigestAlgorithm, StoredFormat} from '../types.js'
import type {RestoreTask} from './types.js'

/** A catalog's digest says its algorithm: 64 hex is SHA-256, 32 hex is SipHash-128. */
export function algorithmOf(digest: string): DigestAlgorithm {
  return digest.length === 64 ? 'sha256' : 'siphash128'
}

/**
 * How a library file is stored: RCC reads a compress.no library (SipHash-128 digests) raw,
 * whatever its first bytes look like (a stored .gz file starts like gzip), and so is a dual
 * cache (`rawSource`); others by magic.
 */
export function storedFormat(task: RestoreTask, head: Uint8Array, rawSource = false): StoredFormat {
  return rawSource || algorithmOf(task.digest) === 'siphash128' ? 'raw' : detectFormat(head)
}

export function missing(task: RestoreTask): HoloError {
  return new HoloError('EMISSING', `Hololib is missing ${task.source}, needed for ${task.rel}`, {path: task.source})
}

/**
 * Content of the wrong size: when it still hashes to its digest the library file is sound and the
 * catalog entry's size is wrong (EINPUT, naming the entry); otherwise the library file is damaged.
 */
export function checkContentSize(content: Uint8Array, task: RestoreTask): void {
  if (content.length === task.size) return
  if (digestBuffer(algorithmOf(task.digest), content) === task.digest) {
    throw new HoloError('EINPUT', `Catalog entry ${task.rel} says ${task.size} bytes, but its content (${task.source}, which hashes to its digest) holds ${content.length}: the catalog is wrong, not the library`, {
      path: task.source,
      data: {entry: task.rel, expected: task.size, actual: content.length},
    })
  }

  checkSize(content.length, task)
}

/** Any failure while restoring one file, with the catalog entry named (and system errors explained). */
export function forEntry(error: unknown, task: RestoreTask): unknown {
  if (isHoloError(error)) {
    if (error.message.includes(task.rel)) return error
    return new HoloError(error.code, `Catalog entry ${task.rel}: ${error.message}`, {path: error.path, data: error.data, cause: error})
  }

  return explainSystemError(error, `Cannot restore catalog entry ${task.rel} to`, task.path)
}

export function checkSize(actual: number, task: RestoreTask): void {
  if (actual !== task.size) {
    throw new HoloError('ECORRUPT', `Corrupted hololib file ${task.source}: ${task.rel} should be ${task.size} bytes, it holds ${actual}`, {path: task.source})
  }
}

/**
 * Refuses a library file stored in more bytes than any encoding of the entry's size needs:
 * raw is the size itself; gzip and zstd add far less than 1/64 plus their headers (deflate
 * stored blocks 5 bytes per 64 KiB, zstd raw blocks 3 bytes per 128 KiB).
 */
export function storedTooBig(storedBytes: number, task: RestoreTask): void {
  if (storedBytes > task.size + Math.floor(task.size / 64) + 64 * 1024) {
    throw new HoloError('ECORRUPT', `Corrupted hololib file ${task.source}: ${task.rel} should be ${task.size} bytes, its library file is ${storedBytes} bytes, more than any encoding of it needs`, {
      path: task.source,
      data: {entry: task.rel, limit: task.size},
    })
  }
}

/** The library file holds more than the catalog entry's size: stopped at size + 1 byte. */
export function tooBig(task: RestoreTask): HoloError {
  return new HoloError('ECORRUPT', `Corrupted hololib file ${task.source}: ${task.rel} should be ${task.size} bytes, it holds more`, {path: task.source, data: {entry: task.rel, limit: task.size}})
}

/** RCC's message, with the file named. */
export function checkDigest(actual: string, task: RestoreTask): void {
  if (actual !== task.digest) {
    throw new HoloError('EINTEGRITY', `Corrupted hololib, expected ${task.digest}, actual ${actual} (${task.source}, for ${task.rel})`, {
      path: task.source,
      data: {expected: task.digest, actual},
    })
  }
}

export function checkRelocation(offset: number, length: number, size: number, task: RestoreTask): void {
  if (offset + length > size) {
    throw new HoloError('ERELOCATE', `Relocation at offset ${offset} runs past the end of ${task.source} (${size} bytes)`, {path: task.source})
  }
}
