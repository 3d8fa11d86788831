import {parentPort} from 'node:worker_threads'

import {copyPlain, restoreFile} from './restore-file.js'
import {emptyStats} from './types.js'
import type {RestoreSettings, RestoreStats, RestoreTask} from './types.js'
import {serializeError} from './wire.js'
import {forEntry} from './checks.js'

/** A restore worker: restores the batches of files it is sent and answers with their stats. */
export interface BatchRequest {
  id: number
  /** restore: from the library, as a drop does; copy: a plain copy of `source` (the benchmark's floor). */
  op: 'restore' | 'copy'
  settings: RestoreSettings
  tasks: RestoreTask[]
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
      const task = request.tasks[next++]
      try {
        if (request.op === 'copy') copyPlain(task, stats)
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
