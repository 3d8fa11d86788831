import {runBatches, workerPool} from '../worker-pool.js'
import type {FileOutcome, FileSettings, FileTask} from './file-task.js'
import type {FileBatchReply, FileBatchRequest} from './worker.js'

const pool = workerPool(import.meta.url)

/** Start workers ahead of use, so their modules load while the library is being listed. */
export function warmUp(count: number): void {
  pool.warmUp(count)
}

export interface FilePoolOptions {
  workers: number
  /**
   * Each batch's outcomes, as batches finish. It is awaited before that worker is sent more
   * (back-pressure, e.g. while written files are being committed); returning true stops the run:
   * no new batch starts, and the tasks never sent get no outcome.
   */
  onOutcomes: (outcomes: FileOutcome[]) => Promise<boolean | void> | boolean | void
}

/** Verify or convert `tasks` on worker threads, in batches pulled as workers free up. */
export async function runFileTasks(tasks: FileTask[], settings: FileSettings, options: FilePoolOptions): Promise<void> {
  await runBatches<FileTask, FileBatchReply>(pool, tasks, {
    workers: options.workers,
    tasksPerWorker: 16,
    request: (batch, id): FileBatchRequest => ({id, settings, tasks: batch}),
    onReply: (reply) => options.onOutcomes(reply.outcomes),
  })
}
