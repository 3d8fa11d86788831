import {lstatSync, promises as fsp, statSync} from 'node:fs'
import type {Stats} from 'node:fs'

import {RESTORED_MTIME} from './types.js'
import type {RestoreTask} from './types.js'

/**
 * Whether a file the previous restore recorded with the same digest (`task.unchanged`) can be
 * kept. RCC keeps it when its name, size and mode match (htfs/functions.go RestoreDirectory,
 * File.Match): an edit that keeps the size is never repaired. Every restore sets RCC's fixed
 * time (RESTORED_MTIME), so a file whose mtime is another was written since; holobench rewrites
 * it. A hard link into the library keeps the library file's times: it is kept while it is that
 * very file. Same lstat as RCC's test; a second stat only for a hard-linked file.
 */
export function isUnchangedSync(task: RestoreTask): boolean {
  let stats: Stats
  try {
    stats = lstatSync(task.path)
  } catch {
    return false
  }

  if (!matches(stats, task)) return false
  if (stats.mtimeMs === RESTORED_MTIME * 1000) return true
  if (stats.nlink < 2) return false
  const source = statSync(task.source, {throwIfNoEntry: false})
  return source !== undefined && source.ino === stats.ino && source.dev === stats.dev
}

/** The same test for the big files restored on the main thread (always copies, never links). */
export async function isUnchanged(task: RestoreTask): Promise<boolean> {
  const stats = await fsp.lstat(task.path).catch(() => null)
  return stats !== null && matches(stats, task) && stats.mtimeMs === RESTORED_MTIME * 1000
}

function matches(stats: Stats, task: RestoreTask): boolean {
  return stats.isFile() && stats.size === task.size && (stats.mode & 0o7777) === task.perm
}
