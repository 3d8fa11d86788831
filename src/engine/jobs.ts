import {availableParallelism} from 'node:os'

/**
 * Restore lanes: one per core, the calling thread being one of them (restore/pool.ts). Each does
 * its file I/O synchronously, so more threads than cores only take turns (measured on 2 cores:
 * 2–4 workers within noise of each other, 8 slower, and every extra worker is one more isolate
 * to start and warm up).
 */
export function defaultJobs(): number {
  return Math.max(2, availableParallelism())
}

/**
 * The restore lanes a drop runs: `requested` (default: defaultJobs()), never more than
 * defaultJobs(). Each lane past this thread is a worker isolate (~10 MB and ~50 ms of CPU to
 * start), so `--jobs 100` would otherwise hold ~1.2 GB and run slower (measured), not faster.
 */
export function restoreJobs(requested?: number): number {
  return Math.max(1, Math.min(requested ?? defaultJobs(), defaultJobs()))
}

/**
 * Files lifted at once, shared among the lift's lanes (lift/lanes.ts: one per core): each lane keeps
 * several in flight, since compression runs on libuv's pool while the lane reads and writes the next.
 */
export function defaultLiftConcurrency(): number {
  return Math.max(8, availableParallelism() * 4)
}
