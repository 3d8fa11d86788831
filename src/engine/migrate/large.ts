import {createReadStream, createWriteStream, promises as fsp} from 'node:fs'
import {dirname, join} from 'node:path'
import {PassThrough, Transform, Writable} from 'node:stream'
import type {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {createCompressStream, createDecompressStream} from '../codec/index.js'
import {createDigester} from '../digest.js'
import type {Digester} from '../digest.js'
import {isHoloError} from '../errors.js'
import {fsyncFile, tempPathFor} from '../fs/atomic.js'
import {libraryFilePath, libraryLayout} from '../library.js'
import {serializeError} from '../restore/wire.js'
import type {DigestAlgorithm, StoredFormat} from '../types.js'
import {algorithmOf, formatForCodec, integrityError, readingFor, spaceError} from './file-task.js'
import type {FileOutcome, FileSettings, FileTask, Pending} from './file-task.js'

const CHUNK = 1 << 20

/**
 * The streaming twin of transcodeFile, for files too big to hold (1–2 GB happen): the same
 * rules, in bounded memory, on the main thread (the codecs still run on libuv's pool). The
 * content is hashed on its way from the decoder to the encoder; the temp file replaces anything
 * only after the hash matched.
 */
export async function transcodeLarge(task: FileTask, s: FileSettings): Promise<FileOutcome> {
  const base = {path: task.path, digest: task.digest}
  const algorithm = algorithmOf(task.digest)
  const rekey = s.mode === 'convert' && algorithm !== s.algorithm
  const head = await readHead(task.path)
  if (!head) return {...base, status: 'missing', storedBytes: 0}
  const format = readingFor(algorithm, head.bytes)
  const storedBytes = head.size
  if (s.mode === 'convert' && !rekey && format === formatForCodec(s.codec)) return {...base, status: 'skipped', format, storedBytes}
  if (s.dryRun && !task.sample) return {...base, status: 'planned', format, storedBytes}

  const digesters: Digester[] = [createDigester(algorithm)]
  if (rekey) digesters.push(createDigester(s.algorithm))
  let rawBytes = 0
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      for (const d of digesters) d.update(chunk)
      rawBytes += chunk.length
      callback(null, chunk)
    },
  })
  let outBytes = 0
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      outBytes += chunk.length
      callback(null, chunk)
    },
  })
  const converting = s.mode === 'convert'
  const temp = converting && !s.dryRun ? tempPathFor(rekey ? join(libraryLayout(s.root).libraryDir, 'migrate') : task.path) : undefined
  const sink = temp ? createWriteStream(temp, {flags: 'wx', mode: head.mode}) : discard()
  const stages: Array<Readable | Transform | Writable> = [createReadStream(task.path, {highWaterMark: CHUNK}), decoder(format, task.path, s), tap]
  if (converting) stages.push(createCompressStream(s.codec, {level: s.level, zstdBackend: s.zstdBackend, path: task.path}), counter)
  stages.push(sink)
  let handedOn = false
  const handOn = (pending: Pending) => {
    handedOn = !pending.renamed
    return pending
  }

  try {
    try {
      await pipeline(stages)
    } catch (error) {
      if (isHoloError(error, 'ECORRUPT')) return {...base, status: 'corrupt', format, storedBytes, error: serializeError(error)}
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && (error as NodeJS.ErrnoException).path === task.path) return {...base, status: 'missing', storedBytes: 0}
      throw spaceError(error, task.path)
    }

    const actual = digesters[0].digest()
    if (actual !== task.digest) return {...base, status: 'corrupt', format, storedBytes, error: serializeError(integrityError(task, actual))}
    const counts = {format, storedBytes, rawBytes}
    if (!converting) return {...base, ...counts, status: 'verified'}
    if (!temp) return {...base, ...counts, status: 'planned', outBytes}
    if (!rekey) return {...base, ...counts, status: 'converted', outBytes, pending: handOn(await commitLarge(temp, task.path, false, s))}
    const newDigest = digesters[1].digest()
    const final = libraryFilePath(s.root, newDigest)
    if (await existingVerifies(final, newDigest, s)) return {...base, ...counts, status: 'converted', outBytes: (await fsp.stat(final)).size, newDigest, existed: true}
    await fsp.mkdir(dirname(final), {recursive: true, mode: 0o755})
    return {...base, ...counts, status: 'converted', outBytes, newDigest, pending: handOn(await commitLarge(temp, final, true, s))}
  } finally {
    // A temp file not handed on to the committer is removed (a no-op once it was renamed).
    if (temp && !handedOn) await fsp.rm(temp, {force: true})
  }
}

/** Digest of a file's content read by the library's rules (stream, bounded memory). */
export async function streamDigest(path: string, algorithm: DigestAlgorithm, format: StoredFormat, s: Pick<FileSettings, 'zstdBackend'>): Promise<string> {
  const digester = createDigester(algorithm)
  const tap = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      digester.update(chunk)
      callback()
    },
  })
  await pipeline(createReadStream(path, {highWaterMark: CHUNK}), decoder(format, path, s), tap)
  return digester.digest()
}

/** defer: the temp file is left for the committer; otherwise it is made durable as asked and renamed. */
async function commitLarge(temp: string, final: string, fresh: boolean, s: FileSettings): Promise<Pending> {
  if (s.commit === 'defer') return {temp, final, fresh, renamed: false}

  if (s.commit === 'fsync') await fsyncFile(temp).catch((error: unknown) => Promise.reject(spaceError(error, final)))
  await fsp.rename(temp, final)
  return {temp, final, fresh, renamed: true}
}

async function existingVerifies(path: string, digest: string, s: FileSettings): Promise<boolean> {
  const head = await readHead(path)
  if (!head) return false
  const format = readingFor(s.algorithm, head.bytes)
  if (format !== formatForCodec(s.codec)) return false
  try {
    return (await streamDigest(path, s.algorithm, format, s)) === digest
  } catch {
    return false
  }
}

function decoder(format: StoredFormat, path: string, s: Pick<FileSettings, 'zstdBackend'>): Transform {
  return format === 'raw' ? new PassThrough() : createDecompressStream({path, zstdBackend: s.zstdBackend})
}

function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback()
    },
  })
}

async function readHead(path: string): Promise<{bytes: Buffer; size: number; mode: number} | undefined> {
  let handle
  try {
    handle = await fsp.open(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }

  try {
    const stats = await handle.stat()
    const bytes = Buffer.alloc(4)
    const {bytesRead} = await handle.read(bytes, 0, 4, 0)
    return {bytes: bytes.subarray(0, bytesRead), size: stats.size, mode: stats.mode & 0o7777}
  } finally {
    await handle.close()
  }
}
