import {execFile} from 'node:child_process'
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {runOnWorkers} from '../engine/restore/pool.js'
import type {RestoreSettings, RestoreTask} from '../engine/restore/types.js'

const run = promisify(execFile)

// A plain copy needs none of a restore's settings; the workers only read `op`-relevant fields.
const PLAIN: RestoreSettings = {verify: false, eligible: 'copy', fresh: true, relocationTo: new Uint8Array(0), umask: 0}

/** What a floor copy does, listed once (as a restore has its catalog before it starts). */
export interface FloorPlan {
  source: string
  dirs: string[]
  files: Array<{rel: string; size: number; perm: number}>
  links: Array<{rel: string; target: string}>
}

export async function planFloor(source: string): Promise<FloorPlan> {
  const plan: FloorPlan = {source, dirs: [], files: [], links: []}
  // readdir lists parents before their children.
  for (const entry of await fsp.readdir(source, {recursive: true, withFileTypes: true})) {
    const rel = join(entry.parentPath.slice(source.length), entry.name)
    if (entry.isSymbolicLink()) plan.links.push({rel, target: await fsp.readlink(join(source, rel))})
    else if (entry.isDirectory()) plan.dirs.push(rel)
    else if (entry.isFile()) {
      const stats = await fsp.stat(join(source, rel))
      plan.files.push({rel, size: stats.size, perm: stats.mode & 0o7777})
    }
  }

  return plan
}

/**
 * The floor: a plain recursive copy of the uncompressed tree on the scratch filesystem, on the
 * same worker threads and I/O calls a restore uses (a warm one: see restoreLanes), without library, codec, hashing or catalog:
 * what the fastest restore possible in this process costs.
 */
export async function floorCopy(plan: FloorPlan, target: string, workers: number): Promise<void> {
  await fsp.mkdir(target, {recursive: true})
  for (const rel of plan.dirs) await fsp.mkdir(join(target, rel))
  const tasks = plan.files.map((f): RestoreTask => ({path: join(target, f.rel), rel: f.rel, source: join(plan.source, f.rel), size: f.size, perm: f.perm, digest: '', rewrite: [], unchanged: false}))
  await runOnWorkers(tasks, PLAIN, {workers, op: 'copy', local: false})
  for (const link of plan.links) await fsp.symlink(link.target, join(target, link.rel))
}

/** `cp -a --reflink=never`: the coreutils copy, process start included. */
export async function cpCopy(source: string, target: string): Promise<void> {
  await run('cp', ['-a', '--reflink=never', source, target])
}
