import {randomBytes} from 'node:crypto'
import {promises as fsp, renameSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, basename, join} from 'node:path'

import {HoloError} from '../errors.js'

/**
 * A temp name beside `path` (same directory, so same filesystem, so rename is atomic). It starts
 * with a dot, so in a hololib it can never be a library file (hex digest) nor a catalog (RCC's
 * glob `[0-9a-f]*v12.*`); it is created with O_EXCL, so it never replaces anything. Restores
 * name their temp files in the target differently (restore/part-name.ts).
 */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomHex8()}`)
}

// Random bytes drawn 4 KiB at a time: one call per temp name cost a lift of 2,400 files 15-20 ms.
let randomPool = Buffer.alloc(0)
let randomAt = 0
function randomHex8(): string {
  if (randomAt + 4 > randomPool.length) {
    randomPool = randomBytes(4096)
    randomAt = 0
  }
  randomAt += 4
  return randomPool.toString('hex', randomAt - 4, randomAt)
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
 * Replace `path` atomically: `write` creates the temp file beside it, which is fsynced (unless
 * told not to) and renamed over `path`. A reader sees the old file or the new one, never a mix;
 * a crash leaves at most a temp file, and a failure removes it.
 */
async function replaceAtomically(path: string, options: AtomicWriteOptions, write: (temp: string, mode: number) => Promise<void>): Promise<void> {
  const temp = tempPathFor(path)
  let renamed = false
  let created = false
  try {
    await write(temp, options.mode ?? 0o644).catch((error: NodeJS.ErrnoException) => {
      // EEXIST: the name is someone else's (O_EXCL said so), never to be removed here.
      created = error.code !== 'EEXIST'
      throw error
    })
    created = true
    if (options.fsync !== false) await fsyncFile(temp)
    await fsp.rename(temp, path)
    renamed = true
  } catch (error) {
    throw asSpaceError(error, path)
  } finally {
    if (created && !renamed) await fsp.rm(temp, {force: true})
  }
}

/** Write `data` to `path` atomically. */
export async function writeFileAtomic(path: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): Promise<void> {
  await replaceAtomically(path, options, (temp, mode) => fsp.writeFile(temp, data, {flag: 'wx', mode}))
}

/**
 * writeFileAtomic without fsync, in synchronous calls: for many small files on tmpfs-fast
 * storage (a lift without fsync, as RCC lifts), where each async call's hop to libuv's pool
 * costs more than the call. Same temp name, rename and cleanup; with fsync use writeFileAtomic.
 */
export function writeFileAtomicUnsyncedSync(path: string, data: Uint8Array, mode = 0o644): void {
  const temp = tempPathFor(path)
  let created = false
  try {
    writeFileSync(temp, data, {flag: 'wx', mode})
    created = true
    renameSync(temp, path)
  } catch (error) {
    // EEXIST: the name is someone else's (O_EXCL said so), never to be removed here.
    if (created || (error as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(temp, {force: true})
    throw asSpaceError(error, path)
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
