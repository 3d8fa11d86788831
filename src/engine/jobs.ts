import {availableParallelism} from 'node:os'

/**
 * Files in flight at once. Small-file restores are bound by per-file syscalls that run on
 * libuv's thread pool, so more files in flight than cores keeps the pool busy.
 */
export function defaultJobs(): number {
  return Math.max(8, availableParallelism() * 4)
}
