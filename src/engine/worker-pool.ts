import {Worker} from 'node:worker_threads'

import {STOP_MESSAGE} from './worker-port.js'

/**
 * Worker threads for one worker module, started on first use and kept for later runs (a
 * benchmark restores many times). Idle workers are unref'd so they never keep the process alive.
 */
export interface WorkerPool {
  /** An idle worker, or a new one. */
  take(): Worker
  /** Back to the pool, listeners removed; a broken worker is terminated instead. */
  release(worker: Worker, broken?: boolean): void
  /** Start workers ahead of use, so their modules load while other work goes on. */
  warmUp(count: number): void
  /** Workers started and idle (kept from an earlier run, or warmed up). */
  idleCount(): number
}

// Every worker thread of every pool that has not exited, for stopAllWorkers.
const running = new Set<Worker>()
// Threads being stopped: one stop per thread, however many callers ask.
const stopping = new Map<Worker, Promise<void>>()

/** How long a thread may take to end itself before it is terminated (a long synchronous call). */
const STOP_GRACE_MS = 5000

/**
 * Stop one worker thread and resolve once it has exited. The thread ends itself on STOP_MESSAGE
 * (worker-port.ts), between two of its awaits; only one that has not done so within
 * STOP_GRACE_MS is terminated, since terminating a thread inside a zlib constructor aborts the
 * process (see STOP_MESSAGE).
 */
export function stopWorker(worker: Worker): Promise<void> {
  if (!running.has(worker)) return Promise.resolve()
  let stop = stopping.get(worker)
  if (!stop) {
    stop = new Promise<void>((resolve) => {
      const late = setTimeout(() => void worker.terminate(), STOP_GRACE_MS)
      late.unref()
      // An idle thread is unref'd; until it has exited it must keep this process alive, or the
      // process could end first, without what its caller does after the stop.
      worker.ref()
      worker.once('exit', () => {
        clearTimeout(late)
        resolve()
      })
      worker.postMessage(STOP_MESSAGE)
    })
    stopping.set(worker, stop)
  }

  return stop
}

/**
 * Stop every worker thread of this process (restores, lifts, migrations) and wait until they
 * have: for an interrupted command, before it removes directories they may be writing into or
 * exits (process.exit tears down running threads as terminate() would).
 */
export async function stopAllWorkers(): Promise<void> {
  await Promise.all([...running].map((worker) => stopWorker(worker)))
}

/** A pool for the module `<name>.js` (or `.ts` when running from sources) beside `callerUrl`. */
export function workerPool(callerUrl: string, name = 'worker'): WorkerPool {
  const idle: Worker[] = []
  const start = (): Worker => {
    const worker = spawn(callerUrl, name)
    running.add(worker)
    worker.once('exit', () => {
      running.delete(worker)
      stopping.delete(worker)
      // A stopped idle worker is never handed out again.
      const at = idle.indexOf(worker)
      if (at >= 0) idle.splice(at, 1)
    })
    return worker
  }

  return {
    take() {
      const worker = idle.pop()
      if (!worker) return start()
      worker.ref()
      return worker
    },
    release(worker, broken = false) {
      worker.removeAllListeners('message')
      worker.removeAllListeners('error')
      // A thread being stopped (stopAllWorkers while its run ended) stays ref'd until it exits.
      if (broken || stopping.has(worker)) {
        void stopWorker(worker)
        return
      }

      worker.unref()
      idle.push(worker)
    },
    warmUp(count) {
      while (idle.length < count) {
        const worker = start()
        worker.unref()
        idle.push(worker)
      }
    },
    idleCount: () => idle.length,
  }
}

function spawn(callerUrl: string, name: string): Worker {
  const fromSource = callerUrl.endsWith('.ts')
  const url = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, callerUrl)
  if (!fromSource) return new Worker(url)
  // From the TypeScript sources (tests, tsx), the worker registers tsx before loading itself; not
  // twice (a parent started with `--import tsx` passes it on), which hung threads that started as
  // others were stopped.
  const bootstrap = `import('tsx/esm/api').then(({register}) => { register(); return import(${JSON.stringify(url.href)}) })`
  return new Worker(bootstrap, {eval: true, execArgv: []})
}

export interface BatchRunOptions<T, R> {
  workers: number
  /** Fewest tasks worth a worker of their own: small runs use fewer threads. */
  tasksPerWorker: number
  /** The message for one batch. */
  request: (tasks: T[], id: number) => unknown
  /**
   * Each reply, as batches finish. It is awaited before that worker is sent more (back-pressure);
   * returning true stops the run (no new batch starts), throwing fails it.
   */
  onReply: (reply: R) => Promise<boolean | void> | boolean | void
  /**
   * Runs a batch on this thread, as one more lane beside the workers (its message is the same
   * request): a thread that would otherwise wait costs no isolate to start.
   */
  local?: (request: unknown) => Promise<R>
  /** Worker threads at most, besides the local lane (default: `workers - 1` with a local lane, else `workers`). */
  threads?: number
  /**
   * Batches sent to each worker ahead of its replies (default 1). At 2 a worker never waits for
   * this thread to answer before it starts its next batch; the worker must run its batches one
   * at a time.
   */
  depth?: number
}

/**
 * Run `tasks` on the pool's workers in batches pulled as workers free up, so a slow file does not
 * hold back the rest. The first failure (a throwing onReply, or a crashed worker) stops new
 * batches and is thrown once the batches in flight have finished.
 */
export async function runBatches<T, R>(pool: WorkerPool, tasks: T[], options: BatchRunOptions<T, R>): Promise<void> {
  if (tasks.length === 0) return
  const count = Math.max(1, Math.min(options.workers, Math.ceil(tasks.length / options.tasksPerWorker)))
  const local = options.local
  const threads = local ? Math.min(count - 1, options.threads ?? count - 1) : count
  // Big enough to amortise a message, small enough to balance the load at the end.
  const batchSize = Math.max(1, Math.min(64, Math.ceil(tasks.length / (count * 8))))
  let next = 0
  let id = 0
  let stop = false
  let failure: Error | undefined
  const depth = Math.max(1, options.depth ?? 1)
  const lane = (worker: Worker) =>
    new Promise<void>((resolve) => {
      // Batches sent and not yet answered; the lane ends when none is left to send or answer.
      let outstanding = 0
      const send = () => {
        if (next >= tasks.length || stop || failure) {
          if (outstanding === 0) resolve()
          return
        }

        const batch = tasks.slice(next, next + batchSize)
        next += batch.length
        outstanding++
        worker.postMessage(options.request(batch, id++))
      }

      worker.on('message', (reply: R) => {
        Promise.resolve()
          .then(() => options.onReply(reply))
          .then(
            (stopNow) => {
              outstanding--
              if (stopNow) stop = true
              send()
            },
            (error: Error) => {
              outstanding--
              failure ??= error
              if (outstanding === 0) resolve()
            },
          )
      })
      worker.on('error', (error) => {
        failure ??= error
        resolve()
      })
      // A thread that ends without an error (terminated: stopAllWorkers) will answer nothing more.
      const onExit = (code: number) => {
        broken.add(worker)
        failure ??= new Error(`a worker thread stopped (exit code ${code}) before it answered`)
        resolve()
      }
      worker.once('exit', onExit)
      exitListeners.set(worker, onExit)
      for (let k = 0; k < depth; k++) send()
    })

  /** The same lane on this thread: each batch runs here, between the workers' replies. */
  const localLane = async (run: (request: unknown) => Promise<R>) => {
    while (next < tasks.length && !stop && !failure) {
      const batch = tasks.slice(next, next + batchSize)
      next += batch.length
      try {
        const reply = await run(options.request(batch, id++))
        if (await options.onReply(reply)) stop = true
      } catch (error) {
        failure ??= error as Error
      }
    }
  }

  const workers = Array.from({length: threads}, () => pool.take())
  const broken = new Set<Worker>()
  const exitListeners = new Map<Worker, (code: number) => void>()
  for (const worker of workers) worker.once('error', () => broken.add(worker))
  try {
    await Promise.all([...workers.map(lane), ...(local ? [localLane(local)] : [])])
  } finally {
    for (const [worker, onExit] of exitListeners) worker.off('exit', onExit)
    for (const worker of workers) pool.release(worker, broken.has(worker))
  }

  if (failure) throw failure
}
