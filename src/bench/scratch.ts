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

/** Synchronous, for signal handlers: an interrupted run leaves no scratch behind. */
export function removeAllScratchSync(): void {
  // First stop restores running as processes, so none writes into a directory being removed.
  killTimedProcessesSync()
  for (const dir of live) removeScratch(dir)
}
