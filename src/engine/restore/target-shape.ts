import {chmodSync, existsSync, mkdirSync, promises as fsp} from 'node:fs'
import {join, sep} from 'node:path'

import {posixPermFromGo} from '../mode.js'
import {getName} from '../names.js'
import type {CatalogDir} from '../types.js'

/** A directory of the catalog and where it goes in the target. */
export interface DirPlan {
  path: string
  dir: CatalogDir
}

/** Owner read, write and search: what a restore needs on every directory it fills. */
const OWNER_RWX = 0o700

/**
 * Create every directory of the catalog as a real directory, parents first (`dirs` in that
 * order), each with owner rwx so it can be filled, whatever mode the catalog gives it (applied
 * later by `applyDirModes`). In a target that was not empty, the target's shape is made the
 * catalog's, whatever an earlier restore or the user left: anything the catalog does not name
 * is removed; a file, link or anything else where a directory belongs is replaced by one; a
 * directory where a file or link belongs is removed (so the file's rename cannot fail with
 * EISDIR); directories an earlier restore left read-only, or without search, get owner rwx
 * back. Only what lies inside the target is touched, and links are removed, never followed.
 * Returns how many entries were removed. Errors: the file system's, naming the path.
 */
export async function shapeDirs(dirs: readonly DirPlan[], fresh: boolean): Promise<number> {
  let removed = 0
  for (const [i, {path, dir}] of dirs.entries()) {
    if (fresh) {
      // Synchronous: one hop to libuv's pool per directory was ~15 ms of waiting before the
      // first file of a fresh restore (174 directories, Node 20); a mkdir itself is microseconds.
      if (i > 0) mkdirSync(path, {mode: 0o750})
      continue
    }

    const stats = await fsp.lstat(path).catch(() => null)
    if (stats && !stats.isDirectory()) {
      await fsp.rm(path, {force: true})
      removed++
    }

    if (!stats?.isDirectory()) await fsp.mkdir(path, {mode: 0o750})
    else if ((stats.mode & OWNER_RWX) !== OWNER_RWX) await fsp.chmod(path, (stats.mode & 0o7777) | OWNER_RWX)
    for (const entry of await fsp.readdir(path, {withFileTypes: true})) {
      const sub = getName(dir.subdirs, entry.name)
      const file = getName(dir.files, entry.name)
      // A directory belongs here: checked, and replaced if it is not one, on its own turn.
      if (sub && !sub.symlink) continue
      // A file or link stands where a file or link belongs: the restore replaces it by rename.
      if ((file || sub?.symlink) && !entry.isDirectory()) continue
      await removeEntry(join(path, entry.name), entry.isDirectory())
      removed++
    }
  }

  return removed
}

/**
 * Apply the catalog's directory modes once the contents are in place, deepest first: a parent
 * made read-only, or without search, first would refuse the chmod of its children. RCC creates
 * directories 0750 and never applies their modes; holobench restores them as lifted.
 */
export async function applyDirModes(dirs: readonly DirPlan[]): Promise<void> {
  const byDepth = new Map<number, DirPlan[]>()
  for (const d of dirs) {
    const depth = d.path.split(sep).length
    const level = byDepth.get(depth)
    if (level) level.push(d)
    else byDepth.set(depth, [d])
  }

  // Synchronous, as shapeDirs makes them: a chmod is microseconds, a hop to the pool is not.
  for (const depth of [...byDepth.keys()].sort((a, b) => b - a)) {
    for (const d of byDepth.get(depth) as DirPlan[]) chmodSync(d.path, posixPermFromGo(d.dir.mode))
  }
}

/**
 * A target an earlier restore left without owner rwx (its catalog's root mode) is opened up
 * again, so it can be read and changed; only when `<target>.meta` beside it says a restore
 * made it. Anything else is left as it is.
 */
export async function openRestoredTarget(target: string): Promise<void> {
  if (!existsSync(`${target}.meta`)) return
  const stats = await fsp.lstat(target).catch(() => null)
  if (stats?.isDirectory() && (stats.mode & OWNER_RWX) !== OWNER_RWX) await fsp.chmod(target, (stats.mode & 0o7777) | OWNER_RWX)
}

/**
 * Remove one entry of the target. A directory is removed with everything in it; where its owner
 * lacks rwx somewhere below (a read-only directory an earlier restore made), those directories
 * are opened up first. Links inside are removed as links (fs.rm never follows them).
 */
async function removeEntry(path: string, directory: boolean): Promise<void> {
  if (!directory) return fsp.rm(path, {force: true})
  try {
    await fsp.rm(path, {recursive: true, force: true})
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EACCES' && code !== 'EPERM') throw error
    await openUp(path)
    await fsp.rm(path, {recursive: true, force: true})
  }
}

/** Give owner rwx to `path` and every real directory below it (lstat: links are not followed). */
async function openUp(path: string): Promise<void> {
  const stats = await fsp.lstat(path)
  if (!stats.isDirectory()) return
  if ((stats.mode & OWNER_RWX) !== OWNER_RWX) await fsp.chmod(path, (stats.mode & 0o7777) | OWNER_RWX)
  for (const entry of await fsp.readdir(path, {withFileTypes: true})) {
    if (entry.isDirectory()) await openUp(join(path, entry.name))
  }
}
