import {Flags} from '@oclif/core'

import {HoloCommand} from '../cli/base-command.js'
import {sayInterrupted} from '../cli/interruption.js'
import {STOPPING_MESSAGE, interruptedMessage, stoppedAtOnceMessage} from '../cli/migrate-interrupt.js'
import {ZSTD_HELP, zstdWarning, zstdWayBack} from '../cli/rcc-compat.js'
import {describeHolders} from '../engine/fs/lock.js'
import {MigrateInterrupted, TARGET_CODECS, migrate} from '../engine/migrate/index.js'
import type {MigrateResult, OnCorrupt, TargetCodec} from '../engine/migrate/index.js'
import type {Durability} from '../engine/migrate/index.js'
import type {ZstdBackend} from '../engine/types.js'

export default class Migrate extends HoloCommand {
  static override summary = 'Recompress (and re-key) every file and catalog of a hololib in place, crash-safely.'
  static override description = `Every library file is read, decompressed and hashed; only a file whose content hashes to its name is rewritten, to a temp file beside it that is made durable and renamed over it, so a restore running meanwhile always reads complete files. Files already in the target format are skipped, so a second run changes nothing, and an interrupted run (even kill -9) is finished by running it again.

Moving to or from none changes the digest algorithm (SHA-256 <-> SipHash-128, as RCC does): files are written under their new names first, then each catalog is swapped atomically, then the compress.no marker is flipped, and only then are the old files no catalog names removed. Catalogs stay compressed (gzip for none and gzip, zstd for zstd), as RCC expects.

A corrupt file is reported (and left, or moved to the quarantine with --on-corrupt quarantine), never rewritten; the migration goes on and exits 1. When the disk fills, the file being written keeps its original and the run stops with ENOSPC. Leave RCC alone while it runs (as for rcc holotree check). Ctrl-C stops it safely: the files in progress are finished and committed, then it says how many files were kept and how to finish (exit 130); a second Ctrl-C stops at once, which is safe too.

${ZSTD_HELP}`

  static override examples = [
    {
      description: 'Migrate the libraries the lift examples write. On a fresh clone, first run `holobench generate --scenario small --out ./trees`, then the `holobench lift --help` examples.',
      command: '<%= config.bin %> <%= command.id %> --library ./hololib-gzip --to zstd',
    },
    '<%= config.bin %> <%= command.id %> --library ./hololib --to none --dry-run',
    '<%= config.bin %> <%= command.id %> --library ./hololib --to gzip --on-corrupt quarantine --json',
  ]

  static override flags = {
    wait: Flags.boolean({description: 'wait while another holobench process holds the library (--no-wait: fail at once, exit 1)', allowNo: true, default: true}),
    library: Flags.string({char: 'l', description: 'hololib root (holds catalog/ and library/)', required: true}),
    to: Flags.option({char: 't', description: 'target storage: zstd, gzip, or none (raw, SipHash-128 names, compress.no)', options: TARGET_CODECS, required: true})(),
    'dry-run': Flags.boolean({description: 'report what would change (files, bytes now, estimated bytes after) and write nothing'}),
    jobs: Flags.integer({char: 'j', description: 'worker threads (default: one per core)', min: 1}),
    level: Flags.integer({description: 'compression level for library files (default 1, as RCC writes gzip and zstd)'}),
    'zstd-backend': Flags.option({description: 'zstd implementation', options: ['auto', 'napi', 'zlib'] as const, default: 'auto'})(),
    'on-corrupt': Flags.option({description: 'what to do with a file that does not verify', options: ['report', 'quarantine'] as const, default: 'report'})(),
    quarantine: Flags.string({description: 'quarantine folder (default: <library>/quarantine)'}),
    'no-fsync': Flags.boolean({description: 'do not make rewritten files durable before they replace the originals (faster; safe against a killed process, not a power cut)'}),
    durability: Flags.option({description: 'how rewritten files are made durable before they replace the originals: auto (syncfs in batches where `sync -f` works, else fsync), syncfs, fsync (each file), none', options: ['auto', 'syncfs', 'fsync', 'none'] as const, default: 'auto'})(),
  }

  async run(): Promise<MigrateResult> {
    const {flags} = await this.parse(Migrate)
    if (flags.to === 'zstd' && !flags['dry-run']) {
      this.warn(zstdWarning(flags.library))
      this.logToStderr(zstdWayBack(flags.library))
    }
    // Ctrl-C: the files in progress are finished and committed, then say what was kept and how
    // to finish. A second signal ends the process at once, by that signal, as a kill would
    // (stopping anywhere is safe; process.exit could abort under running worker threads).
    const controller = new AbortController()
    const onSignal = (signal: NodeJS.Signals) => {
      if (!controller.signal.aborted) {
        controller.abort()
        this.logToStderr(STOPPING_MESSAGE)
        return
      }

      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      sayInterrupted(stoppedAtOnceMessage(flags.library, flags.to), this.jsonEnabled())
      process.kill(process.pid, signal)
    }

    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    let result: MigrateResult
    try {
      result = await migrate({
        library: flags.library,
        to: flags.to as TargetCodec,
        dryRun: flags['dry-run'],
        jobs: flags.jobs,
        level: flags.level,
        zstdBackend: flags['zstd-backend'] as ZstdBackend | 'auto',
        onCorrupt: flags['on-corrupt'] as OnCorrupt,
        quarantine: flags.quarantine,
        durability: flags['no-fsync'] ? 'none' : (flags.durability as Durability | 'auto'),
        wait: flags.wait,
        onWait: (what, holders) => this.logToStderr(`waiting: ${what} is in use by ${describeHolders(holders)}`),
        onProgress: this.progress('migrate'),
        signal: controller.signal,
      })
    } catch (error) {
      if (!(error instanceof MigrateInterrupted)) throw error
      this.stopProgress('interrupted')
      const message = interruptedMessage(flags.library, flags.to, error)
      // The exit is the signal's (130); under --json one small object says what was kept.
      process.exitCode = 130
      if (this.jsonEnabled()) this.logJson({error: {code: error.code, message, exit: 130, phase: error.phase, files: error.files, catalogs: error.catalogs}})
      else this.logToStderr(message)
      return undefined as unknown as MigrateResult
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }

    this.stopProgress()
    this.log(summary(result))
    for (const bad of result.corrupt) this.logToStderr(`${bad.action === 'quarantined' ? 'quarantined' : 'left'}: ${bad.code}: ${bad.message}`)
    for (const catalog of result.catalogs.unreadable) this.logToStderr(`catalog not migrated (unreadable, kept as it is): ${catalog.code}: ${catalog.message}`)
    for (const change of result.catalogChanges.filter((c) => c.action === 'failed')) {
      this.logToStderr(`catalog not migrated (needs ${change.unmapped.length} missing or corrupt file(s)): ${change.path}`)
    }

    if (result.files.failed > 0 || result.catalogs.failed > 0) process.exitCode = 1
    return result
  }
}

/** The text summary: `stored after/before` is bytesAfter ÷ bytesBefore (inspect's `ratio` is raw ÷ stored). */
export function summary(r: MigrateResult): string {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`
  const verb = r.dryRun ? 'would migrate' : 'migrated'
  const lines = [
    `${r.library} -> ${r.to}${r.dryRun ? ' (dry run: nothing written)' : ''}${r.resumed ? ` (resumed a migration to ${r.resumed.to} from ${r.resumed.startedAt})` : ''}`,
    `files: ${r.files.total}, ${verb} ${r.files.migrated}${r.files.rekeyed ? ` (${r.files.rekeyed} re-keyed)` : ''}, skipped ${r.files.skipped}, failed ${r.files.failed}${r.files.removed ? `, old names removed ${r.files.removed}` : ''}`,
    `catalogs: ${r.catalogs.total}, ${r.dryRun ? 'would rewrite' : 'rewritten'} ${r.catalogs.rewritten}, unchanged ${r.catalogs.unchanged}, failed ${r.catalogs.failed}`,
    `bytes: ${mb(r.bytesBefore)} -> ${r.estimated ? '~' : ''}${mb(r.bytesAfter)} (stored after/before ${r.storedAfterOverBefore.toFixed(3)})`,
    `time: ${r.seconds.toFixed(2)} s, ${mb(r.rawBytes)} uncompressed at ${mb(r.throughput)}/s; durability ${r.durability}`,
  ]
  if (r.leftoversRemoved) lines.push(`temp files ${r.dryRun ? 'to remove' : 'removed'}: ${r.leftoversRemoved}`)
  return lines.join('\n')
}
