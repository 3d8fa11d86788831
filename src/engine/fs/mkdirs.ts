import {promises as fsp} from 'node:fs'
import {dirname} from 'node:path'

import {explainSystemError} from '../errors.js'

/**
 * `mkdir -p` whose failure says what happened. Node's recursive mkdir reports the first
 * missing ancestor's ENOENT when the real cause is a read-only file system (EROFS) or a
 * permission (EACCES) above it; here the first directory that cannot be made is retried alone
 * so the system's own reason, and that directory, are named. `what` names the directory's role
 * ("the target", "the hololib").
 */
export async function makeDirectories(path: string, what: string, mode?: number): Promise<void> {
  try {
    await fsp.mkdir(path, {recursive: true, mode})
  } catch (error) {
    throw explainSystemError(await realCause(path, error), `Cannot create ${what}`, path)
  }
}

async function realCause(path: string, error: unknown): Promise<unknown> {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return error
  let missing = path
  for (let parent = dirname(missing); parent !== missing; missing = parent, parent = dirname(parent)) {
    if (await fsp.lstat(parent).then(() => true, () => false)) break
  }

  try {
    await fsp.mkdir(missing)
    await fsp.rmdir(missing) // it could be made after all: leave nothing behind
    return error
  } catch (real) {
    return real
  }
}
