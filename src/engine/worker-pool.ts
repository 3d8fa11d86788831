import {Worker} from 'node:worker_threads'

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
}

/** A pool for the module `<name>.js` (or `.ts` when running from sources) beside `callerUrl`. */
export function workerPool(callerUrl: string, name = 'worker'): WorkerPool {
  const idle: Worker[] = []
  const start = (): Worker => {
    const fromSource = callerUrl.endsWith('.ts')
    const url = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, callerUrl)
    if (!fromSource) return new Worker(url)
    // From the TypeScript sources (tests, tsx), the worker registers tsx before loading itself.
    const bootstrap = `import('tsx/esm/api').then(({register}) => { register(); return import(${JSON.stringify(url.href)}) })`
    return new Worker(bootstrap, {eval: true})
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
      if (broken) {
        void worker.terminate()
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
  }
}
