import {availableParallelism} from 'node:os'
import {resolve} from 'node:path'

import {defaultQuarantineDir} from '../check/quarantine.js'
import {HoloError} from '../errors.js'
import type {LockHolder} from '../fs/lock.js'
import type {ProgressCallback, ZstdBackend} from '../types.js'
import type {CatalogChange} from './catalogs.js'
import type {Durability} from './commit.js'
import {TARGET_CODECS} from './file-task.js'
import type {TargetCodec} from './file-task.js'

export type OnCorrupt = 'report' | 'quarantine'

export interface MigrateOptions {
  /** The hololib root (holds catalog/ and library/). */
  library: string
  to: TargetCodec
  /** Report what would change, with estimated sizes, and write nothing. */
  dryRun?: boolean
  /** Worker threads for files that fit in memory; default: one per core. */
  jobs?: number
  /** Compression level for library files; default 1 (RCC's gzip BestSpeed, zstd SpeedFastest). */
  level?: number
  zstdBackend?: ZstdBackend | 'auto'
  /** A file whose content does not match its name: left where it is (report), or moved to the quarantine. */
  onCorrupt?: OnCorrupt
  /** Quarantine folder; default `<library>/quarantine`. */
  quarantine?: string
  /** Make each rewritten file durable before it replaces the original; default true. */
  fsync?: boolean
  /**
   * How (see commit.ts): auto (syncfs where `sync -f` works, else fsync), or one of them; none is
   * what `fsync: false` means.
   */
  durability?: Durability | 'auto'
  onProgress?: ProgressCallback
  /** Wait while other holobench processes hold the library (default); false: fail at once with ELOCKED. */
  wait?: boolean
  /** Called once when other holobench processes hold the library and this migration waits. */
  onWait?: (what: string, holders: LockHolder[]) => void
  /**
   * Stop early (Ctrl-C): no file or catalog is started after it fires; the files in progress
   * finish and are committed, and the migration rejects with MigrateInterrupted. The library is
   * then as a run killed at that point leaves it (journal kept), and a rerun finishes the job.
   */
  signal?: AbortSignal
}

/** A migration stopped by its `signal`: what was done, for the message that says so. */
export class MigrateInterrupted extends HoloError {
  constructor(
    /** The step it stopped in. */
    readonly phase: 'files' | 'catalogs',
    /** Library files now in the target format (converted by this run, or already), and all of them. */
    readonly files: {done: number; total: number},
    /** Catalogs rewritten by this run, and all of them. */
    readonly catalogs: {done: number; total: number},
  ) {
    super('EINTERRUPTED', `migrate interrupted in the ${phase} step: ${files.done} of ${files.total} library files are in the target format and kept; a rerun finishes the job`)
  }
}

/** Options after checking and defaulting, once, at the entry point. */
export interface MigrateSettings {
  root: string
  to: TargetCodec
  dryRun: boolean
  workers: number
  level?: number
  zstdBackend: ZstdBackend | 'auto'
  onCorrupt: OnCorrupt
  quarantine: string
  durability: Durability | 'auto'
  onProgress?: ProgressCallback
  signal?: AbortSignal
}

export function normalizeOptions(options: MigrateOptions): MigrateSettings {
  if (!TARGET_CODECS.includes(options.to)) throw new HoloError('EUSAGE', `--to must be one of ${TARGET_CODECS.join(', ')}, got ${JSON.stringify(options.to)}`)
  if (options.level !== undefined && options.to === 'none') throw new HoloError('EUSAGE', '--level has no meaning with --to none (files are stored raw)')
  if (options.level !== undefined) {
    const [min, max] = options.to === 'zstd' ? [-131072, 22] : [0, 9]
    if (!Number.isInteger(options.level) || options.level < min || options.level > max) throw new HoloError('EUSAGE', `${options.to} level must be an integer from ${min} to ${max}, got ${options.level}`)
  }

  if (options.durability !== undefined && !['auto', 'syncfs', 'fsync', 'none'].includes(options.durability)) throw new HoloError('EUSAGE', `durability must be auto, syncfs, fsync or none, got ${JSON.stringify(options.durability)}`)
  if (options.jobs !== undefined && (!Number.isInteger(options.jobs) || options.jobs < 1)) throw new HoloError('EUSAGE', `--jobs must be a positive integer, got ${options.jobs}`)
  const root = resolve(options.library)
  return {
    root,
    to: options.to,
    dryRun: options.dryRun === true,
    workers: options.jobs ?? Math.max(1, availableParallelism()),
    level: options.level,
    zstdBackend: options.zstdBackend ?? 'auto',
    onCorrupt: options.onCorrupt ?? 'report',
    quarantine: resolve(options.quarantine ?? defaultQuarantineDir(root)),
    durability: options.fsync === false ? 'none' : (options.durability ?? 'auto'),
    onProgress: options.onProgress,
    signal: options.signal,
  }
}

/** A library file that did not verify: never rewritten, never propagated. */
export interface CorruptFile {
  path: string
  digest: string
  /** ECORRUPT (cannot be decompressed), EINTEGRITY (wrong content) or EMISSING (vanished). */
  code: string
  message: string
  action: 'left' | 'quarantined'
  quarantinedTo?: string
}

export interface MigrateResult {
  library: string
  to: TargetCodec
  dryRun: boolean
  durability: Durability
  /** The digest algorithm changes for some files (to or from `none`). */
  rekey: boolean
  /** An interrupted migration's journal was found and taken over. */
  resumed: {to: TargetCodec; startedAt: string} | null
  files: {
    total: number
    /** Rewritten (recompressed in place, or re-keyed under a new name). */
    migrated: number
    /** Of the migrated, those re-keyed. */
    rekeyed: number
    /** Already in the target format. */
    skipped: number
    /** Corrupt or vanished: reported, left or quarantined. */
    failed: number
    /** Old-algorithm files removed after every catalog moved to the new names. */
    removed: number
  }
  catalogs: {
    total: number
    rewritten: number
    unchanged: number
    failed: number
    /** Catalogs that could not be read (kept as they are), each with the reason, naming the entry. */
    unreadable: Array<{path: string; code: string; message: string}>
  }
  /** Stored bytes of the library files, before and after (estimated in a dry run). */
  bytesBefore: number
  bytesAfter: number
  estimated: boolean
  /** Uncompressed bytes of the files migrated. */
  rawBytes: number
  /**
   * bytesAfter / bytesBefore: below 1 the library shrank. Not named `ratio`, which in inspect and
   * check means raw ÷ stored bytes.
   */
  storedAfterOverBefore: number
  /** rawBytes per second of the file phase. */
  throughput: number
  seconds: number
  marker: {before: boolean; after: boolean}
  /** Temp files of interrupted writes removed (a dry run only counts them). */
  leftoversRemoved: number
  corrupt: CorruptFile[]
  catalogChanges: CatalogChange[]
  phases: Array<{name: string; seconds: number}>
}
