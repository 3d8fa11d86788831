import {chmodSync, closeSync, constants, copyFileSync, fstatSync, futimesSync, linkSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, fchmodSync, fsyncSync, utimesSync, writeSync} from 'node:fs'

import {STREAM_THRESHOLD_BYTES, decompressBuffer} from '../codec/whole.js'
import {digestBuffer} from '../digest.js'
import type {StoredFormat} from '../types.js'
import {algorithmOf, checkContentSize, checkDigest, checkRelocation, checkSize, missing, storedFormat, storedTooBig} from './checks.js'
import {partPathFor} from './part-name.js'
import {RESTORED_MTIME} from './types.js'
import {isUnchangedSync} from './unchanged.js'
import type {RestoreSettings, RestoreStats, RestoreTask} from './types.js'

/**
 * Restore one file that fits in memory. The file system calls are synchronous on purpose: this
 * runs on a worker thread, where a blocking call costs a few microseconds while an async one
 * costs a hop to libuv's pool and back, and most files of an environment are small. Only
 * decompression may await (the zstd binding is async-only).
 */
export async function restoreFile(task: RestoreTask, settings: RestoreSettings, stats: RestoreStats): Promise<void> {
  if (task.unchanged && isUnchangedSync(task)) {
    stats.skipped++
    return
  }

  const linkable = settings.eligible !== 'copy' && task.rewrite.length === 0
  if (linkable && !settings.verify) {
    // Trusted, so not hashed; but a library file of the wrong size is never placed.
    const probe = probeLibraryFile(task, settings.rawSource === true)
    if (probe.format === 'raw') {
      checkSize(probe.size, task)
      return link(task, settings, stats, probe.mode)
    }
  }

  const stored = readLibraryFile(task)
  const format = storedFormat(task, stored, settings.rawSource)
  stats.formats[format]++
  const content = format === 'raw' ? stored : await decodeEntry(stored, task, settings)
  checkContentSize(content, task)
  if (settings.verify) checkDigest(digestBuffer(algorithmOf(task.digest), content), task)
  if (linkable && format === 'raw') {
    stats.formats.raw--
    return link(task, settings, stats, undefined, content)
  }

  if (task.rewrite.length > 0) {
    for (const offset of task.rewrite) {
      checkRelocation(offset, settings.relocationTo.length, content.length, task)
      content.set(settings.relocationTo, offset)
    }

    stats.rewritten++
  }

  place(task, settings, stats, (part) => writeNew(part, content, task, settings))
  stats.counts.copy++
  stats.bytes += content.length
}

/**
 * Write a file's content that came from elsewhere than its library file (a pack,
 * restore/pack.ts), checked as a restore checks it: its size, and its digest when verifying.
 * Only for unrelocated files.
 */
export function writeContent(content: Uint8Array, task: RestoreTask, settings: RestoreSettings, stats: RestoreStats): void {
  if (task.unchanged && isUnchangedSync(task)) {
    stats.skipped++
    return
  }

  checkContentSize(content, task)
  if (settings.verify) checkDigest(digestBuffer(algorithmOf(task.digest), content), task)
  place(task, settings, stats, (part) => writeNew(part, content, task, settings))
  stats.counts.copy++
  stats.bytes += content.length
}

/**
 * Decode a library file, stopping one byte past the catalog's size. Only when that fails is it
 * decoded again within the small-file bound: content that hashes to its digest at another size
 * means the catalog entry is wrong, not the library file (EINPUT naming the entry).
 */
async function decodeEntry(stored: Buffer, task: RestoreTask, settings: RestoreSettings): Promise<Buffer> {
  const dictionary = settings.zstdDictionary !== undefined && namesDictionary(stored) ? dictionaryAt(settings.zstdDictionary) : undefined
  const options = {path: task.source, entry: task.rel, zstdBackend: settings.zstdBackend, gzipBackend: settings.gzipBackend, dictionary}
  try {
    return await decompressBuffer(stored, {...options, expectedSize: task.size})
  } catch (error) {
    const whole = await decompressBuffer(stored, {...options, maxSize: STREAM_THRESHOLD_BYTES}).catch(() => undefined)
    if (whole && whole.length !== task.size) checkContentSize(whole, task)
    throw error
  }
}

/** A zstd frame header with a dictionary id (Frame_Header_Descriptor bits 0-1, RFC 8878 §3.1.1.1.1). */
function namesDictionary(stored: Buffer): boolean {
  return stored.length > 4 && stored.readUInt32LE(0) === 0xfd2fb528 && (stored[4] & 3) !== 0
}

// Read once per thread: every small file of a dict restore needs it.
const dictionaries = new Map<string, Buffer>()

function dictionaryAt(path: string): Buffer {
  let dictionary = dictionaries.get(path)
  if (!dictionary) {
    dictionary = readFileSync(path)
    dictionaries.set(path, dictionary)
  }

  return dictionary
}

/** Mode (where the umask took bits away) and RCC's fixed times, on the open descriptor. */
export function finish(fd: number, task: RestoreTask, settings: RestoreSettings): void {
  if ((task.perm & settings.umask) !== 0 || task.perm > 0o777) fchmodSync(fd, task.perm)
  futimesSync(fd, RESTORED_MTIME, RESTORED_MTIME)
  if (settings.fsync) fsyncSync(fd)
}

/**
 * Into a fresh target a file is written in place: nothing is replaced, and the missing .meta
 * makes the next restore redo it after a crash. Otherwise through a temp name no catalog name
 * can take (part-name.ts) and a rename, so a reader never sees a torn file.
 */
export function place(task: RestoreTask, settings: RestoreSettings, stats: RestoreStats, write: (part: string) => void): void {
  const part = settings.fresh ? task.path : partPathFor(task.path, settings.partSuffix ?? '.holobench-part')
  if (!settings.fresh) rmSync(part, {force: true})
  try {
    write(part)
    if (part !== task.path) renameSync(part, task.path)
    stats.written++
  } catch (error) {
    rmSync(part, {force: true})
    throw error
  }
}

/**
 * Clone or hard-link an uncompressed library file, as the strategy probe decided. A hard link
 * shares the library file's inode, so a file whose mode differs is copied instead, and so is a
 * file whose inode has reached the filesystem's link limit (EMLINK), as pnpm does. `sourceMode`
 * is the library file's permission bits when already known; `content` its verified bytes.
 */
function link(task: RestoreTask, settings: RestoreSettings, stats: RestoreStats, sourceMode?: number, content?: Buffer): void {
  const how = settings.eligible
  if (how === 'hardlink' && (sourceMode ?? statSync(task.source).mode & 0o7777) !== task.perm) return copyRaw(task, settings, stats, content)
  try {
    place(task, settings, stats, (part) => {
      if (how === 'hardlink') {
        linkSync(task.source, part)
        return
      }

      copyFileSync(task.source, part, constants.COPYFILE_FICLONE_FORCE)
      // By path: two calls, where opening the clone for fchmod/futimes would take four.
      chmodSync(part, task.perm)
      utimesSync(part, RESTORED_MTIME, RESTORED_MTIME)
      if (settings.fsync) fsyncPath(part)
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EMLINK') throw error
    return copyRaw(task, settings, stats, content)
  }

  stats.formats.raw++
  stats.counts[how]++
  stats.bytes += task.size
}

/** Write `content` as the new file `part` (O_EXCL: a temp name is never shared), then its mode and times. */
export function writeNew(part: string, content: Uint8Array, task: RestoreTask, settings: RestoreSettings): void {
  const fd = openSync(part, 'wx', task.perm)
  try {
    let at = 0
    while (at < content.length) at += writeSync(fd, content, at, content.length - at)
    finish(fd, task, settings)
  } finally {
    closeSync(fd)
  }
}

/** Write an uncompressed library file's bytes as a new file (the size is checked again: it was read anew). */
function copyRaw(task: RestoreTask, settings: RestoreSettings, stats: RestoreStats, known?: Buffer): void {
  const content = known ?? readLibraryFile(task)
  checkSize(content.length, task)
  place(task, settings, stats, (part) => writeNew(part, content, task, settings))
  stats.formats.raw++
  stats.counts.copy++
  stats.bytes += content.length
}

/**
 * A library file's stored bytes, refused unread when there are more than any encoding of the
 * catalog's size needs (storedTooBig): a huge file behind a small entry is never read into
 * memory. Same system calls as readFileSync (open, fstat, read, close).
 */
function readLibraryFile(task: RestoreTask): Buffer {
  let fd: number
  try {
    fd = openSync(task.source, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missing(task)
    throw error
  }

  try {
    const {size} = fstatSync(fd)
    storedTooBig(size, task)
    const buffer = Buffer.allocUnsafe(size)
    let at = 0
    while (at < size) {
      const n = readSync(fd, buffer, at, size - at, at)
      if (n === 0) break
      at += n
    }
    return at === size ? buffer : buffer.subarray(0, at)
  } finally {
    closeSync(fd)
  }
}

/**
 * What an unverified clone or link needs to know of a library file: how it is stored (a
 * compressed file must never be cloned; SipHash-keyed and dual-cache files are raw by
 * definition, so only a stat), and its size and mode from the same descriptor.
 */
function probeLibraryFile(task: RestoreTask, rawSource: boolean): {format: StoredFormat; size: number; mode: number} {
  try {
    if (rawSource || algorithmOf(task.digest) === 'siphash128') {
      const stats = statSync(task.source)
      return {format: 'raw', size: stats.size, mode: stats.mode & 0o7777}
    }

    const fd = openSync(task.source, 'r')
    try {
      const head = Buffer.alloc(4)
      const bytes = readSync(fd, head, 0, 4, 0)
      const stats = fstatSync(fd)
      return {format: storedFormat(task, head.subarray(0, bytes)), size: stats.size, mode: stats.mode & 0o7777}
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missing(task)
    throw error
  }
}

/**
 * A plain copy of `task.source` to `task.path` with its mode: no library, codec, hash or
 * relocation. The benchmark's floor, on the same threads and I/O calls as a restore. Contents
 * are read and written, since copyFile may quietly clone on XFS and Btrfs.
 */
export function copyPlain(task: RestoreTask, stats: RestoreStats): void {
  const content = readFileSync(task.source)
  const fd = openSync(task.path, 'wx', task.perm)
  try {
    let at = 0
    while (at < content.length) at += writeSync(fd, content, at, content.length - at)
  } finally {
    closeSync(fd)
  }

  stats.written++
  stats.counts.copy++
  stats.bytes += content.length
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
