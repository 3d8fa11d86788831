import {runBatches, workerPool} from '../worker-pool.js'
import {addStats, emptyStats} from './types.js'
import type {RestoreSettings, RestoreStats, RestoreTask} from './types.js'
import {runBatch} from './batch.js'
import type {BatchReply, BatchRequest} from './batch.js'
import {deserializeError} from './wire.js'

// Started once per process and kept: a benchmark restores many times.
const pool = workerPool(import.meta.url)

/** Start `count` restore workers ahead of a restore (kept idle until it runs). */
export function warmUpRestoreWorkers(count: number): void {
  pool.warmUp(count)
}

/**
 * Below this stored catalog size (about 1,000 files: RCC's catalogs store ~55 bytes per file)
 * a fresh process starts no worker thread: one costs an isolate and its modules, 45-70 ms of
 * CPU (measured, Node 20), more than it takes off this thread.
 */
export const WORKERS_CATALOG_BYTES = 64 * 1024

/** How a restore's files are spread: worker threads, and whether this thread runs a lane too. */
export interface RestoreLanes {
  threads: number
  local: boolean
}

/**
 * The lanes for a restore of `jobs` lanes. A process that already has restore workers (a
 * benchmark, a long-lived caller) uses `jobs` of them, as always. A fresh one runs a lane on
 * this thread instead of starting one more worker, and starts the other `jobs - 1` only for a
 * catalog of WORKERS_CATALOG_BYTES or more: start-up is most of a small restore's cost.
 * (Warm, a lane here measured ~15% more CPU than a worker: this heap is bigger, so GC costs more.)
 */
export function restoreLanes(jobs: number, catalogBytes: number): RestoreLanes {
  if (pool.idleCount() > 0) return {threads: jobs, local: false}
  return {threads: catalogBytes >= WORKERS_CATALOG_BYTES ? Math.max(0, jobs - 1) : 0, local: true}
}

export interface PoolRunOptions {
  workers: number
  /** Default restore; copy is a plain read and write of each task's source. */
  op?: BatchRequest['op']
  onBatch?: (done: number) => void
  /** Worker threads at most (default: `workers - 1` with the lane on this thread, else `workers`). */
  threads?: number
  /** Run one lane on this thread (default true). */
  local?: boolean
}

/**
 * Restore `tasks` on `workers` lanes: this thread and up to `workers - 1` worker threads (or,
 * with `local: false`, worker threads only). Batches are pulled as workers free up, so a slow file
 * does not hold back the rest; the first failure stops new batches and is thrown once the
 * batches in flight have finished.
 */
export async function runOnWorkers(tasks: RestoreTask[], settings: RestoreSettings, options: PoolRunOptions): Promise<RestoreStats> {
  return runLanes(tasks, (batch, id) => ({id, op: options.op ?? 'restore', settings, tasks: batch}), options)
}

/**
 * Write decoded contents (a pack's, restore/pack.ts) on the same lanes: each is checked (size,
 * and digest when verifying) and written as a restore writes it.
 */
export async function writeOnWorkers(items: Array<{task: RestoreTask; content: Uint8Array}>, settings: RestoreSettings, options: PoolRunOptions): Promise<RestoreStats> {
  return runLanes(items, (batch, id) => ({id, op: 'write', settings, tasks: batch.map((item) => item.task), contents: batch.map((item) => item.content)}), options)
}

async function runLanes<T>(items: T[], request: (batch: T[], id: number) => BatchRequest, options: PoolRunOptions): Promise<RestoreStats> {
  const stats = emptyStats()
  let done = 0
  await runBatches<T, BatchReply>(pool, items, {
    workers: options.workers,
    tasksPerWorker: 8,
    // One lane runs here, yielding every millisecond so that the workers' replies are answered.
    local: options.local === false ? undefined : (message) => runBatch(message as BatchRequest, 1),
    threads: options.threads,
    // A worker starts its next batch while this thread, busy with its own lane or a big file, answers.
    depth: 2,
    request,
    onReply(reply) {
      addStats(stats, reply.stats)
      done += reply.stats.written + reply.stats.skipped
      options.onBatch?.(done)
      if (reply.error) throw deserializeError(reply.error)
    },
  })
  return stats
}
