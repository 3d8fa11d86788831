import {setImmediate as turn} from 'node:timers/promises'

import {copyPlain, restoreFile, writeContent} from './restore-file.js'
import {emptyStats} from './types.js'
import type {RestoreSettings, RestoreStats, RestoreTask} from './types.js'
import {serializeError} from './wire.js'
import {forEntry} from './checks.js'

/** One batch of files to restore, as a worker (or the local lane) is sent it. */
export interface BatchRequest {
  id: number
  /**
   * restore: from the library, as a drop does; copy: a plain copy of `source` (the benchmark's
   * floor); write: the given `contents` (decoded from a pack, restore/pack.ts), checked as a restore checks.
   */
  op: 'restore' | 'copy' | 'write'
  settings: RestoreSettings
  tasks: RestoreTask[]
  /** op write: each task's content, in task order. */
  contents?: Uint8Array[]
}

export interface BatchReply {
  id: number
  stats: RestoreStats
  error?: ReturnType<typeof serializeError>
}

// Files in flight in one lane: while one awaits the (async-only) zstd binding, the next one's
// synchronous reads and writes proceed. Up to IN_FLIGHT of any size (at most ~4 x (4 + 4) MiB),
// and beyond them up to IN_FLIGHT_SMALL files of at most SMALL_FILE_BYTES, whose zstd frames are
// then decoded in groups (codec/zstd-coalesce.ts).
const IN_FLIGHT = 4
const IN_FLIGHT_SMALL = 16
const SMALL_FILE_BYTES = 64 * 1024

/**
 * Restore a batch; the first failure stops it and comes back in the reply, with the entry named.
 * `yieldMs`: on a thread with other work (the main thread's lane), give the event loop a turn
 * at least this often, so replies from the workers are answered while synchronous restores run.
 */
export async function runBatch(request: BatchRequest, yieldMs?: number): Promise<BatchReply> {
  const stats = emptyStats()
  let next = 0
  let failure: unknown
  let turned = performance.now()
  const lane = async (_: unknown, index: number) => {
    while (next < request.tasks.length && failure === undefined) {
      // The extra lanes take small files only, and end at the first big one.
      if (index >= IN_FLIGHT && request.tasks[next].size > SMALL_FILE_BYTES) return
      const k = next++
      const task = request.tasks[k]
      try {
        if (request.op === 'copy') copyPlain(task, stats)
        else if (request.op === 'write') writeContent((request.contents as Uint8Array[])[k], task, request.settings, stats)
        else await restoreFile(task, request.settings, stats)
      } catch (error) {
        failure ??= forEntry(error, task)
      }

      if (yieldMs !== undefined && performance.now() - turned > yieldMs) {
        turned = performance.now()
        await turn()
      }
    }
  }

  await Promise.all(Array.from({length: request.op === 'restore' ? IN_FLIGHT_SMALL : IN_FLIGHT}, lane))
  const reply: BatchReply = {id: request.id, stats}
  if (failure !== undefined) reply.error = serializeError(failure)
  return reply
}
