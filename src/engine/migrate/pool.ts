import type {Worker} from 'node:worker_threads'

import {workerPool} from '../worker-pool.js'
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
  if (tasks.length === 0) return
  const count = Math.max(1, Math.min(options.workers, Math.ceil(tasks.length / 16)))
  // Big enough to amortise a message, small enough to balance the load at the end.
  const batchSize = Math.max(1, Math.min(64, Math.ceil(tasks.length / (count * 8))))
  let next = 0
  let id = 0
  let stop = false
  let crash: Error | undefined
  const lane = (worker: Worker) =>
    new Promise<void>((resolve) => {
      const send = () => {
        if (next >= tasks.length || stop || crash) {
          resolve()
          return
        }

        const request: FileBatchRequest = {id: id++, settings, tasks: tasks.slice(next, next + batchSize)}
        next += request.tasks.length
        worker.postMessage(request)
      }

      worker.on('message', (reply: FileBatchReply) => {
        Promise.resolve(options.onOutcomes(reply.outcomes)).then(
          (stopNow) => {
            if (stopNow) stop = true
            send()
          },
          (error: Error) => {
            crash ??= error
            resolve()
          },
        )
      })
      worker.on('error', (error) => {
        crash ??= error
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

  if (crash) throw crash
}
