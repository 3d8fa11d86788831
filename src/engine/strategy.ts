import {constants, promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {HoloError} from './errors.js'
import {tempPathFor} from './fs/atomic.js'
import {filesystemType} from './fs/fstype.js'

/** How a restore puts an uncompressed, unrelocated library file in place. */
export type Strategy = 'auto' | 'copy' | 'reflink' | 'hardlink'
export const STRATEGIES: readonly Strategy[] = ['auto', 'copy', 'reflink', 'hardlink']
/** What a file was actually restored with. */
export type AppliedStrategy = 'copy' | 'reflink' | 'hardlink'

export interface StrategyProbe {
  requested: Strategy
  /** What eligible files (raw, no relocations) get. */
  eligible: AppliedStrategy
  targetFs: string
  libraryFs: string
}

/**
 * Decide once per restore, with the strict primitive, what eligible files get. `auto` clones
 * where the target filesystem can and copies otherwise; an explicit reflink or hardlink that
 * cannot work is an error, never a silent copy.
 */
export async function probeStrategy(requested: Strategy, sampleLibraryFile: string | undefined, targetDir: string, libraryDir: string, probeName?: string): Promise<StrategyProbe> {
  const [targetFs, libraryFs] = await Promise.all([filesystemType(targetDir), filesystemType(libraryDir)])
  const base = {requested, targetFs, libraryFs}
  if (requested === 'copy' || sampleLibraryFile === undefined) return {...base, eligible: 'copy'}
  // In a target, drop names the probe so that no catalog name can be it (restore/part-name.ts).
  const probe = probeName ? join(targetDir, probeName) : tempPathFor(join(targetDir, 'strategy-probe'))
  try {
    if (requested === 'hardlink') {
      await fsp.link(sampleLibraryFile, probe)
      return {...base, eligible: 'hardlink'}
    }

    await fsp.copyFile(sampleLibraryFile, probe, constants.COPYFILE_FICLONE_FORCE)
    return {...base, eligible: 'reflink'}
  } catch (error) {
    // The sample's inode is at the link limit: hard links work here, that file gets a copy.
    if (requested === 'hardlink' && (error as NodeJS.ErrnoException).code === 'EMLINK') return {...base, eligible: 'hardlink'}
    if (requested === 'auto') return {...base, eligible: 'copy'}
    const how = requested === 'hardlink' ? 'hard-link library files' : 'clone (reflink) files'
    const errno = (error as NodeJS.ErrnoException).code
    // Hard links never cross file systems, whatever kind they are; clones need one that can clone.
    const advice =
      requested === 'hardlink'
        ? errno === 'EXDEV'
          ? 'hard links need the library and the target on one file system: restore into a target on the same file system as the library, or use --strategy copy or auto'
          : 'use --strategy copy or auto'
        : 'use --strategy copy or auto, or a target on a file system that clones (XFS with reflink, Btrfs), with the library on the same one'
    throw new HoloError(
      'ENOTSUP_STRATEGY',
      `Cannot ${how} from ${libraryDir} (${libraryFs}) into ${targetDir} (${targetFs}): ${(error as Error).message}. ${advice[0].toUpperCase()}${advice.slice(1)}.`,
      {path: targetDir, cause: error, data: {targetFs, libraryFs}},
    )
  } finally {
    await fsp.rm(probe, {force: true})
  }
}
