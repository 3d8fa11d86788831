import {existsSync, promises as fsp} from 'node:fs'
import {basename, dirname, join, sep} from 'node:path'

import {HoloError} from './errors.js'
import {libraryLayout} from './library.js'

/**
 * `<target>.holobench-restoring`: beside a target while a drop changes it. With `<target>.meta`
 * (RCC's record of a finished restore) it is what makes a target holobench's: a drop killed
 * half-way leaves it, so the rerun may finish the job.
 */
export const RESTORING_SUFFIX = '.holobench-restoring'

/**
 * A drop replaces its target's contents, so the library and the catalog (and every directory
 * holding them) can never be a target, and nothing inside the library's `library/` and
 * `catalog/` can be one either, with or without `overwrite`. Paths are compared after resolving links, so `--target .` from inside
 * the library's parent, or a link to it, is caught as well. Errors: EUSAGE naming both paths.
 */
export async function assertTargetOutsideLibrary(target: string, library: string, catalog: string): Promise<void> {
  const real = await realPathOf(target)
  const kept = [
    {path: await realPathOf(library), what: 'the library'},
    {path: await realPathOf(catalog), what: 'the catalog'},
  ]
  for (const {path, what} of kept) {
    if (real === path || isInside(path, real)) {
      throw new HoloError('EUSAGE', `Refusing to restore into ${target}: it ${real === path ? 'is' : 'holds'} ${what} (${path}), which a restore would delete. Choose another --target.`, {path: target})
    }
  }

  // Only RCC's two directories: a catalog kept outside any library makes its "library" a mere parent.
  const {libraryDir, catalogDir} = libraryLayout(kept[0].path)
  if (isInside(real, libraryDir) || isInside(real, catalogDir)) {
    throw new HoloError('EUSAGE', `Refusing to restore into ${target}: it lies inside the library ${kept[0].path}. Choose a --target outside it.`, {path: target})
  }
}

/**
 * A drop owns only what it restored: a non-empty target must carry `<target>.meta` (a finished
 * restore, holobench's or RCC's) or `<target>.holobench-restoring` (an interrupted one), unless
 * `overwrite`. A target that is not a directory is refused always. Errors: EUSAGE.
 */
export async function assertTargetOwned(target: string, overwrite: boolean): Promise<void> {
  const stats = await fsp.stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (!stats) return
  if (!stats.isDirectory()) throw new HoloError('EUSAGE', `Cannot restore into ${target}: it is not a directory`, {path: target})
  if ((await fsp.readdir(target)).length === 0 || overwrite) return
  if (existsSync(`${target}.meta`) || existsSync(`${target}${RESTORING_SUFFIX}`)) return
  throw new HoloError(
    'EUSAGE',
    `Refusing to restore into ${target}: it is not empty and has no record of an earlier restore (${basename(target)}.meta beside it), so its files are not holobench's to replace. Choose an empty or new --target, or pass --overwrite to delete what the catalog does not name.`,
    {path: target},
  )
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
async function realPathOf(path: string): Promise<string> {
  const rest: string[] = []
  let at = path
  for (;;) {
    try {
      return join(await fsp.realpath(at), ...rest.reverse())
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw error
      rest.push(basename(at))
      at = dirname(at)
    }
  }
}

/** `child` lies strictly below `parent`. */
function isInside(child: string, parent: string): boolean {
  return child.startsWith(parent.endsWith(sep) ? parent : parent + sep)
}
