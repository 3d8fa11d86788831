import {copyFile, mkdir, rename, rm} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import {dirname, isAbsolute, join, relative, resolve} from 'node:path'

import {fsyncFile} from '../fs/atomic.js'

/** Where bad files go unless told otherwise: beside `catalog/` and `library/`, where RCC never looks. */
export function defaultQuarantineDir(root: string): string {
  return join(root, 'quarantine')
}

/**
 * Move a file out of the library into `quarantineDir`, keeping its path relative to the library
 * root (so `library/ab/cd/ef/<digest>` lands at `<quarantine>/library/ab/cd/ef/<digest>`). Nothing
 * is overwritten: a name already taken gets a `.N` suffix. Across filesystems it is copied,
 * synced, then removed. Returns where it went.
 */
export async function quarantineFile(root: string, path: string, quarantineDir: string): Promise<string> {
  const rel = relative(resolve(root), resolve(path))
  const inside = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : join('outside', resolve(path))
  let dest = join(quarantineDir, inside)
  for (let n = 1; existsSync(dest); n++) dest = `${join(quarantineDir, inside)}.${n}`
  await mkdir(dirname(dest), {recursive: true})
  try {
    await rename(path, dest)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error
    await copyFile(path, dest)
    await fsyncFile(dest)
    await rm(path)
  }

  return dest
}
