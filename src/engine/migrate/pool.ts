import {Worker} from 'node:worker_threads'

import type {FileOutcome, FileSettings, FileTask} from './file-task.js'
import type {FileBatchReply, FileBatchRequest} from './worker.js'

/**
 * File workers, started on first use and kept for later runs (tests and benchmarks run many).
 * Idle workers are unref'd so they never keep the process alive.
 */
const idle: Worker[] = []

function startWorker(): Worker {
  const url = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url)
  if (url.pathname.endsWith('.js')) return new Worker(url)
  // From the TypeScript sources (tests, tsx), the worker registers tsx before loading itself.
  const bootstrap = `import('tsx/esm/api').then(({register}) => { register(); return import(${JSON.stringify(url.href)}) })`
  return new Worker(bootstrap, {eval: true})
}

/** Start workers ahead of use, so their modules load while the library is being listed. */
export function warmUp(count: number): void {
  while (idle.length < count) {
    const worker = startWorker()
    worker.unref()
    idle.push(worker)
  }
}

function takeWorker(): Worker {
  const worker = idle.pop()
  if (worker) {
    worker.ref()
    return worker
  }

  return startWorker()
}

function release(worker: Worker): void {
  worker.removeAllListeners('message')
  worker.removeAllListeners('error')
  worker.unref()
  idle.push(worker)
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

  const workers = Array.from({length: count}, takeWorker)
  const broken = new Set<Worker>()
  for (const worker of workers) worker.once('error', () => broken.add(worker))
  try {
    await Promise.all(workers.map(lane))
  } finally {
    for (const worker of workers) {
      if (broken.has(worker)) void worker.terminate()
      else release(worker)
    }
  }

  if (crash) throw crash
}
