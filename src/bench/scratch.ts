import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

import {killTimedProcessesSync} from './spawn-timed.js'

// Every scratch directory this process made and has not removed yet.
const live = new Set<string>()

/** A fresh scratch directory under `base` (default: the OS temp dir), tracked for cleanup. */
export function createScratch(base?: string): string {
  const dir = mkdtempSync(join(resolve(base ?? tmpdir()), 'holobench-run-'))
  live.add(dir)
  return dir
}

export function removeScratch(dir: string): void {
  rmSync(dir, {recursive: true, force: true, maxRetries: 3})
  live.delete(dir)
}

/**
 * Synchronous, for signal handlers: an interrupted run leaves no scratch behind. Returns the
 * directories it could not remove, each with why.
 */
export function removeAllScratchSync(): Array<{dir: string; error: Error}> {
  // First stop restores running as processes, so none writes into a directory being removed.
  killTimedProcessesSync()
  const failed: Array<{dir: string; error: Error}> = []
  for (const dir of live) {
    try {
      removeScratchSettling(dir)
    } catch (error) {
      failed.push({dir, error: error as Error})
    }
  }

  return failed
}

// Whole passes over a directory that is still filling (see removeScratchSettling): pauses of
// 20, 40, … 200 ms between them, and within each pass rmSync's own 3 retries of its last rmdir
// (100, 200, 300 ms): up to ~11 s in all for writes in flight to finish.
const SETTLING_PASSES = 14

/**
 * Remove `dir` where a file may still land in it: this thread's reads and writes already handed
 * to libuv's pool finish on their own while this thread is blocked. rmSync retries only the last
 * rmdir, never listing again (Node 20, internal/fs/rimraf.js), so a file renamed in after its
 * listing failed it with ENOTEMPTY; each pass here lists again, after a pause for them to finish.
 */
export function removeScratchSettling(dir: string): void {
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (let pass = 1; ; pass++) {
    try {
      removeScratch(dir)
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || pass === SETTLING_PASSES) throw error
      Atomics.wait(pause, 0, 0, Math.min(200, 20 * pass))
    }
  }
}
