import {execFile} from 'node:child_process'
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import pMap from 'p-map'

const run = promisify(execFile)

/**
 * The floor: a plain recursive copy of the uncompressed tree on the scratch filesystem, in this
 * process with the same parallelism a restore has: no codec, no hashing, no catalog. Contents
 * are read and written (not copyFile, which XFS and Btrfs may quietly turn into a clone).
 */
export async function floorCopy(source: string, target: string, jobs: number): Promise<void> {
  const entries = await fsp.readdir(source, {recursive: true, withFileTypes: true})
  await fsp.mkdir(target, {recursive: true})
  const files: string[] = []
  const links: string[] = []
  const dirs: string[] = []
  for (const entry of entries) {
    const rel = join(entry.parentPath.slice(source.length), entry.name)
    if (entry.isSymbolicLink()) links.push(rel)
    else if (entry.isDirectory()) dirs.push(rel)
    else if (entry.isFile()) files.push(rel)
  }

  // readdir lists parents before their children.
  for (const dir of dirs) await fsp.mkdir(join(target, dir))
  await pMap(
    files,
    async (rel) => {
      const from = join(source, rel)
      const [data, stats] = await Promise.all([fsp.readFile(from), fsp.stat(from)])
      await fsp.writeFile(join(target, rel), data, {mode: stats.mode & 0o7777})
    },
    {concurrency: jobs},
  )
  for (const rel of links) await fsp.symlink(await fsp.readlink(join(source, rel)), join(target, rel))
}

/** `cp -a --reflink=never`: the coreutils copy, process start included. */
export async function cpCopy(source: string, target: string): Promise<void> {
  await run('cp', ['-a', '--reflink=never', source, target])
}
