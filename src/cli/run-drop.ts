import {drop} from '../engine/drop.js'
import {describeHolders} from '../engine/fs/lock.js'
import type {DropResult} from '../engine/drop.js'
import type {GzipBackend} from '../engine/codec/index.js'
import type {Strategy} from '../engine/strategy.js'
import type {ZstdBackend} from '../engine/types.js'
import {type CommandIo, throwHandedOver} from './command-io.js'

/** `holobench drop`'s flags, as parsed (by oclif, or the fast path). */
export interface DropFlags {
  library?: string
  target: string
  verify?: boolean
  strategy: string
  jobs?: number
  'zstd-backend': string
  'gzip-backend'?: string
  overwrite?: boolean
  fsync?: boolean
  wait?: boolean
  pack?: string
  'zstd-dictionary'?: string
  cache?: string
}

/** The body of `holobench drop`, shared by the oclif command and the fast path. */
export async function runDrop(catalog: string, flags: DropFlags, io: CommandIo): Promise<DropResult> {
  throwHandedOver()
  const result = await drop({
    catalog,
    library: flags.library,
    target: flags.target,
    verify: flags.verify ?? verifyFromEnvironment(),
    strategy: flags.strategy as Strategy,
    jobs: flags.jobs,
    zstdBackend: flags['zstd-backend'] as ZstdBackend | 'auto',
    gzipBackend: flags['gzip-backend'] as GzipBackend | undefined,
    overwrite: flags.overwrite === true,
    durable: flags.fsync !== false,
    wait: flags.wait !== false,
    pack: flags.pack,
    zstdDictionary: flags['zstd-dictionary'],
    cache: flags.cache,
    onProgress: io.progress('drop'),
    onWait: (what, holders) => io.logToStderr(`waiting: ${what} is in use by ${describeHolders(holders)}`),
  })
  io.stopProgress()
  const counts = Object.entries(result.strategy.counts).filter(([, n]) => n > 0).map(([how, n]) => `${how} ${n}`).join(', ')
  io.log(
    `${result.target}: ${result.written} written, ${result.skipped} unchanged, ${result.rewritten} relocated, ${result.removed} removed, ` +
      `${result.symlinks} symlink${result.symlinks === 1 ? '' : 's'}, ${(result.bytes / 1e6).toFixed(1)} MB in ${result.seconds.toFixed(3)} s ` +
      `(verify ${result.verify ? 'on' : 'off'}; ${counts || 'nothing written'}; target ${result.strategy.targetFs})`,
  )
  return result
}

/** The seed's switch: RCC_VERIFY_ON_RESTORE=false (or 0/no/off) turns verification off. */
function verifyFromEnvironment(): boolean {
  const value = process.env.RCC_VERIFY_ON_RESTORE?.trim().toLowerCase()
  return !(value === 'false' || value === '0' || value === 'no' || value === 'off')
}
