import type {Worker} from 'node:worker_threads'

import {workerPool} from '../worker-pool.js'
import {addStats, emptyStats} from './types.js'
import type {RestoreSettings, RestoreStats, RestoreTask} from './types.js'
import type {BatchReply, BatchRequest} from './worker.js'
import {deserializeError} from './wire.js'

// Started once per process and kept: a benchmark restores many times.
const pool = workerPool(import.meta.url)

export interface PoolRunOptions {
  workers: number
  /** Default restore; copy is a plain read and write of each task's source. */
  op?: BatchRequest['op']
  onBatch?: (done: number) => void
}

/**
 * Restore `tasks` on `workers` threads. Batches are pulled as workers free up, so a slow file
 * does not hold back the rest; the first failure stops new batches and is thrown once the
 * batches in flight have finished.
 */
export async function runOnWorkers(tasks: RestoreTask[], settings: RestoreSettings, options: PoolRunOptions): Promise<RestoreStats> {
  const stats = emptyStats()
  if (tasks.length === 0) return stats
  const count = Math.max(1, Math.min(options.workers, Math.ceil(tasks.length / 8)))
  // Big enough to amortise a message, small enough to balance the load at the end.
  const batchSize = Math.max(1, Math.min(64, Math.ceil(tasks.length / (count * 8))))
  let next = 0
  let done = 0
  let id = 0
  let failure: Error | undefined
  const lane = (worker: Worker) =>
    new Promise<void>((resolve) => {
      const send = () => {
        if (next >= tasks.length || failure) {
          resolve()
          return
        }

        const batch = tasks.slice(next, next + batchSize)
        next += batch.length
        const request: BatchRequest = {id: id++, op: options.op ?? 'restore', settings, tasks: batch}
        worker.postMessage(request)
      }

      worker.on('message', (reply: BatchReply) => {
        addStats(stats, reply.stats)
        done += reply.stats.written + reply.stats.skipped
        if (reply.error) failure ??= deserializeError(reply.error)
        options.onBatch?.(done)
        send()
      })
      worker.on('error', (error) => {
        failure ??= error
        resolve()
      })
      send()
    })

  const workers = Array.from({length: count}, () => pool.take())
  const broken = new Set<Worker>()
  for (const worker of workers) worker.once('error', () => broken.add(worker))
  try {
    await Promise.all(workers.map(lane))
  } finally {
    for (const worker of workers) pool.release(worker, broken.has(worker))
  }

  if (failure) throw failure
  return stats
}
