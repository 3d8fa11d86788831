import {existsSync, promises as fsp} from 'node:fs'
import type {Stats} from 'node:fs'
import {basename, dirname, resolve, sep} from 'node:path'

import pMap from 'p-map'

import {loadCatalog, readCatalogFile} from './catalog.js'
import {STREAM_THRESHOLD_BYTES} from './codec/whole.js'
import type {GzipBackend} from './codec/whole.js'
import {HoloError, explainSystemError, isHoloError} from './errors.js'
import {makeDirectories} from './fs/mkdirs.js'
import {forEntry} from './restore/checks.js'
import {fsyncDir, fsyncFile, writeFileAtomic} from './fs/atomic.js'
import {syncfs} from './fs/durable.js'
import {acquireLock, libraryLockDir, targetLockDir} from './fs/lock.js'
import type {Lock, LockHolder} from './fs/lock.js'
import {restoreJobs} from './jobs.js'
import {libraryFilePath, libraryLayout} from './library.js'
import {posixPermFromGo} from './mode.js'
import {hasName} from './names.js'
import {partSuffixFor} from './restore/part-name.js'
import {readPackIndex, restoreFromPack, splitForPack} from './restore/pack.js'
import type {PackIndex} from './restore/pack.js'
import {restoreLanes, runOnWorkers, warmUpRestoreWorkers} from './restore/pool.js'
import {restoreFile} from './restore/restore-file.js'
import type {RestoreLanes} from './restore/pool.js'
import {isUnchanged} from './restore/unchanged.js'
import {addStats, emptyStats} from './restore/types.js'
import type {RestoreSettings, RestoreTask} from './restore/types.js'
import {applyDirModes, openRestoredTarget, shapeDirs} from './restore/target-shape.js'
import type {DirPlan} from './restore/target-shape.js'
import {assertSafeName} from './safe-path.js'
import {assertTargetOwned, assertTargetOutsideLibrary, RESTORING_SUFFIX} from './target-guard.js'
import {probeStrategy} from './strategy.js'
import type {AppliedStrategy, Strategy, StrategyProbe} from './strategy.js'
import type {Catalog, CatalogDir, CatalogFile, ProgressCallback, StoredFormat, ZstdBackend} from './types.js'

export {RESTORED_MTIME} from './restore/types.js'

/**
 * Big files (over STREAM_THRESHOLD_BYTES) up to this size are restored here as whole buffers,
 * decoded in one native call on libuv's pool; only bigger ones stream. A stream needs this
 * thread for every chunk, and this thread also runs a restore lane: the 45 MB libpython3.11.a
 * of RCC's stdlib hololib then finished last, ~95 ms after every small file (gzip, 1 MiB
 * chunks). Two at a time (the pMap below), so at most ~2 x (64 + 64) MiB are held.
 */
export const WHOLE_BIG_FILE_BYTES = 64 * 1024 * 1024

export interface DropOptions {
  /** Path of the catalog to restore. */
  catalog: string
  /** The hololib root; default: the directory above the catalog's `catalog/`. */
  library?: string
  /** Directory to restore into (created if missing). */
  target: string
  /** Hash every restored file and compare with its digest; default true. */
  verify?: boolean
  /** How uncompressed files without relocations are placed; default auto. */
  strategy?: Strategy
  /** Restore lanes (threads restoring files at once; restore/pool.ts restoreLanes); default and at most one per core (jobs.ts restoreJobs). */
  jobs?: number
  zstdBackend?: ZstdBackend | 'auto'
  /** Which gzip implementation reads gzip files: node:zlib (default) or pako, pure JS as RCC's Go gzip is. */
  gzipBackend?: GzipBackend
  /**
   * Restore into a non-empty directory that holds no record of an earlier restore (`<target>.meta`),
   * deleting what the catalog does not name; default false: such a target is refused (EUSAGE).
   * The library and the catalog are never removed, whatever this says.
   */
  overwrite?: boolean
  /**
   * Make the restore survive a power cut (default true): `.meta` goes (durably) before the first
   * change, restored files are flushed (one syncfs, or an fsync each where `sync -f` is missing),
   * and the new `.meta` is written atomically last. false: as RCC restores, no flush.
   */
  durable?: boolean
  onProgress?: ProgressCallback
  /** Wait while another holobench process holds the target or the library (default); false: fail at once with ELOCKED. */
  wait?: boolean
  /** Called once when another holobench process holds the target or the library and this one waits. */
  onWait?: (what: string, holders: LockHolder[]) => void
  /**
   * Benchmark only (`run`'s pack candidate): a pack of this catalog's unrelocated files
   * (restore/pack.ts); the files it holds are written from it, the rest from the library.
   */
  pack?: string
  /** Benchmark only (`run`'s dict candidate): the zstd dictionary the library's small files were compressed with. */
  zstdDictionary?: string
  /**
   * The dual-cache proposal (benchmark only, bench's dual-cache rows; not a format RCC or a real
   * hololib has): a directory holding the catalog's files uncompressed at
   * `<cache>/library/ab/cd/ef/<digest>`, beside the compressed library. Files are read from
   * there, never sniffed, and placed by the strategy (reflink, hardlink or copy); relocated files
   * are copied and patched. Its files must all be there (EMISSING names the one that is not).
   */
  cache?: string
}

export interface DropResult {
  catalog: string
  target: string
  files: number
  dirs: number
  symlinks: number
  written: number
  skipped: number
  removed: number
  rewritten: number
  bytes: number
  verify: boolean
  strategy: StrategyProbe & {counts: Record<AppliedStrategy, number>}
  formats: Record<StoredFormat, number>
  seconds: number
}

interface FilePlan {
  path: string
  rel: string
  file: CatalogFile
}

interface Plan {
  dirs: DirPlan[] // parents before children
  files: FilePlan[] // regular files
  links: FilePlan[] // symlinks (files and shadow dirs)
}

/**
 * Restore a catalog into a directory, as RCC's RestoreTo does. Refused (EUSAGE) before anything
 * is written: a target that is or holds the library or the catalog, or lies inside the library's
 * directories; a non-empty target without a record of an earlier restore, unless `overwrite`.
 * The target is locked against other holobench drops (a second one waits), and the library is
 * held shared so that a migration cannot remove files this restore reads (fs/lock.ts).
 */
export async function drop(options: DropOptions): Promise<DropResult> {
  const started = performance.now()
  const catalogPath = resolve(options.catalog)
  const root = resolve(options.library ?? dirname(dirname(catalogPath)))
  const target = resolve(options.target)
  // Workers load their modules (tens of ms each) on the other cores while the catalog is read.
  const lanes = restoreLanes(restoreJobs(options.jobs), await storedSize(catalogPath))
  warmUpRestoreWorkers(lanes.threads)
  // Everything that can be refused is refused before the first write (the locks' included).
  await assertTargetOutsideLibrary(target, root, catalogPath)
  if (options.cache !== undefined) await assertTargetOutsideLibrary(target, resolve(options.cache), catalogPath)
  await assertTargetOwned(target, options.overwrite === true)
  const read = await readInput(catalogPath, target)
  const pack = options.pack === undefined ? undefined : {path: resolve(options.pack), index: readPackIndex(options.pack)}
  if (read.plan.files.length > 0) {
    const source = options.cache === undefined ? root : resolve(options.cache)
    await assertLibrary(source, catalogPath)
    // A target without a record of an earlier restore needs every library file: a missing one
    // is refused here, before the target is touched, not half-way through it.
    if (!existsSync(`${target}.meta`)) assertLibraryFiles(read.plan.files, source, catalogPath)
  }
  await makeDirectories(dirname(target), "the target's parent directory")
  const targetLock = await acquireLock(targetLockDir(target), {mode: 'exclusive', purpose: 'drop', what: `target ${target}`, wait: options.wait, onWait: (h) => options.onWait?.(`target ${target}`, h)})
  try {
    const libraryLock = await lockLibraryForReading(root, options)
    try {
      // Again under the lock: a drop that held it may have changed what the target holds.
      await assertTargetOwned(target, options.overwrite === true)
      // A migration may have rewritten the catalog before this drop held the library.
      const input = (await sameFile(catalogPath, read.stats)) ? read : await readInput(catalogPath, target)
      return await restoreLocked(options, catalogPath, root, target, input, started, lanes, pack)
    } finally {
      libraryLock?.release()
    }
  } finally {
    targetLock.release()
  }
}

/**
 * Shared: drops and lifts run together, a migration waits for them. A library this user cannot
 * write (shared read-only), or that is missing (a catalog of links only), is read without a lock.
 */
async function lockLibraryForReading(root: string, options: DropOptions): Promise<Lock | undefined> {
  try {
    return await acquireLock(libraryLockDir(root), {mode: 'shared', purpose: 'drop', what: `library ${root}`, wait: options.wait, onWait: (h) => options.onWait?.(`library ${root}`, h)})
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM' || code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw error
  }
}

interface Input {
  stats: Stats
  /** The stored bytes become the target's .meta at the end. */
  stored: Uint8Array
  plan: Plan
  relocation: Relocation
  partSuffix: string
}

/** The catalog read once and planned: every name, digest and relocation checked. */
async function readInput(catalogPath: string, target: string): Promise<Input> {
  const {catalog, stored} = await readCatalogFile(catalogPath, {given: true})
  const stats = await fsp.stat(catalogPath)
  const plan = planRestore(catalog, catalogPath, target)
  return {stats, stored, plan, relocation: relocationFor(catalog, plan, target, catalogPath), partSuffix: partSuffixFor(catalog.tree)}
}

/** A file's size in bytes; 0 when it cannot be read (readInput says why). */
async function storedSize(path: string): Promise<number> {
  return (await fsp.stat(path).catch(() => undefined))?.size ?? 0
}

async function sameFile(path: string, before: Stats): Promise<boolean> {
  const now = await fsp.stat(path).catch(() => undefined)
  return now !== undefined && now.ino === before.ino && now.dev === before.dev && now.size === before.size && now.mtimeMs === before.mtimeMs
}

async function restoreLocked(options: DropOptions, catalogPath: string, root: string, target: string, input: Input, started: number, lanes: RestoreLanes, pack?: {path: string; index: PackIndex}): Promise<DropResult> {
  const verify = options.verify !== false
  const workers = restoreJobs(options.jobs)
  const durable = options.durable !== false
  const {plan, relocation, partSuffix, stored: storedCatalog} = input
  // Where file contents come from: the library, or its uncompressed cache (the dual-cache proposal).
  const source = options.cache === undefined ? root : resolve(options.cache)

  await openRestoredTarget(target)
  const fresh = await prepareTarget(target)
  const metaPath = `${target}.meta`
  const previous = fresh ? new Map<string, string>() : await previousDigests(metaPath)
  await beginRestore(target, metaPath, durable)

  const removed = await shapeDirs(plan.dirs, fresh)
  const sample = plan.files.find((f) => f.file.rewrite.length === 0)
  const probe = await probeStrategy(options.strategy ?? 'auto', sample && libraryFilePath(source, sample.file.digest), target, libraryLayout(source).libraryDir, `strategy-probe${partSuffix}`)
  const durability = flushFor(durable)
  const settings: RestoreSettings = {
    verify,
    eligible: probe.eligible,
    fresh,
    relocationTo: relocation.to,
    umask: process.umask(),
    zstdBackend: options.zstdBackend,
    gzipBackend: options.gzipBackend,
    partSuffix,
    fsync: durability === 'fsync',
    ...(options.zstdDictionary === undefined ? {} : {zstdDictionary: resolve(options.zstdDictionary)}),
    rawSource: options.cache !== undefined,
  }
  const tasks = plan.files.map((fp): RestoreTask => ({
    path: fp.path,
    rel: fp.rel,
    source: libraryFilePath(source, fp.file.digest),
    size: fp.file.size,
    perm: posixPermFromGo(fp.file.mode),
    digest: fp.file.digest,
    rewrite: fp.file.rewrite,
    unchanged: previous.get(fp.rel) === fp.file.digest,
  }))

  const total = plan.files.length + plan.links.length
  let small = 0
  let large = 0
  const tick = () => options.onProgress?.({phase: 'drop', done: small + large, total})
  const stats = emptyStats()
  const {packed, rest} = pack ? splitForPack(pack.index, tasks) : {packed: [], rest: tasks}
  // Small files go to this thread's lane and the worker threads; big ones are restored here meanwhile (huge ones streamed, in bounded memory).
  const [smallStats] = await inCatalog(catalogPath, target, Promise.all([
    runOnWorkers(
      rest.filter((t) => t.size <= STREAM_THRESHOLD_BYTES),
      settings,
      {
        workers,
        ...lanes,
        onBatch: (done) => {
          small = done
          tick()
        },
      },
    ).then(async (restStats) => {
      // The pack's contents go to the same workers once they are free (a second set would start new threads).
      if (pack) {
        await restoreFromPack(pack.path, pack.index, packed, settings, stats, {
          workers,
          ...lanes,
          onFiles: (count) => {
            large += count
            tick()
          },
        })
      }

      return restStats
    }),
    pMap(
      rest.filter((t) => t.size > STREAM_THRESHOLD_BYTES),
      async (task) => {
        try {
          if (task.size <= WHOLE_BIG_FILE_BYTES) {
            await restoreFile(task, settings, stats)
            large++
            tick()
            return
          }

          // Streams are loaded only for a tree that has huge files.
          const {restoreLargeFile} = await import('./restore/restore-large.js')
          await (task.unchanged && (await isUnchanged(task)) ? stats.skipped++ : restoreLargeFile(task, settings, stats))
        } catch (error) {
          throw forEntry(error, task)
        }

        large++
        tick()
      },
      {concurrency: 2},
    ),
  ]))
  addStats(stats, smallStats)
  for (const link of plan.links) {
    await restoreSymlink(link, fresh)
    large++
    tick()
  }

  // Directory modes last: a read-only directory would refuse the files written into it.
  await applyDirModes(plan.dirs)
  await finishRestore(target, metaPath, storedCatalog, plan, durability)

  return {
    catalog: catalogPath,
    target,
    files: plan.files.length,
    dirs: plan.dirs.length,
    symlinks: plan.links.length,
    written: stats.written,
    skipped: stats.skipped,
    removed,
    rewritten: stats.rewritten,
    bytes: stats.bytes,
    verify,
    strategy: {...probe, counts: stats.counts},
    formats: stats.formats,
    seconds: (performance.now() - started) / 1000,
  }
}

/** Flatten the catalog into dirs, files and links, refusing any name that could escape the target. */
function planRestore(catalog: Catalog, catalogPath: string, target: string): Plan {
  const plan: Plan = {dirs: [], files: [], links: []}
  const visit = (dir: CatalogDir, path: string, rel: string) => {
    plan.dirs.push({path, dir})
    // Names are checked safe (no separator, not . or ..), so concatenating is joining.
    const prefix = path.endsWith(sep) ? path : path + sep
    for (const [name, file] of Object.entries(dir.files)) {
      assertSafeName(name, `${rel}${name}`, catalogPath)
      if (hasName(dir.subdirs, name)) throw new HoloError('ECORRUPT', `Catalog ${catalogPath}: ${rel}${name} is both a file and a directory`, {path: catalogPath})
      const fp = {path: prefix + name, rel: rel + name, file}
      if (file.symlink) {
        plan.links.push(fp)
      } else {
        if (!/^[0-9a-f]{32}$|^[0-9a-f]{64}$/.test(file.digest)) {
          throw new HoloError('ECORRUPT', `Catalog ${catalogPath}: ${rel}${name} has an invalid digest ${JSON.stringify(file.digest)}`, {path: catalogPath})
        }

        plan.files.push(fp)
      }
    }

    for (const [name, sub] of Object.entries(dir.subdirs)) {
      assertSafeName(name, `${rel}${name}/`, catalogPath)
      const subPath = prefix + name
      if (sub.symlink) {
        // A symlinked directory (shadow): the link is restored, never entered.
        plan.links.push({path: subPath, rel: rel + name, file: {name, symlink: sub.symlink, size: 0, mode: sub.mode, digest: '', rewrite: []}})
      } else {
        visit(sub, subPath, `${rel}${name}/`)
      }
    }
  }

  visit(catalog.tree, target, '')
  return plan
}

interface Relocation {
  from: string
  to: Buffer
}

/**
 * What replaces the catalog's identity in relocated files: the target's basename, or its full
 * path when the identity was lifted as a path. It must be exactly as long: RCC does not pad.
 */
function relocationFor(catalog: Catalog, plan: Plan, target: string, catalogPath: string): Relocation {
  const to = catalog.identity.includes('/') ? target : basename(target)
  const needed = plan.files.some((f) => f.file.rewrite.length > 0)
  if (needed && Buffer.byteLength(to) !== Buffer.byteLength(catalog.identity)) {
    // A bad --target, not bad data: a usage error (exit 2), raised in readInput before anything is written.
    throw new HoloError(
      'EUSAGE',
      `Cannot restore ${catalogPath} into ${target}: relocations replace ${JSON.stringify(catalog.identity)} (${Buffer.byteLength(catalog.identity)} bytes) with ${JSON.stringify(to)} (${Buffer.byteLength(to)} bytes); they must be the same length`,
      {path: target},
    )
  }

  return {from: catalog.identity, to: Buffer.from(to)}
}

/**
 * Before the first change: the in-progress record (so a rerun after a crash owns the target), then
 * `.meta` removed, both durable before any file changes: after a power cut an old `.meta` can
 * never stand beside a half-changed tree.
 */
async function beginRestore(target: string, metaPath: string, durable: boolean): Promise<void> {
  await fsp.writeFile(`${target}${RESTORING_SUFFIX}`, `${JSON.stringify({pid: process.pid, since: new Date().toISOString()})}\n`)
  await fsp.rm(metaPath, {force: true})
  if (durable) await fsyncDir(dirname(target))
}

/**
 * Last: restored files made durable (one syncfs, or the per-file fsyncs the workers did plus an
 * fsync of every directory), then the new `.meta` written atomically and made durable, then the
 * in-progress record removed.
 */
async function finishRestore(target: string, metaPath: string, storedCatalog: Uint8Array, plan: Plan, durability: Flush): Promise<void> {
  if (durability === 'syncfs') await syncfs(target).catch(() => flushEachFile(plan))
  else if (durability === 'fsync') await pMap(plan.dirs, (d) => fsyncDir(d.path), {concurrency: 8})
  await writeFileAtomic(metaPath, storedCatalog, {fsync: durability !== 'none'})
  if (durability !== 'none') await fsyncDir(dirname(target))
  await fsp.rm(`${target}${RESTORING_SUFFIX}`, {force: true})
}

/** Where `sync -f` cannot run: every restored file, then every directory, by path. */
async function flushEachFile(plan: Plan): Promise<void> {
  await pMap(plan.files, (f) => fsyncFile(f.path), {concurrency: 8})
  await pMap(plan.dirs, (d) => fsyncDir(d.path), {concurrency: 8})
}

/**
 * syncfs(2) once at the end (default): measured cheaper than an fsync per file on ext4 (README,
 * Guarantees). HOLOBENCH_DROP_FLUSH=fsync makes the workers fsync each file (bench/drop-durability.ts).
 */
type Flush = 'syncfs' | 'fsync' | 'none'

function flushFor(durable: boolean): Flush {
  if (!durable) return 'none'
  return process.env.HOLOBENCH_DROP_FLUSH === 'fsync' ? 'fsync' : 'syncfs'
}

/** Create the target; a missing or empty target is fresh: nothing to compare or clean. */
async function prepareTarget(target: string): Promise<boolean> {
  try {
    const entries = await fsp.readdir(target)
    return entries.length === 0
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw explainSystemError(error, 'Cannot read the target', target)
    await makeDirectories(target, 'the target', 0o750)
    return true
  }
}

/**
 * Every library file the plan reads exists (one access(2) per distinct digest: ~2 µs each on tmpfs, ~5 ms for the 2,375 of the stdlib),
 * else EMISSING naming the first entry whose file is missing, as the restore would name it.
 */
function assertLibraryFiles(files: readonly FilePlan[], source: string, catalogPath: string): void {
  const seen = new Set<string>()
  for (const {file, rel} of files) {
    if (seen.has(file.digest)) continue
    seen.add(file.digest)
    const path = libraryFilePath(source, file.digest)
    if (!existsSync(path)) {
      throw new HoloError('EMISSING', `Catalog ${catalogPath}: Hololib is missing ${path}, needed for ${rel}; nothing was restored`, {path})
    }
  }
}

/** The hololib must be a directory holding library/: checked before the target is touched. */
async function assertLibrary(root: string, catalogPath: string): Promise<void> {
  const stats = await fsp.stat(root).catch(() => null)
  const hint = 'pass --library the hololib root, the directory holding catalog/ and library/ (default: the directory above the catalog\'s catalog/)'
  if (!stats) throw new HoloError('EUSAGE', `Hololib ${root} does not exist: ${hint}`, {path: root})
  if (!stats.isDirectory()) throw new HoloError('EUSAGE', `Hololib ${root} is a file, not a directory: ${hint}`, {path: root})
  const library = await fsp.stat(libraryLayout(root).libraryDir).catch(() => null)
  if (!library?.isDirectory()) throw new HoloError('EUSAGE', `${root} is not a hololib (it has no library/ directory) for ${catalogPath}: ${hint}`, {path: root})
}

/** Failures of the file phase name the catalog as well as the entry, and say the target is incomplete. */
async function inCatalog<T>(catalogPath: string, target: string, work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (error) {
    if (!isHoloError(error)) throw error
    const where = error.message.includes(catalogPath) ? error.message : `Catalog ${catalogPath}: ${error.message}`
    // Files already written stay (a rerun keeps what is right and redoes the rest): say so.
    throw new HoloError(error.code, `${where}; ${target} is left incomplete: drop again once this is fixed`, {path: error.path, data: error.data, cause: error})
  }
}

/** Digests of the previous restore into this target (RCC's `<space>.meta`); empty when unreadable. */
async function previousDigests(metaPath: string): Promise<Map<string, string>> {
  const digests = new Map<string, string>()
  try {
    const meta = await loadCatalog(metaPath)
    const visit = (dir: CatalogDir, rel: string) => {
      for (const [name, file] of Object.entries(dir.files)) if (!file.symlink) digests.set(rel + name, file.digest)
      for (const [name, sub] of Object.entries(dir.subdirs)) if (!sub.symlink) visit(sub, `${rel}${name}/`)
    }

    visit(meta.tree, '')
  } catch {
    // No usable record: every file is restored again, which is always correct.
  }

  return digests
}

async function restoreSymlink(link: FilePlan, fresh: boolean): Promise<void> {
  const target = link.file.symlink as string
  if (!fresh) {
    const existing = await fsp.readlink(link.path).catch(() => null)
    if (existing === target) return
    await fsp.rm(link.path, {recursive: true, force: true})
  }

  await fsp.symlink(target, link.path)
}

