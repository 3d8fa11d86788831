import {createHash, randomUUID} from 'node:crypto'
import {lstatSync, promises as fsp, readdirSync, readlinkSync, statSync} from 'node:fs'
import type {Stats} from 'node:fs'
import {basename, isAbsolute, join, relative, resolve, sep} from 'node:path'

import {MAX_TREE_DEPTH, saveCatalog} from './catalog.js'
import {catalogName, goPlatform} from './catalog.js'
import {HoloError, explainSystemError} from './errors.js'
import {makeDirectories} from './fs/mkdirs.js'
import {acquireLock, libraryLockDir} from './fs/lock.js'
import type {LockHolder} from './fs/lock.js'
import {digestAlgorithmFor, prepareLibrary} from './library.js'
import {goModeFromPosix} from './mode.js'
import {getName, nameMap, setName} from './names.js'
import {defaultLiftConcurrency} from './jobs.js'
import {LibraryWriter, removeStaleTemps} from './lift/library-writer.js'
import type {LiftSettings, SkippedEntry} from './lift/library-writer.js'
import {WORKERS_MIN_FILES, liftLanes, liftOnLanes, warmUpLiftWorkers} from './lift/lanes.js'
import type {LiftItem, LiftLanes} from './lift/lanes.js'
import type {Catalog, CatalogDir, CatalogFile, CodecName, ProgressCallback, ZstdBackend} from './types.js'
import {HOLOBENCH_VERSION} from './version.js'

export {libraryFileMode} from './lift/library-writer.js'
export type {SkippedEntry} from './lift/library-writer.js'

export interface LiftOptions {
  /** The directory tree to lift. */
  source: string
  /** The hololib root (created if missing). */
  library: string
  codec: CodecName
  /** Compression level; default 1 for gzip and zstd, as RCC writes them. */
  level?: number
  zstdBackend?: ZstdBackend | 'auto'
  /** The string whose offsets are recorded as relocations; default: the source's basename, as RCC does. */
  identity?: string
  /** Files processed at once, shared among the lanes (this thread and a worker per further core, lift/lanes.ts). */
  jobs?: number
  /** Catalog naming and Info fields; blueprint defaults to a hash of the tree. */
  blueprint?: string
  platform?: string
  controller?: string
  space?: string
  /** Skip the names RCC never lifts (__pycache__, *.pyc, .git, …), as RCC does; default false: lift every file. */
  rccExcludes?: boolean
  /** fsync each library file before its rename; default true. */
  fsync?: boolean
  /**
   * What to make of a library file already stored under a content's digest: `probe` (default)
   * checks its size, gzip trailer or zstd frames and stores it again when damaged; `trust` reuses
   * it unseen, as RCC does.
   */
  existing?: 'probe' | 'trust'

  onProgress?: ProgressCallback
  /** Wait while a migration holds the library (default); false: fail at once with ELOCKED. */
  wait?: boolean
  /** Called once when a migration holds the library and this lift waits for it. */
  onWait?: (what: string, holders: LockHolder[]) => void
}

export interface LiftResult {
  catalog: string
  catalogName: string
  catalogBytes: number
  codec: CodecName
  identity: string
  files: number
  dirs: number
  symlinks: number
  bytes: number
  filesStored: number
  filesDeduplicated: number
  storedBytesWritten: number
  relocatedFiles: number
  relocations: number
  /** Sockets, FIFOs and devices: left out, each with its reason. */
  skipped: SkippedEntry[]
  /** Library files that were already there but damaged (emptied, truncated): stored again. */
  replaced: SkippedEntry[]
  seconds: number
}

/** A symlinked file: recorded as a link, its target never read through it. */
interface LinkJob {
  path: string
  entry: CatalogFile
}

/**
 * Lift a directory tree into a hololib: content-addressed files plus one catalog. Lifts share the
 * library (files are content-addressed and written atomically, as RCC lets them); a migration
 * excludes them, so this waits while one runs (fs/lock.ts).
 */
export async function lift(options: LiftOptions): Promise<LiftResult> {
  const started = performance.now()
  const source = resolve(options.source)
  const rootStats = await fsp.stat(source).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new HoloError('EUSAGE', `Cannot lift ${source}: no such directory`, {path: source})
    throw explainSystemError(error, 'Cannot lift', source)
  })
  if (!rootStats.isDirectory()) throw new HoloError('EUSAGE', `Cannot lift ${source}: not a directory`, {path: source})
  const root = resolve(options.library)
  // The walk only reads: the library path and every name are checked before the library is touched.
  await assertLibraryPath(root)
  const jobs = options.jobs ?? defaultLiftConcurrency()
  const state: WalkState = {files: [], links: [], dirs: 0, symlinks: 0, rccExcludes: options.rccExcludes === true, skipped: [], onManyFiles: () => warmUpLiftWorkers(liftLanes(jobs, WORKERS_MIN_FILES).threads)}
  // RCC's root Dir has an empty name.
  const tree = walk(source, '', rootStats, state, 0)
  await makeDirectories(root, 'the hololib')
  const lock = await acquireLock(libraryLockDir(root), {mode: 'shared', purpose: 'lift', what: `library ${root}`, wait: options.wait, onWait: (h) => options.onWait?.(`library ${root}`, h)})
  try {
    return await liftLocked(options, source, tree, state, liftLanes(jobs, state.files.length), started)
  } finally {
    lock.release()
  }
}

async function liftLocked(options: LiftOptions, source: string, tree: CatalogDir, state: WalkState, lanes: LiftLanes, started: number): Promise<LiftResult> {
  const compressed = options.codec !== 'none'
  const layout = await prepareLibrary(options.library, compressed)
  // Temp files of dead writers where a lift writes besides the fan-out: streamed files, catalogs.
  await removeStaleTemps(layout.libraryDir)
  await removeStaleTemps(layout.catalogDir)
  const {files} = state
  const identity = options.identity ?? basename(source)
  const settings: LiftSettings = {
    liftId: randomUUID(),
    library: options.library,
    codec: options.codec,
    level: options.level,
    zstdBackend: options.zstdBackend,
    algorithm: digestAlgorithmFor(compressed),
    identity,
    fsync: options.fsync !== false,
    existing: options.existing ?? 'probe',
  }
  const totalBytes = files.reduce((sum, file) => sum + file.task.size, 0)
  // On the first failure no new file starts, and the error is thrown only once every file in
  // flight has finished and removed its temp file: a failed lift (ENOSPC) leaves none behind.
  const store = await liftOnLanes(files, settings, {
    lanes,
    writer: new LibraryWriter(settings),
    onBatch: (done, bytes) => options.onProgress?.({phase: 'lift', done, total: files.length, bytes, totalBytes}),
  })
  await describeLinks(state.links, source, tree)

  const catalog: Catalog = {
    rcc: `holobench/${HOLOBENCH_VERSION}`,
    identity,
    path: source,
    controller: options.controller ?? '',
    space: options.space ?? '',
    platform: options.platform ?? goPlatform(),
    blueprint: options.blueprint ?? treeBlueprint(tree, identity),
    lifted: true,
    tree,
  }
  const saved = await saveCatalog(options.library, catalog, {codec: options.codec, level: options.level, zstdBackend: options.zstdBackend, fsync: options.fsync})
  const relocatedFiles = files.filter((file) => file.entry.rewrite.length > 0).length
  return {
    catalog: saved.path,
    catalogName: catalogName(catalog.blueprint, catalog.platform),
    catalogBytes: saved.bytes,
    codec: options.codec,
    identity,
    files: files.length,
    dirs: state.dirs,
    symlinks: state.symlinks,
    bytes: totalBytes,
    filesStored: store.stored,
    filesDeduplicated: files.length - store.stored,
    storedBytesWritten: store.storedBytes,
    relocatedFiles,
    relocations: files.reduce((sum, file) => sum + file.entry.rewrite.length, 0),
    skipped: state.skipped,
    replaced: store.replaced,
    seconds: (performance.now() - started) / 1000,
  }
}

/** Names RCC never lifts (htfs/directory.go killfile); restores then remove them as extras. */
export const RCC_EXCLUDED_NAMES: ReadonlySet<string> = new Set(['__MACOSX', '__pycache__', '.git', '.hg', '.svn', '.gitignore', '.pyc'])

/** Whether RCC leaves a file or directory of this name out of a lift (--rcc-excludes). */
export function excluded(name: string): boolean {
  const dot = name.lastIndexOf('.')
  return RCC_EXCLUDED_NAMES.has(name) || (dot > 0 && RCC_EXCLUDED_NAMES.has(name.slice(dot)))
}

interface WalkState {
  /** Regular files, in walk order, each with its catalog entry. */
  files: LiftItem[]
  links: LinkJob[]
  dirs: number
  symlinks: number
  rccExcludes: boolean
  skipped: SkippedEntry[]
  /** Called once, when the walk reaches WORKERS_MIN_FILES files: the lift's workers can start loading. */
  onManyFiles: () => void
}

/**
 * Walk the tree into a catalog Dir, queueing files. Every symlink is recorded as a link with its
 * raw target (RCC's Lift does too) and nothing is read through it: a link may point out of the
 * tree, at content that is not the tree's to store. A symlinked directory is not walked into
 * (RCC walks it as a shadow; a link to an ancestor would never end), so it restores as a link.
 * Synchronous: a walk is a stat per entry, microseconds each, and a promise per call (a hop to
 * libuv's pool and back) cost the stdlib's 2,600 entries 120 ms of wall time where this takes 30
 * (measured, tmpfs, Node 20); nothing else runs on this thread during the walk.
 */
function walk(path: string, name: string, stats: Stats, state: WalkState, depth: number): CatalogDir {
  if (depth > MAX_TREE_DEPTH) throw new HoloError('EINPUT', `Cannot lift ${path}: it is more than ${MAX_TREE_DEPTH} directories deep, deeper than a catalog may be`, {path})
  state.dirs++
  const dir: CatalogDir = {name, mode: goModeFromPosix(stats.mode), subdirs: nameMap(), files: nameMap()}
  let raw: Buffer[]
  try {
    raw = readdirSync(path, {encoding: 'buffer'})
  } catch (error) {
    throw explainSystemError(error, 'Cannot read directory', path)
  }

  const names = raw.map((bytes) => utf8Name(bytes, path)).filter((n) => !(state.rccExcludes && excluded(n))).sort()
  for (const childName of names) {
    const childPath = join(path, childName)
    let child: Stats
    try {
      child = lstatSync(childPath)
    } catch (error) {
      throw explainSystemError(error, 'Cannot lift', childPath)
    }

    if (child.isSymbolicLink()) {
      state.symlinks++
      const symlink = utf8Name(readlinkSync(childPath, {encoding: 'buffer'}), childPath, 'the target of the symlink')
      const target = statOrNull(childPath)
      if (target?.isDirectory()) {
        setName(dir.subdirs, childName, {name: childName, symlink, mode: goModeFromPosix(target.mode), subdirs: nameMap<CatalogDir>(), files: nameMap<CatalogFile>()})
      } else {
        // The link's own size and mode, and no digest, until describeLinks finds its target in the tree.
        const entry: CatalogFile = {name: childName, symlink, size: child.size, mode: goModeFromPosix(child.mode), digest: '', rewrite: []}
        setName(dir.files, childName, entry)
        if (target?.isFile()) state.links.push({path: childPath, entry})
      }
    } else if (child.isDirectory()) {
      setName(dir.subdirs, childName, walk(childPath, childName, child, state, depth + 1))
    } else if (child.isFile()) {
      const entry: CatalogFile = {name: childName, size: child.size, mode: goModeFromPosix(child.mode), digest: '', rewrite: []}
      setName(dir.files, childName, entry)
      state.files.push({task: {path: childPath, size: child.size, mode: child.mode}, entry})
      if (state.files.length === WORKERS_MIN_FILES) state.onManyFiles()
    } else {
      // Sockets, fifos and devices have no content to restore: said, not silently dropped.
      state.skipped.push({path: childPath, reason: `${specialKind(child)}: no content a catalog can hold`})
    }
  }

  return dir
}

/**
 * A link to a regular file inside the tree gets that file's size, mode and digest, as RCC records
 * them (its Lift stats through the link, and RCC's catalog check wants every digest in the
 * library); the content is the tree's own and is stored under the file's own name. A link out of
 * the tree, or to what the catalog does not hold, keeps the link's own size and mode and no digest.
 */
async function describeLinks(links: LinkJob[], source: string, tree: CatalogDir): Promise<void> {
  if (links.length === 0) return
  const root = await fsp.realpath(source)
  for (const link of links) {
    const real = await fsp.realpath(link.path).catch(() => null)
    if (real === null) continue
    const rel = relative(root, real)
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue
    const parts = rel.split(sep)
    let dir: CatalogDir | undefined = tree
    for (const part of parts.slice(0, -1)) dir = dir && !dir.symlink ? getName(dir.subdirs, part) : undefined
    const file = dir && !dir.symlink ? getName(dir.files, parts[parts.length - 1]) : undefined
    if (!file || file.symlink || !file.digest) continue
    link.entry.size = file.size
    link.entry.mode = file.mode
    link.entry.digest = file.digest
    link.entry.rewrite = [...file.rewrite]
  }
}

/** What a symlink leads to, or null when it leads nowhere that can be stat'ed (dangling, a loop, no permission). */
function statOrNull(path: string): Stats | null {
  try {
    return statSync(path)
  } catch {
    return null
  }
}

function specialKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  return 'not a regular file, directory or symlink'
}

/**
 * A name read as bytes, refused unless it is plain UTF-8: a catalog is JSON, which holds text,
 * and RCC's Go writes invalid bytes as U+FFFD, so such a name could never be restored as it
 * was. The error shows the bytes escaped (`caf\xe9.txt`). `parent` is the directory (or, for a
 * link target, the link) the name belongs to.
 */
function utf8Name(bytes: Buffer, parent: string, what = 'its name'): string {
  const text = bytes.toString('utf8')
  if (Buffer.from(text, 'utf8').equals(bytes)) return text
  const shown = [...bytes].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('')
  const where = what === 'its name' ? join(parent, shown) : parent
  throw new HoloError('EINPUT', `Cannot lift ${where}: ${what} is not valid UTF-8 (${shown}); a catalog (JSON) cannot hold it and RCC would restore it under another name. Rename it, or leave it out of the tree.`, {path: where, data: {bytes: bytes.toString('hex')}})
}

/** The library must be a directory (or not exist yet): checked before anything is written. */
async function assertLibraryPath(root: string): Promise<void> {
  const stats = await fsp.stat(root).catch(() => null)
  if (stats && !stats.isDirectory()) {
    throw new HoloError('EUSAGE', `Hololib ${root} is a file, not a directory: pass --library the hololib root, the directory that holds (or will hold) catalog/ and library/`, {path: root})
  }
}

/** A stable blueprint for a lifted tree: 16 hex of a hash of its identity and catalog tree. */
function treeBlueprint(tree: CatalogDir, identity: string): string {
  return createHash('sha256').update(identity).update(JSON.stringify(tree)).digest('hex').slice(0, 16)
}
