import {promises as fsp} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {processAlive} from '../check/leftovers.js'
import {fsyncDir, writeFileAtomic} from '../fs/atomic.js'
import {processStartTime} from '../fs/lock.js'
import type {TargetCodec} from './file-task.js'

/**
 * `<hololib>/.holobench-migrate.json`: written before a migration changes anything, removed when
 * it is done. It tells a later run (and `holobench check`) that a migration was interrupted and
 * to what target. It is not a lock: the library's lock (fs/lock.ts), taken before it is read,
 * keeps migrations, lifts and drops apart. It lives in the library
 * root, outside `catalog/` (RCC's glob `[0-9a-f]*v12.*` could never match it anyway).
 *
 * The journal is not needed to finish the job: every step of a migration can be read back from
 * the library itself (file names say their algorithm, catalogs their digests), so a resumed run
 * works out what is left from the library, whatever target the interrupted run had.
 */
export const JOURNAL_NAME = '.holobench-migrate.json'

export interface Journal {
  tool: 'holobench migrate'
  version: 1
  to: TargetCodec
  pid: number
  /** The process's start time (/proc/<pid>/stat field 22), so a reused pid is not taken for it. */
  pidStart?: number
  host: string
  startedAt: string
}

export function journalPath(root: string): string {
  return join(root, JOURNAL_NAME)
}

export async function readJournal(root: string): Promise<Journal | undefined> {
  try {
    const parsed = JSON.parse(await fsp.readFile(journalPath(root), 'utf8')) as Partial<Journal>
    if (parsed.tool !== 'holobench migrate' || typeof parsed.to !== 'string') return undefined
    return parsed as Journal
  } catch {
    return undefined
  }
}

/** The journal left by a migration that is still running on this host, if any (a reused pid is not). */
export function isLive(journal: Journal): boolean {
  if (journal.host !== hostname() || journal.pid === process.pid || !processAlive(journal.pid)) return false
  const start = processStartTime(journal.pid)
  return journal.pidStart === undefined || start === undefined || start === journal.pidStart
}

/**
 * Record that a migration to `to` has begun, under the library's exclusive lock. A journal left
 * by an earlier run (killed, crashed, out of space) is returned as `previous`: no live migration
 * can own it, since the lock is held.
 */
export async function beginJournal(root: string, to: TargetCodec, durable: boolean): Promise<{previous?: Journal}> {
  const previous = await readJournal(root)
  const journal: Journal = {tool: 'holobench migrate', version: 1, to, pid: process.pid, pidStart: processStartTime(process.pid), host: hostname(), startedAt: new Date().toISOString()}
  await writeFileAtomic(journalPath(root), `${JSON.stringify(journal, null, 2)}\n`, {fsync: durable})
  if (durable) await fsyncDir(root)
  return {previous}
}

export async function endJournal(root: string, durable: boolean): Promise<void> {
  await fsp.rm(journalPath(root), {force: true})
  if (durable) await fsyncDir(root)
}
