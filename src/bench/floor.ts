import {execFile} from 'node:child_process'
import {promises as fsp} from 'node:fs'
import {promisify} from 'node:util'

const run = promisify(execFile)

/**
 * The floor: a plain recursive copy of the uncompressed tree, what the fastest possible restore
 * costs here. `cp -a --reflink=never` (coreutils) so a CoW filesystem does not turn it into a
 * clone; Node's fs.cp where there is no GNU cp.
 */
export async function floorCopy(source: string, target: string): Promise<void> {
  try {
    await run('cp', ['-a', '--reflink=never', source, target])
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    await fsp.cp(source, target, {recursive: true, preserveTimestamps: true, verbatimSymlinks: true})
  }
}
