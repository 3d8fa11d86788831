import {randomBytes} from 'node:crypto'
import {createWriteStream, promises as fsp} from 'node:fs'
import {dirname, basename, join} from 'node:path'
import type {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {HoloError} from '../errors.js'

/** A temp name beside `path` (same directory, so same filesystem, so rename is atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`)
}

/** True for the temp names `tempPathFor` makes: check and migrate clean these up after a crash. */
export function isTempName(name: string): boolean {
  return /^\..+\.tmp-\d+-[0-9a-f]{8}$/.test(name)
}

export interface AtomicWriteOptions {
  /** fsync the file before the rename (durability); default true. */
  fsync?: boolean
  /** File mode at creation. */
  mode?: number
}

/**
 * Write `data` to `path` atomically: temp file in the same directory, optional fsync, rename.
 * A reader sees the old file or the new one, never a mix; a crash leaves at most a temp file.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathFor(path)
  let renamed = false
  try {
    const handle = await fsp.open(temp, 'wx', options.mode ?? 0o644)
    try {
      await handle.writeFile(data)
      if (options.fsync !== false) await handle.sync()
    } finally {
      await handle.close()
    }

    await fsp.rename(temp, path)
    renamed = true
  } catch (error) {
    throw asSpaceError(error, path)
  } finally {
    if (!renamed) await fsp.rm(temp, {force: true})
  }
}

/** Like writeFileAtomic, but for a stream of unbounded size (memory stays bounded). */
export async function writeStreamAtomic(path: string, source: Readable | AsyncIterable<Uint8Array>, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathFor(path)
  let renamed = false
  try {
    // A path-based stream closes its own descriptor; a FileHandle stream with autoClose off
    // would keep the handle referenced and make its close() wait forever.
    await pipeline(source, createWriteStream(temp, {flags: 'wx', mode: options.mode ?? 0o644}))
    if (options.fsync !== false) await fsyncFile(temp)
    await fsp.rename(temp, path)
    renamed = true
  } catch (error) {
    throw asSpaceError(error, path)
  } finally {
    if (!renamed) await fsp.rm(temp, {force: true})
  }
}

/** fsync a file by path. */
export async function fsyncFile(path: string): Promise<void> {
  const handle = await fsp.open(path, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** fsync a directory so that renames inside it survive a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** ENOSPC gets its own code and a message that says the original is intact. */
function asSpaceError(error: unknown, path: string): unknown {
  if ((error as NodeJS.ErrnoException)?.code === 'ENOSPC') {
    return new HoloError('ENOSPC', `No space left on device while writing ${path}; the original (if any) is unchanged`, {path, cause: error})
  }

  return error
}
