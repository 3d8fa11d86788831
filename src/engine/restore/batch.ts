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
// synchronous reads and writes proceed.
const IN_FLIGHT = 4

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
  const lane = async () => {
    while (next < request.tasks.length && failure === undefined) {
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

  await Promise.all(Array.from({length: IN_FLIGHT}, lane))
  const reply: BatchReply = {id: request.id, stats}
  if (failure !== undefined) reply.error = serializeError(failure)
  return reply
}
