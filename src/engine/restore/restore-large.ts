import {createReadStream, createWriteStream, promises as fsp} from 'node:fs'
import {PassThrough, Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {createDecompressStream} from '../codec/index.js'
import {createDigester} from '../digest.js'
import type {StoredFormat} from '../types.js'
import {algorithmOf, checkDigest, checkRelocation, checkSize, missing, storedFormat, tooBig} from './checks.js'
import {partPathFor} from './part-name.js'
import {RESTORED_MTIME} from './types.js'
import type {RestoreSettings, RestoreStats, RestoreTask} from './types.js'

/**
 * Restore a file too big to hold: it streams through a bounded buffer, is hashed on the way,
 * and its relocations are patched in place afterwards. Always a copy: a big file is rarely
 * worth cloning machinery of its own, and this keeps one path for every format.
 */
export async function restoreLargeFile(task: RestoreTask, settings: RestoreSettings, stats: RestoreStats): Promise<void> {
  const digester = settings.verify ? createDigester(algorithmOf(task.digest)) : undefined
  let size = 0
  let format: StoredFormat = 'raw'
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      // Nothing past the catalog's size reaches the target (a raw file; decoders stop there too).
      if (size + chunk.length > task.size) return callback(tooBig(task))
      digester?.update(chunk)
      size += chunk.length
      callback(null, chunk)
    },
  })
  const part = settings.fresh ? task.path : partPathFor(task.path, settings.partSuffix ?? '.holobench-part')
  if (!settings.fresh) await fsp.rm(part, {force: true})
  try {
    const input = createReadStream(task.source, {highWaterMark: 1 << 20})
    input.once('data', (chunk) => {
      format = storedFormat(task, chunk as Buffer, settings.rawSource)
    })
    const decompress = settings.rawSource || algorithmOf(task.digest) === 'siphash128' ? new PassThrough() : createDecompressStream({path: task.source, entry: task.rel, expectedSize: task.size, zstdBackend: settings.zstdBackend, gzipBackend: settings.gzipBackend})
    // A path-based write stream closes its own descriptor when done.
    await pipeline(input, decompress, tap, createWriteStream(part, {flags: 'wx', mode: task.perm})).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' && error.path === task.source ? missing(task) : error
    })
    checkSize(size, task)
    if (digester) checkDigest(digester.digest(), task)
    const handle = await fsp.open(part, 'r+')
    try {
      for (const offset of task.rewrite) {
        checkRelocation(offset, settings.relocationTo.length, size, task)
        await handle.write(settings.relocationTo, 0, settings.relocationTo.length, offset)
      }

      if ((task.perm & settings.umask) !== 0 || task.perm > 0o777) await handle.chmod(task.perm)
      await handle.utimes(RESTORED_MTIME, RESTORED_MTIME)
      if (settings.fsync) await handle.sync()
    } finally {
      await handle.close()
    }

    if (part !== task.path) await fsp.rename(part, task.path)
  } catch (error) {
    await fsp.rm(part, {force: true})
    throw error
  }

  stats.formats[format]++
  if (task.rewrite.length > 0) stats.rewritten++
  stats.written++
  stats.counts.copy++
  stats.bytes += size
}
