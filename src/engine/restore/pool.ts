import {runBatches, workerPool} from '../worker-pool.js'
import {addStats, emptyStats} from './types.js'
import type {RestoreSettings, RestoreStats, RestoreTask} from './types.js'
import type {BatchReply, BatchRequest} from './worker.js'
import {deserializeError} from './wire.js'

// Started once per process and kept: a benchmark restores many times.
const pool = workerPool(import.meta.url)

/** Start `count` restore workers ahead of a restore (kept idle until it runs). */
export function warmUpRestoreWorkers(count: number): void {
  pool.warmUp(count)
}

export interface PoolRunOptions {
  workers: number
  /** Default restore; copy is a plain read and write of each task's source. */
  op?: BatchRequest['op']
  onBatch?: (done: number) => void
}

/**
 * Write decoded contents (a pack's, restore/pack.ts) on `workers` threads: each is checked
 * (size, and digest when verifying) and written as a restore writes.
 */
export async function writeOnWorkers(items: Array<{task: RestoreTask; content: Uint8Array}>, settings: RestoreSettings, options: PoolRunOptions): Promise<RestoreStats> {
  const stats = emptyStats()
  let done = 0
  await runBatches<{task: RestoreTask; content: Uint8Array}, BatchReply>(pool, items, {
    workers: options.workers,
    tasksPerWorker: 8,
    request: (batch, id): BatchRequest => ({id, op: 'write', settings, tasks: batch.map((item) => item.task), contents: batch.map((item) => item.content)}),
    onReply(reply) {
      addStats(stats, reply.stats)
      done += reply.stats.written + reply.stats.skipped
      options.onBatch?.(done)
      if (reply.error) throw deserializeError(reply.error)
    },
  })
  return stats
}

/**
 * Restore `tasks` on `workers` threads. Batches are pulled as workers free up, so a slow file
 * does not hold back the rest; the first failure stops new batches and is thrown once the
 * batches in flight have finished.
 */
export async function runOnWorkers(tasks: RestoreTask[], settings: RestoreSettings, options: PoolRunOptions): Promise<RestoreStats> {
  const stats = emptyStats()
  let done = 0
  await runBatches<RestoreTask, BatchReply>(pool, tasks, {
    workers: options.workers,
    tasksPerWorker: 8,
    request: (batch, id): BatchRequest => ({id, op: options.op ?? 'restore', settings, tasks: batch}),
    onReply(reply) {
      addStats(stats, reply.stats)
      done += reply.stats.written + reply.stats.skipped
      options.onBatch?.(done)
      if (reply.error) throw deserializeError(reply.error)
    },
  })
  return stats
}
