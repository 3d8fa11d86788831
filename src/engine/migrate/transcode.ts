import {closeSync, fchownSync, fstatSync, fsync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync} from 'node:fs'
import {dirname} from 'node:path'
import {promisify} from 'node:util'
import {gunzipSync, gzipSync} from 'node:zlib'

import {DEFAULT_LEVEL, compressBuffer, decompressBuffer} from '../codec/index.js'
import {digestBuffer} from '../digest.js'
import {HoloError, isHoloError} from '../errors.js'
import {tempPathFor} from '../fs/atomic.js'
import {libraryFilePath} from '../library.js'
import {serializeError} from '../restore/wire.js'
import type {StoredFormat} from '../types.js'
import {BUFFER_LIMIT_BYTES, algorithmOf, contentBound, formatForCodec, integrityError, readingFor, spaceError} from './file-task.js'
import type {FileOutcome, FileSettings, FileTask, Pending} from './file-task.js'

const fsyncAsync = promisify(fsync)
const IS_ROOT = process.getuid?.() === 0

/**
 * Verify or convert one library file that fits in memory. File system calls are synchronous on
 * purpose: this runs on a worker thread, where a blocking call costs microseconds and a hop to
 * libuv's pool costs more, and most library files are small. Only the codecs and an fsync await.
 *
 * A file is never rewritten unless its content hashed to its name first. A conversion is written
 * to a temp file beside its destination and renamed over it (or left for the main thread to
 * rename once durable), so every reader sees the old file or the new one, each complete.
 */
export async function transcodeFile(task: FileTask, s: FileSettings): Promise<FileOutcome> {
  const base = {path: task.path, digest: task.digest}
  const algorithm = algorithmOf(task.digest)
  const rekey = s.mode === 'convert' && algorithm !== s.algorithm
  const read = readStored(task.path, (head) => {
    const format = readingFor(algorithm, head)
    return s.mode === 'convert' && !rekey && format === formatForCodec(s.codec) ? 'stop' : 'continue'
  })
  if (read === 'missing') return {...base, status: 'missing', storedBytes: 0}
  const format = readingFor(algorithm, read.head)
  if (read.stopped) return {...base, status: 'skipped', format, storedBytes: read.size}
  if (s.dryRun && !task.sample) return {...base, status: 'planned', format, storedBytes: read.size}
  if (!read.stored) return {...base, status: 'large', format, storedBytes: read.size}
  const stored = read.stored
  if (contentBound(stored, format) > BUFFER_LIMIT_BYTES) return {...base, status: 'large', format, storedBytes: read.size}

  let content: Buffer
  try {
    content = await decode(stored, format, task.path, s)
  } catch (error) {
    if (error === TOO_LARGE) return {...base, status: 'large', format, storedBytes: read.size}
    if (isHoloError(error)) return {...base, status: 'corrupt', format, storedBytes: stored.length, error: serializeError(error)}
    throw error
  }

  const actual = digestBuffer(algorithm, content)
  if (actual !== task.digest) return {...base, status: 'corrupt', format, storedBytes: stored.length, error: serializeError(integrityError(task, actual))}
  const counts = {format, storedBytes: stored.length, rawBytes: content.length}
  if (s.mode === 'verify') return {...base, ...counts, status: 'verified'}

  const out = await encode(content, s)
  if (s.dryRun) return {...base, ...counts, status: 'planned', outBytes: out.length}
  if (!rekey) {
    const written = writeTemp(task.path, out, read.owner)
    return {...base, ...counts, status: 'converted', outBytes: out.length, pending: await commit(written, false, s)}
  }

  const newDigest = digestBuffer(s.algorithm, content)
  const final = libraryFilePath(s.root, newDigest)
  const existing = await existingSize(final, newDigest, s)
  if (existing !== undefined) return {...base, ...counts, status: 'converted', outBytes: existing, newDigest, existed: true}
  try {
    mkdirSync(dirname(final), {recursive: true, mode: 0o755})
  } catch (error) {
    throw spaceError(error, final)
  }

  const written = writeTemp(final, out, read.owner)
  return {...base, ...counts, status: 'converted', outBytes: out.length, newDigest, pending: await commit(written, true, s)}
}

/** The outcome for an error that must stop the run (ENOSPC, EIO, EACCES, ...). */
export function failedOutcome(task: FileTask, error: unknown): FileOutcome {
  return {path: task.path, digest: task.digest, status: 'failed', storedBytes: 0, error: serializeError(error)}
}

/** A gzip file whose trailer understated its size (several members): it is streamed instead. */
const TOO_LARGE = new Error('too large to hold')

/**
 * Decompress a stored file. gzip runs synchronously here, whatever its size: this is a worker
 * thread, and a hop to libuv's pool and back costs more than it saves (the pool is shared with
 * zstd, which only has an async binding).
 */
async function decode(stored: Buffer, format: StoredFormat, path: string, s: FileSettings): Promise<Buffer> {
  if (format === 'raw') return stored
  if (format === 'zstd') return decompressBuffer(stored, {path, zstdBackend: s.zstdBackend})
  try {
    return gunzipSync(stored, {maxOutputLength: BUFFER_LIMIT_BYTES * 2})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw TOO_LARGE
    throw new HoloError('ECORRUPT', `${path}: corrupt or truncated gzip data: ${(error as Error).message}`, {path, data: {format}, cause: error})
  }
}

async function encode(content: Buffer, s: FileSettings): Promise<Buffer> {
  if (s.codec === 'none') return content
  if (s.codec === 'gzip') return gzipSync(content, {level: s.level ?? DEFAULT_LEVEL.gzip})
  return compressBuffer(s.codec, content, {level: s.level, zstdBackend: s.zstdBackend})
}

interface Owner {
  mode: number
  uid: number
  gid: number
}

interface StoredRead {
  head: Buffer
  size: number
  owner: Owner
  /** The head sufficed (already in the target format). */
  stopped: boolean
  /** The whole file, unless it is too big to hold or reading stopped at the head. */
  stored?: Buffer
}

/** Read a file's head, and all of it unless `atHead` says stop or it is too big: one open. */
function readStored(path: string, atHead: (head: Buffer) => 'stop' | 'continue'): StoredRead | 'missing' {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing'
    throw error
  }

  try {
    const stats = fstatSync(fd)
    const owner = {mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid}
    if (stats.size > BUFFER_LIMIT_BYTES) {
      // Too big to hold: the head decides, the main thread streams the rest.
      const head = Buffer.alloc(4)
      const bytes = readSync(fd, head, 0, 4, 0)
      return {head: head.subarray(0, bytes), size: stats.size, owner, stopped: atHead(head.subarray(0, bytes)) === 'stop'}
    }

    // One read for the whole file: cheaper than a separate read of the head for the many small files.
    const buffer = Buffer.allocUnsafe(stats.size)
    let at = 0
    while (at < buffer.length) {
      const n = readSync(fd, buffer, at, buffer.length - at, at)
      if (n === 0) break
      at += n
    }

    const stored = at === buffer.length ? buffer : buffer.subarray(0, at)
    const head = stored.subarray(0, 4)
    if (atHead(head) === 'stop') return {head, size: stats.size, owner, stopped: true}
    return {head, size: stats.size, owner, stopped: false, stored}
  } finally {
    closeSync(fd)
  }
}

/** Write `data` to a new temp file beside `final`, with the original's mode (and owner, as root). */
function writeTemp(final: string, data: Uint8Array, owner: Owner): {temp: string; final: string; fd: number} {
  const temp = tempPathFor(final)
  let fd: number
  try {
    fd = openSync(temp, 'wx', owner.mode || 0o644)
  } catch (error) {
    throw spaceError(error, final)
  }

  try {
    let at = 0
    while (at < data.length) at += writeSync(fd, data, at, data.length - at)
    if (IS_ROOT && (owner.uid !== 0 || owner.gid !== 0)) fchownSync(fd, owner.uid, owner.gid)
  } catch (error) {
    closeSync(fd)
    rmSync(temp, {force: true})
    throw spaceError(error, final)
  }

  return {temp, final, fd}
}

/** Per the commit mode: fsync then rename, rename at once, or hand the temp file to the main thread. */
async function commit(written: {temp: string; final: string; fd: number}, fresh: boolean, s: FileSettings): Promise<Pending> {
  const {temp, final, fd} = written
  try {
    if (s.commit === 'fsync') await fsyncAsync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(temp, {force: true})
    throw spaceError(error, final)
  }

  closeSync(fd)
  if (s.commit === 'defer') return {temp, final, fresh, renamed: false}
  try {
    renameSync(temp, final)
  } catch (error) {
    rmSync(temp, {force: true})
    throw error
  }

  return {temp, final, fresh, renamed: true}
}

/**
 * Re-key: the stored size of a file already at the new name, if it is stored in the target
 * format and holds the right content (an earlier, interrupted run wrote it). Anything else
 * there is replaced.
 */
async function existingSize(path: string, digest: string, s: FileSettings): Promise<number | undefined> {
  const read = readStored(path, () => 'continue')
  if (read === 'missing' || !read.stored) return undefined
  const format = readingFor(s.algorithm, read.head)
  if (format !== formatForCodec(s.codec) || contentBound(read.stored, format) > BUFFER_LIMIT_BYTES) return undefined
  try {
    const content = await decode(read.stored, format, path, s)
    return digestBuffer(s.algorithm, content) === digest ? read.size : undefined
  } catch {
    return undefined
  }
}
