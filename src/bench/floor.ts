import {execFile} from 'node:child_process'
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {runOnWorkers} from '../engine/restore/pool.js'
import type {RestoreSettings, RestoreTask} from '../engine/restore/types.js'

const run = promisify(execFile)

// A plain copy needs none of a restore's settings; the workers only read `op`-relevant fields.
const PLAIN: RestoreSettings = {verify: false, eligible: 'copy', fresh: true, relocationTo: new Uint8Array(0), umask: 0}

/**
 * The floor: a plain recursive copy of the uncompressed tree on the scratch filesystem, on the
 * same worker threads and I/O calls a restore uses, without library, codec, hashing or catalog:
 * what the fastest restore possible in this process costs.
 */
export async function floorCopy(source: string, target: string, workers: number): Promise<void> {
  const entries = await fsp.readdir(source, {recursive: true, withFileTypes: true})
  await fsp.mkdir(target, {recursive: true})
  const tasks: RestoreTask[] = []
  const links: string[] = []
  // readdir lists parents before their children.
  for (const entry of entries) {
    const rel = join(entry.parentPath.slice(source.length), entry.name)
    if (entry.isSymbolicLink()) links.push(rel)
    else if (entry.isDirectory()) await fsp.mkdir(join(target, rel))
    else if (entry.isFile()) {
      const stats = await fsp.stat(join(source, rel))
      tasks.push({path: join(target, rel), rel, source: join(source, rel), size: stats.size, perm: stats.mode & 0o7777, digest: '', rewrite: [], unchanged: false})
    }
  }

  await runOnWorkers(tasks, PLAIN, {workers, op: 'copy'})
  for (const rel of links) await fsp.symlink(await fsp.readlink(join(source, rel)), join(target, rel))
}

/** `cp -a --reflink=never`: the coreutils copy, process start included. */
export async function cpCopy(source: string, target: string): Promise<void> {
  await run('cp', ['-a', '--reflink=never', source, target])
}
