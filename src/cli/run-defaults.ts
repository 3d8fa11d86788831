/**
 * What a first `holobench run` without flags should use to give a meaningful answer on this
 * machine: a scratch on tmpfs when there is one (on a disk, file-system metadata dominates every
 * ratio), and variants that can run there (reflink only where the scratch can clone files).
 */
import {constants, promises as fsp} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {filesystemType} from '../engine/fs/fstype.js'

/** The usual tmpfs on Linux; nothing is assumed where it is missing or not tmpfs. */
export const TMPFS_CANDIDATE = '/dev/shm'

/** Below this much free space, tmpfs is not used by default (libraries + restores of a large scenario). */
const MIN_FREE_BYTES = 2e9

export interface ScratchChoice {
  /** The scratch to pass on; undefined = the OS temp dir. */
  dir: string | undefined
  fs: string
  /** Said on stderr when the scratch is a disk. */
  warning?: string
}

/**
 * The scratch for this run: the user's --scratch if given, else /dev/shm when it is a writable
 * tmpfs with room, else the OS temp dir. A scratch that is not in memory gets a warning.
 */
export async function chooseScratch(given: string | undefined): Promise<ScratchChoice> {
  if (given) return withWarning(given, await filesystemType(given), true)
  if (await usableTmpfs(TMPFS_CANDIDATE)) return {dir: TMPFS_CANDIDATE, fs: 'tmpfs'}
  return withWarning(undefined, await filesystemType(tmpdir()), false)
}

function withWarning(dir: string | undefined, fs: string, given: boolean): ScratchChoice {
  if (fs === 'tmpfs' || fs === 'ramfs') return {dir, fs}
  const where = dir ?? `${tmpdir()} (the OS temp dir)`
  const hint = given ? 'use a tmpfs scratch for restore speed (--scratch /dev/shm), or keep this one to measure this disk' : 'no tmpfs with room was found; pass --scratch <a tmpfs directory> for a clearer answer'
  return {dir, fs, warning: `scratch ${where} is on ${fs}, a disk: file-system metadata dominates every ratio; ${hint}`}
}

async function usableTmpfs(dir: string): Promise<boolean> {
  try {
    if ((await filesystemType(dir)) !== 'tmpfs') return false
    await fsp.access(dir, constants.W_OK)
    const stats = await fsp.statfs(dir)
    return Number(stats.bavail) * Number(stats.bsize) >= MIN_FREE_BYTES
  } catch {
    return false
  }
}

/** Whether files can be cloned (reflinked) within `dir`: one tiny file, cloned, then both removed. */
export async function canClone(dir: string | undefined): Promise<boolean> {
  const probe = await fsp.mkdtemp(join(dir ?? tmpdir(), 'holobench-clone-probe-'))
  try {
    await fsp.writeFile(join(probe, 'a'), 'holobench')
    await fsp.copyFile(join(probe, 'a'), join(probe, 'b'), constants.COPYFILE_FICLONE_FORCE)
    return true
  } catch {
    return false
  } finally {
    await fsp.rm(probe, {recursive: true, force: true})
  }
}

export interface VariantChoice {
  variants: string[]
  /** One line for stderr when reflink rows were left out. */
  note?: string
}

/**
 * The default variants for this scratch: the given defaults with none-copy in, and none-reflink
 * only where the scratch clones (elsewhere it could only say "unsupported").
 */
export function runnableVariants(defaults: readonly string[], clones: boolean, fs: string): VariantChoice {
  const variants = defaults.filter((variant) => !variant.includes('-reflink'))
  const copyAt = Math.max(variants.indexOf('floor'), 0) || variants.length
  if (!variants.includes('none-copy')) variants.splice(copyAt, 0, 'none-copy')
  if (clones) {
    variants.splice(variants.indexOf('none-copy') + 1, 0, 'none-reflink')
    return {variants}
  }
  return {
    variants,
    note: `reflink rows left out: the scratch (${fs}) cannot clone files; for a copy-on-write scratch: sudo scripts/cow-scratch.sh up /mnt/holobench-cow, then run --scratch /mnt/holobench-cow`,
  }
}
