import {chmodSync, closeSync, constants, copyFileSync, futimesSync, linkSync, lstatSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, fchmodSync, utimesSync, writeSync} from 'node:fs'

import {decompressBuffer} from '../codec/index.js'
import {digestBuffer} from '../digest.js'
import type {StoredFormat} from '../types.js'
import {algorithmOf, checkDigest, checkRelocation, checkSize, missing, storedFormat} from './checks.js'
import {RESTORED_MTIME} from './types.js'
import type {RestoreSettings, RestoreStats, RestoreTask} from './types.js'

/**
 * Restore one file that fits in memory. The file system calls are synchronous on purpose: this
 * runs on a worker thread, where a blocking call costs a few microseconds while an async one
 * costs a hop to libuv's pool and back, and most files of an environment are small. Only
 * decompression may await (the zstd binding is async-only).
 */
export async function restoreFile(task: RestoreTask, settings: RestoreSettings, stats: RestoreStats): Promise<void> {
  if (task.unchanged && isUnchanged(task)) {
    stats.skipped++
    return
  }

  const linkable = settings.eligible !== 'copy' && task.rewrite.length === 0
  // SipHash-keyed files are raw by definition (a compress.no library); others show it by magic.
  if (linkable && !settings.verify && (algorithmOf(task.digest) === 'siphash128' || readHead(task) === 'raw')) return link(task, settings, stats)
  const stored = readLibraryFile(task)
  const format = storedFormat(task, stored)
  stats.formats[format]++
  const content =
    format === 'raw' ? stored : await decompressBuffer(stored, {path: task.source, expectedSize: task.size, zstdBackend: settings.zstdBackend, gzipBackend: settings.gzipBackend})
  checkSize(content.length, task)
  if (settings.verify) checkDigest(digestBuffer(algorithmOf(task.digest), content), task)
  if (linkable && format === 'raw') {
    stats.formats.raw--
    return link(task, settings, stats)
  }

  if (task.rewrite.length > 0) {
    for (const offset of task.rewrite) {
      checkRelocation(offset, settings.relocationTo.length, content.length, task)
      content.set(settings.relocationTo, offset)
    }

    stats.rewritten++
  }

  place(task, settings, stats, (part) => {
    const fd = openSync(part, 'wx', task.perm)
    try {
      let at = 0
      while (at < content.length) at += writeSync(fd, content, at, content.length - at)
      finish(fd, task, settings)
    } finally {
      closeSync(fd)
    }
  })
  stats.counts.copy++
  stats.bytes += content.length
}

/** RCC keeps a file whose previous record has the same digest and whose name, size and mode match. */
function isUnchanged(task: RestoreTask): boolean {
  try {
    const stats = lstatSync(task.path)
    return stats.isFile() && stats.size === task.size && (stats.mode & 0o7777) === task.perm
  } catch {
    return false
  }
}

/** Mode (where the umask took bits away) and RCC's fixed times, on the open descriptor. */
function finish(fd: number, task: RestoreTask, settings: RestoreSettings): void {
  if ((task.perm & settings.umask) !== 0 || task.perm > 0o777) fchmodSync(fd, task.perm)
  futimesSync(fd, RESTORED_MTIME, RESTORED_MTIME)
}

/**
 * Into a fresh target a file is written in place: nothing is replaced, and the missing .meta
 * makes the next restore redo it after a crash. Otherwise through `<name>.part` and a rename,
 * so a reader never sees a torn file.
 */
export function place(task: RestoreTask, settings: RestoreSettings, stats: RestoreStats, write: (part: string) => void): void {
  const part = settings.fresh ? task.path : `${task.path}.part`
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

/** Clone or hard-link an uncompressed library file, as the strategy probe decided. */
function link(task: RestoreTask, settings: RestoreSettings, stats: RestoreStats): void {
  const how = settings.eligible
  // A hard link shares the library file's inode: its mode must already be right, or it is copied.
  if (how === 'hardlink' && (statSync(task.source).mode & 0o7777) !== task.perm) {
    const content = readLibraryFile(task)
    place(task, settings, stats, (part) => {
      const fd = openSync(part, 'wx', task.perm)
      try {
        writeSync(fd, content)
        finish(fd, task, settings)
      } finally {
        closeSync(fd)
      }
    })
    stats.formats.raw++
    stats.counts.copy++
    stats.bytes += content.length
    return
  }

  place(task, settings, stats, (part) => {
    if (how === 'hardlink') {
      linkSync(task.source, part)
      return
    }

    copyFileSync(task.source, part, constants.COPYFILE_FICLONE_FORCE)
    // By path: two calls, where opening the clone for fchmod/futimes would take four.
    chmodSync(part, task.perm)
    utimesSync(part, RESTORED_MTIME, RESTORED_MTIME)
  })
  stats.formats.raw++
  stats.counts[how]++
  stats.bytes += task.size
}

function readLibraryFile(task: RestoreTask): Buffer {
  try {
    return readFileSync(task.source)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missing(task)
    throw error
  }
}

/** Only the magic bytes: a trusted (unverified) clone still must not clone a compressed file. */
function readHead(task: RestoreTask): StoredFormat {
  let fd: number
  try {
    fd = openSync(task.source, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missing(task)
    throw error
  }

  try {
    const head = Buffer.alloc(4)
    const bytes = readSync(fd, head, 0, 4, 0)
    return storedFormat(task, head.subarray(0, bytes))
  } finally {
    closeSync(fd)
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
