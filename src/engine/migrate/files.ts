import {quarantineFile} from '../check/quarantine.js'
import type {LibraryFile} from '../check/walk.js'
import {deserializeError} from '../restore/wire.js'
import type {ProgressCallback, StoredFormat} from '../types.js'
import type {Committer} from './commit.js'
import {BUFFER_LIMIT_BYTES} from './file-task.js'
import type {FileOutcome, FileSettings, FileTask} from './file-task.js'
import {transcodeLarge} from './large.js'
import {runFileTasks} from './pool.js'
import type {CorruptFile, OnCorrupt} from './types.js'

export interface FilePhaseOptions {
  settings: FileSettings
  workers: number
  committer?: Committer
  onCorrupt: OnCorrupt
  quarantine: string
  phase: string
  onProgress?: ProgressCallback
  /** Once it fires, no new batch or big file is started; those in progress finish. */
  signal?: AbortSignal
}

/** What the file phase did, counted as outcomes came in. */
export class FilePhase {
  /** Re-key: old digest -> new digest, for every file whose content now exists under its new name. */
  readonly renames = new Map<string, string>()
  readonly corrupt: CorruptFile[] = []
  /** Content size of every file that verified, by digest (check compares catalog entries with it). */
  readonly rawSizes = new Map<string, number>()
  readonly outcomes = {verified: 0, skipped: 0, converted: 0, planned: 0, rekeyed: 0, failed: 0}
  /** How the files read were stored. */
  readonly formats: Record<StoredFormat, number> = {gzip: 0, zstd: 0, raw: 0}
  storedBytes = 0
  rawBytes = 0
  /** Stored bytes after conversion, of the files converted (or sampled, in a dry run). */
  outBytes = 0
  /** Stored bytes before, of the same files. */
  convertedStoredBytes = 0
  /** Dry run: stored bytes of files that would be converted but were not sampled. */
  plannedStoredBytes = 0
  /** New names written by this run (re-key), to remove if the run fails before any catalog names them. */
  readonly freshNames: string[] = []
  failure: Error | undefined
  seconds = 0

  private byPath = new Map<string, FileTask>()
  private done = 0
  private doneBytes = 0

  constructor(
    private readonly options: FilePhaseOptions,
    private readonly total: number,
    private readonly totalBytes: number,
  ) {}

  /** Files decided without reading them (already in the target format). */
  skipWithoutReading(file: LibraryFile): void {
    this.outcomes.skipped++
    this.tick(file.size)
  }

  /** Run every task: small ones on worker threads, big ones streamed here meanwhile. */
  async run(tasks: FileTask[], sizes: ReadonlyMap<string, number>): Promise<void> {
    const started = performance.now()
    const small = tasks.filter((task) => (sizes.get(task.path) ?? 0) <= BUFFER_LIMIT_BYTES)
    const large = tasks.filter((task) => (sizes.get(task.path) ?? 0) > BUFFER_LIMIT_BYTES)
    const later: FileTask[] = []
    this.byPath = new Map(tasks.map((task) => [task.path, task]))
    const streamAll = async (list: FileTask[]) => {
      for (const task of list) {
        if (this.failure || this.options.signal?.aborted) return
        try {
          await this.handle(await transcodeLarge(task, this.options.settings), later)
        } catch (error) {
          this.failure ??= error as Error
        }
      }
    }

    await Promise.all([
      runFileTasks(small, this.options.settings, {
        workers: this.options.workers,
        onOutcomes: async (outcomes) => {
          for (const outcome of outcomes) await this.handle(outcome, later)
          return this.failure !== undefined || this.options.signal?.aborted === true
        },
      }).catch((error: Error) => {
        this.failure ??= error
      }),
      streamAll(large),
    ])
    // Small files whose content turned out too big to hold (highly compressible).
    await streamAll(later)
    this.seconds = (performance.now() - started) / 1000
  }

  private async handle(outcome: FileOutcome, later: FileTask[]): Promise<void> {
    if (outcome.format && outcome.status !== 'large' && outcome.status !== 'failed') this.formats[outcome.format]++
    switch (outcome.status) {
      case 'large':
        later.push(this.byPath.get(outcome.path) ?? {path: outcome.path, digest: outcome.digest})
        return
      case 'failed':
        this.failure ??= deserializeError(outcome.error ?? {message: 'unknown failure'})
        return
      case 'corrupt':
      case 'missing':
        await this.reportCorrupt(outcome)
        break
      case 'verified':
        this.outcomes.verified++
        this.rawBytes += outcome.rawBytes ?? 0
        if (outcome.rawBytes !== undefined) this.rawSizes.set(outcome.digest, outcome.rawBytes)
        break
      case 'skipped':
        this.outcomes.skipped++
        break
      case 'planned':
        this.outcomes.planned++
        if (outcome.outBytes === undefined) this.plannedStoredBytes += outcome.storedBytes
        else this.countConverted(outcome)
        break
      case 'converted':
        this.outcomes.converted++
        this.countConverted(outcome)
        if (outcome.newDigest) {
          this.outcomes.rekeyed++
          this.renames.set(outcome.digest, outcome.newDigest)
        }

        await this.commit(outcome)
        break
    }

    this.tick(outcome.storedBytes)
  }

  private countConverted(outcome: FileOutcome): void {
    this.rawBytes += outcome.rawBytes ?? 0
    // A new name that already existed was listed, and counted, as a library file of its own.
    if (!outcome.existed) this.outBytes += outcome.outBytes ?? 0
    this.convertedStoredBytes += outcome.storedBytes
  }

  private async commit(outcome: FileOutcome): Promise<void> {
    const pending = outcome.pending
    if (!pending) return
    if (pending.fresh) this.freshNames.push(pending.final)
    const committer = this.options.committer
    if (pending.renamed) committer?.renamed(pending)
    else await committer?.add(pending, outcome.outBytes ?? 0)
  }

  private async reportCorrupt(outcome: FileOutcome): Promise<void> {
    this.outcomes.failed++
    const error = outcome.error ? deserializeError(outcome.error) : undefined
    const code = outcome.status === 'missing' ? 'EMISSING' : ((error as {code?: string} | undefined)?.code ?? 'ECORRUPT')
    const message = outcome.status === 'missing' ? `${outcome.path} vanished while the library was being read` : (error?.message ?? 'corrupt')
    const entry: CorruptFile = {path: outcome.path, digest: outcome.digest, code, message, action: 'left'}
    if (outcome.status === 'corrupt' && this.options.onCorrupt === 'quarantine' && !this.options.settings.dryRun) {
      entry.quarantinedTo = await quarantineFile(this.options.settings.root, outcome.path, this.options.quarantine)
      entry.action = 'quarantined'
    }

    this.corrupt.push(entry)
  }

  private tick(bytes: number): void {
    this.done++
    this.doneBytes += bytes
    this.options.onProgress?.({phase: this.options.phase, done: this.done, total: this.total, bytes: this.doneBytes, totalBytes: this.totalBytes})
  }
}
