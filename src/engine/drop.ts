import {promises as fsp} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'

import pMap from 'p-map'

import {loadCatalog, readCatalogFile} from './catalog.js'
import {STREAM_THRESHOLD_BYTES} from './codec/index.js'
import type {GzipBackend} from './codec/index.js'
import {HoloError, explainSystemError, isHoloError} from './errors.js'
import {makeDirectories} from './fs/mkdirs.js'
import {forEntry} from './restore/checks.js'
import {writeFileAtomic} from './fs/atomic.js'
import {defaultJobs} from './jobs.js'
import {libraryFilePath, libraryLayout} from './library.js'
import {posixPermFromGo} from './mode.js'
import {hasName} from './names.js'
import {runOnWorkers, warmUpRestoreWorkers} from './restore/pool.js'
import {restoreLargeFile} from './restore/restore-large.js'
import {addStats, emptyStats} from './restore/types.js'
import type {RestoreSettings, RestoreTask} from './restore/types.js'
import {applyDirModes, openRestoredTarget, shapeDirs} from './restore/target-shape.js'
import type {DirPlan} from './restore/target-shape.js'
import {assertSafeName} from './safe-path.js'
import {probeStrategy} from './strategy.js'
import type {AppliedStrategy, Strategy, StrategyProbe} from './strategy.js'
import type {Catalog, CatalogDir, CatalogFile, ProgressCallback, StoredFormat, ZstdBackend} from './types.js'

export {RESTORED_MTIME} from './restore/types.js'

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
  jobs?: number
  zstdBackend?: ZstdBackend | 'auto'
  /** Which gzip implementation reads gzip files: node:zlib (default) or pako, pure JS as RCC's Go gzip is. */
  gzipBackend?: GzipBackend
  onProgress?: ProgressCallback
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

/** Restore a catalog into a directory, as RCC's RestoreTo does. */
export async function drop(options: DropOptions): Promise<DropResult> {
  const started = performance.now()
  const catalogPath = resolve(options.catalog)
  const root = resolve(options.library ?? dirname(dirname(catalogPath)))
  const target = resolve(options.target)
  const verify = options.verify !== false
  const workers = options.jobs ?? defaultJobs()
  // Workers load their modules (tens of ms each) on the other cores while the catalog is read.
  warmUpRestoreWorkers(workers)
  // Read once: the stored bytes become the target's .meta at the end.
  const {catalog, stored: storedCatalog} = await readCatalogFile(catalogPath, {given: true})
  // Everything that can be refused is refused before the first write.
  const plan = planRestore(catalog, catalogPath, target)
  const relocation = relocationFor(catalog, plan, target, catalogPath)

  if (plan.files.length > 0) await assertLibrary(root, catalogPath)
  await openRestoredTarget(target)
  const fresh = await prepareTarget(target)
  const metaPath = `${target}.meta`
  const previous = fresh ? new Map<string, string>() : await previousDigests(metaPath)
  await fsp.rm(metaPath, {force: true})

  const removed = await shapeDirs(plan.dirs, fresh)
  const sample = plan.files.find((f) => f.file.rewrite.length === 0)
  const probe = await probeStrategy(options.strategy ?? 'auto', sample && libraryFilePath(root, sample.file.digest), target, libraryLayout(root).libraryDir)
  const settings: RestoreSettings = {
    verify,
    eligible: probe.eligible,
    fresh,
    relocationTo: relocation.to,
    umask: process.umask(),
    zstdBackend: options.zstdBackend,
    gzipBackend: options.gzipBackend,
  }
  const tasks = plan.files.map((fp): RestoreTask => ({
    path: fp.path,
    rel: fp.rel,
    source: libraryFilePath(root, fp.file.digest),
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
  // Small files go to worker threads; big ones stream here, in bounded memory, meanwhile.
  const [smallStats] = await inCatalog(catalogPath, Promise.all([
    runOnWorkers(
      tasks.filter((t) => t.size <= STREAM_THRESHOLD_BYTES),
      settings,
      {
        workers,
        onBatch: (done) => {
          small = done
          tick()
        },
      },
    ),
    pMap(
      tasks.filter((t) => t.size > STREAM_THRESHOLD_BYTES),
      async (task) => {
        try {
          await (task.unchanged && (await unchangedOnDisk(task)) ? stats.skipped++ : restoreLargeFile(task, settings, stats))
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
  await writeFileAtomic(metaPath, storedCatalog)

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
    for (const [name, file] of Object.entries(dir.files)) {
      assertSafeName(name, `${rel}${name}`, catalogPath)
      if (hasName(dir.subdirs, name)) throw new HoloError('ECORRUPT', `Catalog ${catalogPath}: ${rel}${name} is both a file and a directory`, {path: catalogPath})
      const fp = {path: join(path, name), rel: rel + name, file}
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
      const subPath = join(path, name)
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
    throw new HoloError(
      'ERELOCATE',
      `Cannot restore ${catalogPath} into ${target}: relocations replace ${JSON.stringify(catalog.identity)} (${Buffer.byteLength(catalog.identity)} bytes) with ${JSON.stringify(to)} (${Buffer.byteLength(to)} bytes); they must be the same length`,
      {path: target},
    )
  }

  return {from: catalog.identity, to: Buffer.from(to)}
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

/** The hololib must be a directory holding library/: checked before the target is touched. */
async function assertLibrary(root: string, catalogPath: string): Promise<void> {
  const stats = await fsp.stat(root).catch(() => null)
  const hint = 'pass --library the hololib root, the directory holding catalog/ and library/ (default: the directory above the catalog\'s catalog/)'
  if (!stats) throw new HoloError('EUSAGE', `Hololib ${root} does not exist: ${hint}`, {path: root})
  if (!stats.isDirectory()) throw new HoloError('EUSAGE', `Hololib ${root} is a file, not a directory: ${hint}`, {path: root})
  const library = await fsp.stat(libraryLayout(root).libraryDir).catch(() => null)
  if (!library?.isDirectory()) throw new HoloError('EUSAGE', `${root} is not a hololib (it has no library/ directory) for ${catalogPath}: ${hint}`, {path: root})
}

/** Failures of the file phase name the catalog as well as the entry. */
async function inCatalog<T>(catalogPath: string, work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (error) {
    if (!isHoloError(error) || error.message.includes(catalogPath)) throw error
    throw new HoloError(error.code, `Catalog ${catalogPath}: ${error.message}`, {path: error.path, data: error.data, cause: error})
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

/** The same test as a worker makes, for big files restored here. */
async function unchangedOnDisk(task: RestoreTask): Promise<boolean> {
  const stats = await fsp.lstat(task.path).catch(() => null)
  return Boolean(stats?.isFile() && stats.size === task.size && (stats.mode & 0o7777) === task.perm)
}
