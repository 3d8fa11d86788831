/**
 * `holobench migrate`: recompress every library file and catalog of a hololib in place, and
 * re-key it when the digest algorithm changes (to or from `none`). Crash-safe at every instant;
 * resumable and idempotent. The order of the steps is the design:
 *
 * 0. Lock: the library's lock, exclusive (fs/lock.ts): lifts, drops and other migrations wait
 *    until this one is done, and this one waits for those running.
 * 1. Journal: `.holobench-migrate.json` in the library root (the "interrupted" marker).
 *    Temp files of dead writers are removed.
 * 2. Files: each is read, decompressed and hashed; only if the hash matches its name is the new
 *    version written to a temp file beside its destination, made durable (commit.ts) and renamed.
 *    In place (same algorithm) the rename replaces the original: readers see the old or the new
 *    file, both complete. Re-key: the new version gets its new name and the old file stays; no
 *    catalog names the new files yet, every old file is still there: RCC and holobench are
 *    unaffected.
 * 3. The new names are made durable (one syncfs, or an fsync per directory).
 * 4. Catalogs: each is rewritten atomically with the new digests (and the catalog codec). Before
 *    its rename it names old files, after it new files; both exist. A catalog that needs a file
 *    that could not be re-keyed (missing, corrupt) is left as it was and reported. The catalog
 *    directory is fsynced.
 * 5. The compress.no marker is set or removed, last: while catalogs are being swapped RCC keeps
 *    reading the library as it did, so the catalogs not yet swapped still work for it. (No order
 *    lets RCC read a half-swapped library whole: it takes the algorithm from the marker, holobench
 *    from each digest's length; the swap takes milliseconds per catalog.)
 * 6. Cleanup: old-algorithm files that no catalog names any more are removed, then empty
 *    directories.
 * 7. The journal is removed.
 *
 * Killed anywhere, a run leaves a library every catalog of which holobench can restore; the next
 * run works out what is left from the library itself (names say their algorithm, catalogs their
 * digests) and finishes, whatever the target of the interrupted run was.
 */
import {existsSync, promises as fsp} from 'node:fs'
import {basename, dirname} from 'node:path'

import pMap from 'p-map'

import {allFileEntries, loadCatalogSet} from '../check/catalogs.js'
import type {LoadedCatalog} from '../check/catalogs.js'
import {removeLeftovers} from '../check/leftovers.js'
import {removeEmptyDirs, walkLibrary} from '../check/walk.js'
import type {LibraryFile, LibraryListing} from '../check/walk.js'
import {HoloError} from '../errors.js'
import {writeFileAtomic} from '../fs/atomic.js'
import {acquireLock, libraryLockDir} from '../fs/lock.js'
import {isCompressedLibrary, libraryLayout} from '../library.js'
import type {Catalog, DigestAlgorithm} from '../types.js'
import {migrateCatalog, needsRekey} from './catalogs.js'
import type {CatalogChange} from './catalogs.js'
import {Committer, chooseDurability, commitModeFor, sealDir} from './commit.js'
import type {Durability} from './commit.js'
import {algorithmForCodec} from './file-task.js'
import type {FileSettings, FileTask} from './file-task.js'
import {FilePhase} from './files.js'
import {beginJournal, endJournal} from './journal.js'
import {warmUp} from './pool.js'
import {MigrateInterrupted, normalizeOptions} from './types.js'
import type {MigrateOptions, MigrateResult, MigrateSettings} from './types.js'

export type {CorruptFile, MigrateOptions, MigrateResult, OnCorrupt} from './types.js'
export {MigrateInterrupted} from './types.js'
export type {TargetCodec} from './file-task.js'
export type {Durability} from './commit.js'
export {TARGET_CODECS} from './file-task.js'
export {JOURNAL_NAME, readJournal} from './journal.js'

/** Dry run: files converted in memory to estimate the sizes after. */
const SAMPLE_FILES = 256
const SAMPLE_BYTES = 64 << 20

/** What one run carries from step to step. */
interface Run {
  s: MigrateSettings
  algorithm: DigestAlgorithm
  durability: Durability
  committer: Committer
  phases: MigrateResult['phases']
  /** A catalog was rewritten: from here on, a failure leaves the journal for the next run. */
  catalogsTouched: boolean
  files?: FilePhase
  /** For an interruption's counts. */
  filesTotal?: number
  catalogsTotal?: number
}

export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const s = normalizeOptions(options)
  const started = performance.now()
  if (!existsSync(libraryLayout(s.root).catalogDir)) throw new HoloError('EUSAGE', `${s.root} is not a hololib: it has no catalog/ directory. Pass the hololib root, the directory holding catalog/ and library/`, {path: s.root})
  // A dry run writes nothing: it only keeps a migration from changing the library under it.
  const lock = await acquireLock(libraryLockDir(s.root), {
    mode: s.dryRun ? 'shared' : 'exclusive',
    purpose: 'migrate',
    what: `library ${s.root}`,
    wait: options.wait,
    onWait: (h) => options.onWait?.(`library ${s.root}`, h),
  })
  try {
    return await migrateLocked(s, started)
  } finally {
    lock.release()
  }
}

async function migrateLocked(s: MigrateSettings, started: number): Promise<MigrateResult> {
  warmUp(s.workers)
  const phases: MigrateResult['phases'] = []
  const markerBefore = !isCompressedLibrary(s.root)
  const catalogs = await timed(phases, 'read catalogs', () => loadCatalogSet(s.root)) // EUSAGE if not a hololib
  const durability: Durability = s.dryRun ? 'none' : await chooseDurability(s.root, s.durability)
  const {previous} = s.dryRun ? {previous: undefined} : await beginJournal(s.root, s.to, durability !== 'none')
  const run: Run = {s, algorithm: algorithmForCodec(s.to), durability, committer: new Committer(durability, s.root), phases, catalogsTouched: false}
  try {
    const listing = await timed(phases, 'list files', () => walkLibrary(s.root))
    const leftovers = [...listing.leftovers, ...catalogs.leftovers].filter((l) => l.kind === 'holobench' && l.stale)
    if (!s.dryRun) await removeLeftovers(leftovers)
    const rekey = listing.files.some((f) => f.algorithm !== run.algorithm) || catalogs.loaded.some((c) => needsRekey(c.catalog, run.algorithm))
    if (rekey && catalogs.unreadable.length > 0) {
      const names = catalogs.unreadable.map((u) => u.path).join(', ')
      throw new HoloError('ECORRUPT', `Cannot re-key ${s.root}: ${names} cannot be read, so the files it needs are unknown and no old file could be removed safely. Run \`holobench check --repair\` first; nothing was changed.`, {
        path: catalogs.unreadable[0].path,
      })
    }

    run.filesTotal = listing.files.length
    run.catalogsTotal = catalogs.loaded.length
    const files = await migrateFiles(run, listing)
    const {changes, after} = await timed(phases, 'catalogs', () => migrateCatalogs(run, catalogs.loaded, files.renames))
    const removed = s.dryRun ? {files: 0, bytes: 0} : await timed(phases, 'cleanup', () => removeOldFiles(listing.files, files.renames, after, run.algorithm))
    if (!s.dryRun) await endJournal(s.root, durability !== 'none')
    return {
      ...summarize(run, listing, files, removed),
      rekey,
      resumed: previous ? {to: previous.to, startedAt: previous.startedAt} : null,
      catalogs: {
        total: catalogs.loaded.length + catalogs.unreadable.length,
        rewritten: changes.filter((c) => c.action === 'rewritten').length,
        unchanged: changes.filter((c) => c.action === 'unchanged').length,
        failed: changes.filter((c) => c.action === 'failed').length + catalogs.unreadable.length,
        unreadable: catalogs.unreadable.map((u) => ({path: u.path, code: u.error.code, message: u.error.message})),
      },
      seconds: (performance.now() - started) / 1000,
      marker: {before: markerBefore, after: s.dryRun ? markerBefore : s.to === 'none'},
      leftoversRemoved: leftovers.length,
      catalogChanges: changes,
    }
  } catch (error) {
    // Interrupted: what is done stays, as a run killed between two files leaves it (journal
    // kept, so `check` and the rerun know); only temp files not yet committed go.
    if (error instanceof MigrateInterrupted) await run.committer.abort()
    else await rollBack(run, catalogs.loaded)
    throw error
  }
}

/** Throw MigrateInterrupted if the signal has fired: what is done is counted from the outcomes. */
function throwIfInterrupted(run: Run, phase: 'files' | 'catalogs', catalogs: {done: number; total: number}): void {
  if (!run.s.signal?.aborted) return
  const outcomes = run.files?.outcomes
  const done = outcomes ? outcomes.converted + outcomes.skipped : 0
  throw new MigrateInterrupted(phase, {done, total: run.filesTotal ?? 0}, catalogs)
}

async function timed<T>(phases: MigrateResult['phases'], name: string, work: () => Promise<T>): Promise<T> {
  const t = performance.now()
  try {
    return await work()
  } finally {
    phases.push({name, seconds: (performance.now() - t) / 1000})
  }
}

/** Steps 2 and 3: every file to the target, then the new names made durable. */
async function migrateFiles(run: Run, listing: LibraryListing): Promise<FilePhase> {
  const {s} = run
  const settings: FileSettings = {
    root: s.root,
    mode: 'convert',
    codec: s.to,
    algorithm: run.algorithm,
    level: s.level,
    zstdBackend: s.zstdBackend,
    commit: commitModeFor(run.durability),
    dryRun: s.dryRun,
  }
  const totalBytes = listing.files.reduce((sum, f) => sum + f.size, 0)
  const options = {settings, workers: s.workers, committer: run.committer, onCorrupt: s.onCorrupt, quarantine: s.quarantine, phase: 'migrate', onProgress: s.onProgress, signal: s.signal}
  const files = new FilePhase(options, listing.files.length, totalBytes)
  run.files = files
  const tasks = planTasks(listing.files, s, files)
  // Ctrl-C while the library was being listed: no batch is started at all.
  throwIfInterrupted(run, 'files', {done: 0, total: run.catalogsTotal ?? 0})
  await timed(run.phases, 'files', () => files.run(tasks, new Map(listing.files.map((f) => [f.path, f.size]))))
  if (files.failure) throw files.failure
  // Interrupted or not, what the workers converted is committed first: it is complete and verified.
  await timed(run.phases, 'seal files', () => run.committer.seal())
  throwIfInterrupted(run, 'files', {done: 0, total: run.catalogsTotal ?? 0})
  return files
}

/** Steps 4 and 5: each catalog swapped atomically, the catalog directory made durable, then the marker. */
async function migrateCatalogs(run: Run, loaded: LoadedCatalog[], renames: ReadonlyMap<string, string>): Promise<{changes: CatalogChange[]; after: Catalog[]}> {
  const {s} = run
  const changes: CatalogChange[] = []
  const after: Catalog[] = []
  for (const [i, one] of loaded.entries()) {
    throwIfInterrupted(run, 'catalogs', {done: changes.filter((c) => c.action === 'rewritten').length, total: loaded.length})
    const {change, catalog} = await migrateCatalog(one, {codec: s.to, algorithm: run.algorithm, renames, zstdBackend: s.zstdBackend, fsync: run.durability !== 'none', dryRun: s.dryRun})
    if (change.action === 'rewritten' && !s.dryRun) run.catalogsTouched = true
    changes.push(change)
    after.push(catalog)
    s.onProgress?.({phase: 'catalogs', done: i + 1, total: loaded.length, unit: 'catalogs'})
  }

  if (!s.dryRun) {
    await sealDir(run.durability, libraryLayout(s.root).catalogDir)
    await setMarker(s.root, s.to === 'none', run.durability)
  }

  return {changes, after}
}

/**
 * A failure before any catalog was rewritten: the new names this run wrote are taken back (none
 * that a catalog already names), waiting temp files go, and so does the journal: the library is
 * as it was, but for files recompressed in place, which are complete and verified. After a
 * catalog was rewritten, the journal stays and the next run finishes the job.
 */
async function rollBack(run: Run, catalogs: LoadedCatalog[]): Promise<void> {
  await run.committer.abort()
  if (run.s.dryRun || run.catalogsTouched) return
  const named = new Set<string>()
  for (const {catalog} of catalogs) for (const file of allFileEntries(catalog.tree)) named.add(file.digest)
  const fresh = run.files?.freshNames.filter((path) => !named.has(basename(path))) ?? []
  await pMap(fresh, (path) => fsp.rm(path, {force: true}), {concurrency: 16})
  await endJournal(run.s.root, run.durability !== 'none')
}

type Summary = Pick<MigrateResult, 'library' | 'to' | 'dryRun' | 'durability' | 'files' | 'bytesBefore' | 'bytesAfter' | 'estimated' | 'rawBytes' | 'storedAfterOverBefore' | 'throughput' | 'corrupt' | 'phases'>

/** Counts and sizes: bytes after = before, less what was converted or quarantined, plus what it became. */
function summarize(run: Run, listing: LibraryListing, files: FilePhase, removed: {files: number; bytes: number}): Summary {
  const {s} = run
  const totalBytes = listing.files.reduce((sum, f) => sum + f.size, 0)
  const sizes = new Map(listing.files.map((f) => [f.path, f.size]))
  const quarantinedBytes = files.corrupt.filter((c) => c.action === 'quarantined').reduce((sum, c) => sum + (sizes.get(c.path) ?? 0), 0)
  // Re-keyed old files count as gone (in convertedStoredBytes) unless a catalog kept them.
  const keptOldBytes = listing.files.filter((f) => files.renames.has(f.digest)).reduce((sum, f) => sum + f.size, 0) - removed.bytes
  const bytesAfter = s.dryRun ? totalBytes + estimateAfter(files) : totalBytes - files.convertedStoredBytes + files.outBytes + keptOldBytes - quarantinedBytes
  const fileSeconds = run.phases.find((p) => p.name === 'files')?.seconds ?? 0
  return {
    library: s.root,
    to: s.to,
    dryRun: s.dryRun,
    durability: run.durability,
    files: {
      total: listing.files.length,
      migrated: s.dryRun ? files.outcomes.planned : files.outcomes.converted,
      rekeyed: files.outcomes.rekeyed,
      skipped: files.outcomes.skipped,
      failed: files.outcomes.failed,
      removed: removed.files,
    },
    bytesBefore: totalBytes,
    bytesAfter,
    estimated: s.dryRun,
    rawBytes: files.rawBytes,
    storedAfterOverBefore: totalBytes > 0 ? bytesAfter / totalBytes : 0,
    throughput: fileSeconds > 0 ? files.rawBytes / fileSeconds : 0,
    corrupt: files.corrupt,
    phases: run.phases,
  }
}

/**
 * What the workers get. A SipHash file in a library going to `none` is raw by definition (RCC
 * reads compress.no files raw), so it is not even opened. Dry runs mark a spread of files for
 * conversion in memory, to estimate the sizes after.
 */
function planTasks(files: LibraryFile[], s: MigrateSettings, phase: FilePhase): FileTask[] {
  const tasks: FileTask[] = []
  for (const file of files) {
    if (s.to === 'none' && file.algorithm === 'siphash128') phase.skipWithoutReading(file)
    else tasks.push({path: file.path, digest: file.digest})
  }

  if (s.dryRun) {
    // The biggest files weigh most in the total: sample them first, then a spread of the rest.
    const sizes = new Map(files.map((f) => [f.path, f.size]))
    const size = (task: FileTask) => sizes.get(task.path) ?? 0
    let bytes = 0
    for (const task of [...tasks].sort((a, b) => size(b) - size(a)).slice(0, 16)) {
      if (bytes + size(task) > SAMPLE_BYTES / 2) break
      task.sample = true
      bytes += size(task)
    }

    const step = Math.max(1, Math.ceil(tasks.length / SAMPLE_FILES))
    for (let i = 0; i < tasks.length && bytes < SAMPLE_BYTES; i += step) {
      if (tasks[i].sample) continue
      tasks[i].sample = true
      bytes += size(tasks[i])
    }
  }

  return tasks
}

/** Dry run: the change in stored bytes, from the sampled files' ratio applied to the rest. */
function estimateAfter(phase: FilePhase): number {
  const ratio = phase.convertedStoredBytes > 0 ? phase.outBytes / phase.convertedStoredBytes : 1
  return phase.outBytes - phase.convertedStoredBytes + phase.plannedStoredBytes * (ratio - 1)
}

/** compress.no present exactly when the library is raw, as RCC reads it (any non-directory counts). */
async function setMarker(root: string, present: boolean, durability: Durability): Promise<void> {
  const {markerPath, catalogDir} = libraryLayout(root)
  if (present === !isCompressedLibrary(root)) return
  if (present) await writeFileAtomic(markerPath, 'present', {fsync: durability !== 'none'})
  else await fsp.rm(markerPath, {force: true})
  await sealDir(durability, catalogDir)
}

/**
 * Remove the old-algorithm files that were re-keyed and that no catalog names any more (a
 * catalog left unmigrated keeps its files). Catalogs are durable by now, so a power cut cannot
 * bring back a catalog naming a removed file.
 */
async function removeOldFiles(files: LibraryFile[], renames: ReadonlyMap<string, string>, catalogs: Catalog[], algorithm: string): Promise<{files: number; bytes: number}> {
  const referenced = new Set<string>()
  for (const catalog of catalogs) for (const file of allFileEntries(catalog.tree)) if (file.digest) referenced.add(file.digest)
  const dirs = new Set<string>()
  let count = 0
  let bytes = 0
  const doomed = files.filter((file) => file.algorithm !== algorithm && renames.has(file.digest) && !referenced.has(file.digest))
  // Several at a time: freeing a file may wait on the device (online discard).
  await pMap(doomed, (file) => fsp.rm(file.path, {force: true}), {concurrency: 16})
  for (const file of doomed) {
    count++
    bytes += file.size
    for (let dir = dirname(file.path), depth = 0; depth < 3; dir = dirname(dir), depth++) dirs.add(dir)
  }

  await removeEmptyDirs([...dirs])
  return {files: count, bytes}
}
