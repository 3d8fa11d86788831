import {basename, resolve} from 'node:path'

import {describeHolders} from '../engine/fs/lock.js'
import {lift} from '../engine/lift.js'
import type {LiftResult} from '../engine/lift.js'
import type {CodecName, ZstdBackend} from '../engine/types.js'
import {type CommandIo, throwHandedOver} from './command-io.js'
import {identityWarning} from './identity-check.js'
import {zstdWarning, zstdWayBack} from './rcc-compat.js'

/** `holobench lift`'s flags, as parsed (by oclif, or the fast path). */
export interface LiftFlags {
  library: string
  codec: string
  level?: number
  identity?: string
  jobs?: number
  'zstd-backend': string
  'rcc-excludes': boolean
  'no-fsync': boolean
  wait?: boolean
}

/** The body of `holobench lift` (after the tree to lift is known), shared by the oclif command and the fast path. */
export async function runLift(source: string, flags: LiftFlags, io: CommandIo): Promise<LiftResult> {
  throwHandedOver()
  const result = await lift({
    source,
    library: flags.library,
    codec: flags.codec as CodecName,
    level: flags.level,
    identity: flags.identity,
    jobs: flags.jobs,
    zstdBackend: flags['zstd-backend'] as ZstdBackend | 'auto',
    fsync: !flags['no-fsync'],
    rccExcludes: flags['rcc-excludes'],
    wait: flags.wait !== false,
    onProgress: io.progress('lift'),
    onWait: (what, holders) => io.logToStderr(`waiting: ${what} is in use by ${describeHolders(holders)}`),
  })
  io.stopProgress()
  io.log(result.catalog)
  if (flags.codec === 'zstd') {
    await io.warn(zstdWarning(flags.library))
    io.logToStderr(zstdWayBack(flags.library))
  }
  // A short or word-like identity (`python3.11`) also matches ordinary text: say so when it did.
  const identity = flags.identity ?? basename(resolve(source))
  const suspicious = result.relocatedFiles > 0 ? identityWarning(identity, flags.identity === undefined ? "the lifted directory's name" : '--identity') : undefined
  if (suspicious) await io.warn(`${result.relocatedFiles} ${result.relocatedFiles === 1 ? 'file was' : 'files were'} marked relocated: ${suspicious}`)
  for (const skipped of result.skipped) await io.warn(`skipped ${skipped.path}: ${skipped.reason}`)
  for (const replaced of result.replaced) await io.warn(`library file ${replaced.path} ${replaced.reason}: stored it again`)
  io.logToStderr(
    `${result.files} file${result.files === 1 ? '' : 's'} (${(result.bytes / 1e6).toFixed(1)} MB), ${result.filesStored} stored, ${result.filesDeduplicated} already present, ` +
      `${result.relocatedFiles} with relocations, ${result.symlinks} symlink${result.symlinks === 1 ? '' : 's'}, ${result.seconds.toFixed(2)} s`,
  )
  return result
}
