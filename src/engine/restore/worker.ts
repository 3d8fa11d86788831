import {parentPort} from 'node:worker_threads'

import {copyPlain, restoreFile, writeContent} from './restore-file.js'
import {emptyStats} from './types.js'
import type {RestoreSettings, RestoreStats, RestoreTask} from './types.js'
import {serializeError} from './wire.js'
import {forEntry} from './checks.js'

/** A restore worker: restores the batches of files it is sent and answers with their stats. */
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

// Files in flight inside one worker: while one awaits the (async-only) zstd binding, the next
// one's synchronous reads and writes proceed.
const IN_FLIGHT = 4

parentPort?.on('message', async (request: BatchRequest) => {
  const stats = emptyStats()
  let next = 0
  let failure: unknown
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
    }
  }

  await Promise.all(Array.from({length: IN_FLIGHT}, lane))
  const reply: BatchReply = {id: request.id, stats}
  if (failure !== undefined) reply.error = serializeError(failure)
  parentPort?.postMessage(reply)
})
