import {promises as fsp} from 'node:fs'
import {dirname} from 'node:path'

import pMap from 'p-map'

import {HoloError} from '../errors.js'
import {fsyncDir} from '../fs/atomic.js'
import {syncfs} from '../fs/durable.js'
import type {CommitMode, Pending} from './file-task.js'

/**
 * How a rewritten file is made durable before it replaces the original (a rename must never
 * publish data that a power cut could still lose):
 * - `syncfs`: temp files are written without fsync; every few thousand files one syncfs(2)
 *   (`sync -f`) flushes them all, then they are renamed. One flush instead of one per file.
 * - `fsync`: each temp file is fsynced, then renamed (where `sync -f` is not available).
 * - `none`: renamed at once (`--no-fsync`): crash-safe against a killed process, not a power cut.
 * Either way a reader only ever sees complete files, and a crash leaves at most temp files.
 */
export type Durability = 'syncfs' | 'fsync' | 'none'

export async function chooseDurability(root: string, wanted: Durability | 'auto'): Promise<Durability> {
  if (wanted !== 'auto') return wanted
  try {
    await syncfs(root)
    return 'syncfs'
  } catch {
    return 'fsync'
  }
}

export function commitModeFor(durability: Durability): CommitMode {
  return durability === 'syncfs' ? 'defer' : durability === 'fsync' ? 'fsync' : 'none'
}

export interface CommitterLimits {
  files: number
  bytes: number
}

/**
 * Renames written temp files over (or into) their destinations once they are durable, and
 * remembers the directories that got new names so they can be made durable before a catalog
 * names them. With `syncfs`, temp files wait here until a batch is full; the batch is then
 * flushed and renamed in the background while the workers go on, and `add` only waits when a
 * second batch is full before the first is done (back-pressure).
 */
export class Committer {
  readonly dirs = new Set<string>()
  private pending: Pending[] = []
  private pendingBytes = 0
  private flushing: Promise<void> | undefined
  private failure: unknown

  constructor(
    readonly durability: Durability,
    private readonly root: string,
    private readonly limits: CommitterLimits = {files: 4096, bytes: 256 << 20},
  ) {}

  /** A temp file written by a worker (defer mode). */
  async add(pending: Pending, bytes: number): Promise<void> {
    this.throwIfFailed()
    this.pending.push(pending)
    this.pendingBytes += bytes
    if (!this.flushing && this.isFull(1)) this.startFlush()
    while (this.flushing && this.isFull(2)) await this.flushing
    this.throwIfFailed()
  }

  /** A file a worker renamed itself (fsync and none modes): only its directories are remembered. */
  renamed(pending: Pending): void {
    this.track(pending)
  }

  /** Make every waiting temp file durable, then rename it. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing
    if (this.pending.length > 0) {
      this.startFlush()
      await this.flushing
    }

    this.throwIfFailed()
  }

  /** Drop every temp file still waiting: their originals stay as they were. */
  async abort(): Promise<void> {
    while (this.flushing) await this.flushing
    const batch = this.pending
    this.pending = []
    await removeTemps(batch)
  }

  /**
   * Make the renames so far durable (before anything depends on them: a catalog naming a new
   * file): one syncfs, or an fsync of each directory that got a new name.
   */
  async seal(): Promise<void> {
    await this.flush()
    if (this.durability === 'none') return
    if (this.durability === 'syncfs') await syncfs(this.root)
    else await pMap(this.dirs, (dir) => fsyncDir(dir), {concurrency: 8})
    this.dirs.clear()
  }

  private isFull(batches: number): boolean {
    return this.pending.length >= batches * this.limits.files || this.pendingBytes >= batches * this.limits.bytes
  }

  private startFlush(): void {
    const batch = this.pending
    this.pending = []
    this.pendingBytes = 0
    const run = this.commitBatch(batch)
      .catch((error: unknown) => {
        this.failure ??= error
      })
      .finally(() => {
        if (this.flushing === run) this.flushing = undefined
      })
    this.flushing = run
  }

  private async commitBatch(batch: Pending[]): Promise<void> {
    try {
      await syncfs(this.root)
    } catch (error) {
      await removeTemps(batch)
      throw new HoloError('ENOSPC', `Could not make rewritten files durable (syncfs failed: ${(error as Error).message.trim()}); their originals are unchanged`, {path: this.root, cause: error})
    }

    try {
      // On libuv's pool, several at a time.
      await pMap(
        batch,
        async (pending) => {
          await fsp.rename(pending.temp, pending.final)
          this.track(pending)
        },
        {concurrency: 8},
      )
    } catch (error) {
      await removeTemps(batch)
      throw error
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure
  }

  /**
   * A new name (re-key) must be durable before a catalog names it: its directory, and the
   * directories above it that may have just been made. A file replaced in place needs nothing:
   * after a power cut its old or its new version is there, both complete.
   */
  private track({final, fresh}: Pending): void {
    if (!fresh) return
    for (let dir = dirname(final), depth = 0; depth < 4; dir = dirname(dir), depth++) this.dirs.add(dir)
  }
}

async function removeTemps(batch: Pending[]): Promise<void> {
  await pMap(batch, ({temp}) => fsp.rm(temp, {force: true}), {concurrency: 16})
}

/** Make one directory's entries durable, where the durability asks for it. */
export async function sealDir(durability: Durability, dir: string): Promise<void> {
  if (durability !== 'none') await fsyncDir(dir)
}
