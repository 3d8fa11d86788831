/**
 * Restoring from a pack: a benchmark-only format (holobench's `pack` candidate, never written
 * into a real hololib) that holds the unrelocated files of one catalog, each distinct content
 * once, in catalog order, in one file of independent zstd frames of about 4 MiB each. Its index
 * (`<pack>.json`) lists the frames' stored and raw sizes and the entries (digest, size) whose
 * concatenated contents the frames hold; a content may span frames. A restore decodes the
 * frames in order (the next one while this one's files are written) and writes each content to
 * every path that names it: one sequential read and decode instead of one library file per path.
 * What a drop checks is checked here too: the size, and the digest when verifying.
 */
import {closeSync, copyFileSync, fchmodSync, openSync, promises as fsp, readFileSync, renameSync, rmSync, writeSync} from 'node:fs'

import {decompressBuffer} from '../codec/whole.js'
import {createDigester} from '../digest.js'
import {HoloError} from '../errors.js'
import {algorithmOf, checkDigest, checkSize} from './checks.js'
import {partPathFor} from './part-name.js'
import {writeOnWorkers} from './pool.js'
import type {PoolRunOptions} from './pool.js'
import {finish, place} from './restore-file.js'
import {addStats} from './types.js'
import type {RestoreSettings, RestoreStats, RestoreTask} from './types.js'

export const PACK_INDEX_FORMAT = 'holobench-pack'

export interface PackIndex {
  format: typeof PACK_INDEX_FORMAT
  version: 1
  /** zstd level the frames were written at. */
  level: number
  /** In file order: each frame's stored bytes and the raw bytes it decodes to. */
  frames: Array<{stored: number; raw: number}>
  /** In order: the contents the frames hold back to back. */
  entries: Array<{digest: string; size: number}>
}

/** `<pack>.json`, checked enough that a bad index fails with its name, not deep in a restore. */
export function readPackIndex(pack: string): PackIndex {
  const path = `${pack}.json`
  let index: PackIndex
  try {
    index = JSON.parse(readFileSync(path, 'utf8')) as PackIndex
  } catch (error) {
    throw new HoloError('EINPUT', `Pack index ${path} cannot be read: ${(error as Error).message}`, {path})
  }

  const raw = index?.frames?.reduce((sum, frame) => sum + frame.raw, 0)
  const sizes = index?.entries?.reduce((sum, entry) => sum + entry.size, 0)
  if (index?.format !== PACK_INDEX_FORMAT || index.version !== 1 || raw !== sizes) {
    throw new HoloError('EINPUT', `${path} is not a holobench pack index (version 1) whose frames hold its entries`, {path})
  }

  return index
}

/**
 * Split a restore's tasks: the unrelocated files whose content the pack holds, and the rest
 * (relocated files, contents not packed), which a drop restores from the library as always.
 */
export function splitForPack(index: PackIndex, tasks: RestoreTask[]): {packed: RestoreTask[]; rest: RestoreTask[]} {
  const digests = new Set(index.entries.map((entry) => entry.digest))
  const packed: RestoreTask[] = []
  const rest: RestoreTask[] = []
  for (const task of tasks) (task.rewrite.length === 0 && digests.has(task.digest) ? packed : rest).push(task)
  return {packed, rest}
}

/**
 * Write every task of `tasks` from the pack. Frames are read and decoded one ahead (the decode
 * runs on libuv's pool); the contents of each frame are checked and written on the restore
 * workers, as library files are; a content spanning frames is streamed here into its first
 * path, hashed on the way, and copied to the others.
 */
export async function restoreFromPack(pack: string, index: PackIndex, tasks: RestoreTask[], settings: RestoreSettings, stats: RestoreStats, options: Omit<PoolRunOptions, 'op' | 'onBatch'> & {onFiles?: (count: number) => void}): Promise<void> {
  const lanes = {workers: options.workers, threads: options.threads, local: options.local}
  const byDigest = new Map<string, RestoreTask[]>()
  for (const task of tasks) {
    const list = byDigest.get(task.digest)
    if (list) list.push(task)
    else byDigest.set(task.digest, [task])
  }

  const handle = await fsp.open(pack, 'r')
  try {
    let offset = 0
    const offsets = index.frames.map((frame) => {
      const at = offset
      offset += frame.stored
      return at
    })
    const decode = async (k: number): Promise<Buffer> => {
      const frame = index.frames[k]
      const stored = Buffer.allocUnsafe(frame.stored)
      const {bytesRead} = await handle.read(stored, 0, frame.stored, offsets[k])
      if (bytesRead !== frame.stored) throw new HoloError('ECORRUPT', `Pack ${pack} is truncated in frame ${k}`, {path: pack})
      return decompressBuffer(stored, {expectedSize: frame.raw, path: pack, entry: `frame ${k}`, zstdBackend: settings.zstdBackend})
    }

    let entry = 0
    let spanning: Spanning | undefined
    let next = index.frames.length > 0 ? decode(0) : undefined
    for (let k = 0; k < index.frames.length; k++) {
      const frame = await (next as Promise<Buffer>)
      next = k + 1 < index.frames.length ? decode(k + 1) : undefined
      const items: Array<{task: RestoreTask; content: Uint8Array}> = []
      let at = 0
      // Empty contents take no bytes: they are written where they fall, at a frame's end too.
      while (at < frame.length || (!spanning && entry < index.entries.length && index.entries[entry].size === 0)) {
        if (!spanning) {
          const {digest, size} = index.entries[entry]
          const waiting = byDigest.get(digest)
          if (at + size <= frame.length) {
            // A copy of its own: a view would carry the whole frame to the worker.
            const content = waiting ? new Uint8Array(frame.subarray(at, at + size)) : undefined
            for (const task of waiting ?? []) items.push({task, content: content as Uint8Array})
            at += size
            entry++
            continue
          }

          spanning = new Spanning(waiting, size, settings)
        }

        const piece = frame.subarray(at, Math.min(frame.length, at + spanning.left))
        spanning.write(piece)
        at += piece.length
        if (spanning.left === 0) {
          spanning.end(stats)
          options.onFiles?.(spanning.count)
          spanning = undefined
          entry++
        }
      }

      if (items.length > 0) addStats(stats, await writeOnWorkers(items, settings, lanes))
      options.onFiles?.(items.length)
    }

    // A pack of empty contents only has no frames.
    const remaining = index.entries.slice(entry)
    if (remaining.some((rest) => rest.size > 0)) throw new HoloError('ECORRUPT', `Pack ${pack} ends before its last content`, {path: pack})
    const empty = remaining.flatMap(({digest}) => (byDigest.get(digest) ?? []).map((task) => ({task, content: new Uint8Array(0)})))
    if (empty.length > 0) addStats(stats, await writeOnWorkers(empty, settings, lanes))
  } finally {
    await handle.close()
  }
}

/** A content spanning frames: streamed into its first path, hashed on the way, then copied. */
class Spanning {
  left: number
  private readonly fd?: number
  private readonly part?: string
  private readonly digester

  constructor(
    private readonly tasks: RestoreTask[] | undefined,
    readonly size: number,
    private readonly settings: RestoreSettings,
  ) {
    this.left = size
    const first = tasks?.[0]
    this.digester = first && settings.verify ? createDigester(algorithmOf(first.digest)) : undefined
    if (first) {
      this.part = partFor(first, settings)
      if (!settings.fresh) rmSync(this.part, {force: true})
      this.fd = openSync(this.part, 'wx', first.perm)
    }
  }

  write(piece: Buffer): void {
    this.left -= piece.length
    if (this.fd === undefined) return
    this.digester?.update(piece)
    let at = 0
    while (at < piece.length) at += writeSync(this.fd, piece, at, piece.length - at)
  }

  /** Paths written: the first and its copies. */
  get count(): number {
    return this.tasks?.length ?? 0
  }

  end(stats: RestoreStats): void {
    const [first, ...others] = this.tasks ?? []
    if (!first || this.fd === undefined || this.part === undefined) return
    try {
      checkSize(this.size, first)
      if (this.digester) checkDigest(this.digester.digest(), first)
      finish(this.fd, first, this.settings)
    } catch (error) {
      closeSync(this.fd)
      rmSync(this.part, {force: true})
      throw error
    }

    closeSync(this.fd)
    if (this.part !== first.path) renameSync(this.part, first.path)
    stats.written++
    stats.counts.copy++
    stats.bytes += this.size
    for (const task of others) {
      place(task, this.settings, stats, (part) => {
        copyFileSync(first.path, part)
        const fd = openSync(part, 'r+')
        try {
          // A copy has the first path's mode; the same content may be named with another.
          fchmodSync(fd, task.perm)
          finish(fd, task, this.settings)
        } finally {
          closeSync(fd)
        }
      })
      stats.counts.copy++
      stats.bytes += this.size
    }
  }
}

function partFor(task: RestoreTask, settings: RestoreSettings): string {
  return settings.fresh ? task.path : partPathFor(task.path, settings.partSuffix ?? '.holobench-part')
}
