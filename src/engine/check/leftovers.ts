import {promises as fsp} from 'node:fs'

import {isTempName} from '../fs/atomic.js'

/**
 * A temp file an interrupted write left behind: holobench's (`.<name>.tmp-<pid>-<hex>`, made by
 * fs/atomic.ts tempPathFor) or RCC's (`<name>.part#N`). Readers never open them; they only
 * take space.
 */
export interface Leftover {
  path: string
  kind: 'holobench' | 'rcc'
  /** The writer is gone (holobench temps name their pid). RCC's parts cannot tell, so they count as stale. */
  stale: boolean
}

const RCC_PART = /\.part#\d+$/

export function classifyLeftover(path: string, name: string): Leftover | undefined {
  if (isTempName(name)) return {path, kind: 'holobench', stale: !processAlive(tempPid(name))}
  if (RCC_PART.test(name)) return {path, kind: 'rcc', stale: true}
  return undefined
}

function tempPid(name: string): number {
  const match = /\.tmp-(\d+)-[0-9a-f]{8}$/.exec(name)
  return match ? Number(match[1]) : 0
}

/** Signal 0 tests for a process without touching it: ESRCH means it is gone. */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Remove leftovers; a file already gone counts as removed. Returns the paths removed. */
export async function removeLeftovers(leftovers: Leftover[]): Promise<string[]> {
  const removed: string[] = []
  for (const leftover of leftovers) {
    await fsp.rm(leftover.path, {force: true})
    removed.push(leftover.path)
  }

  return removed
}
