import {createHash} from 'node:crypto'
import {createReadStream, createWriteStream, existsSync, mkdirSync, promises as fsp, readFileSync} from 'node:fs'
import type {Stats} from 'node:fs'
import {basename, dirname, isAbsolute, join, relative, resolve, sep} from 'node:path'
import {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import pMap from 'p-map'

import {MAX_TREE_DEPTH, saveCatalog} from './catalog.js'
import {catalogName, goPlatform} from './catalog.js'
import {STREAM_THRESHOLD_BYTES, compressBuffer, createCompressStream} from './codec/index.js'
import {createDigester, digestBuffer} from './digest.js'
import {HoloError, explainSystemError} from './errors.js'
import {makeDirectories} from './fs/mkdirs.js'
import {fsyncFile, tempPathFor, writeFileAtomic, writeFileAtomicUnsyncedSync} from './fs/atomic.js'
import {acquireLock, libraryLockDir} from './fs/lock.js'
import {classifyLeftover, removeLeftovers} from './check/leftovers.js'
import type {Leftover} from './check/leftovers.js'
import type {LockHolder} from './fs/lock.js'
import {digestAlgorithmFor, libraryFilePath, prepareLibrary} from './library.js'
import {goModeFromPosix} from './mode.js'
import {getName, nameMap, setName} from './names.js'
import {probeStoredFile} from './stored-probe.js'
import {defaultLiftConcurrency} from './jobs.js'
import {RelocationScanner, findRelocations} from './relocate.js'
import type {Catalog, CatalogDir, CatalogFile, CodecName, DigestAlgorithm, ProgressCallback, ZstdBackend} from './types.js'
import {HOLOBENCH_VERSION} from './version.js'

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
  /** Files processed at once. */
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

interface FileJob {
  path: string
  stats: Stats
  entry: CatalogFile
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
  const state: WalkState = {jobs: [], links: [], dirs: 0, symlinks: 0, rccExcludes: options.rccExcludes === true, skipped: []}
  // RCC's root Dir has an empty name.
  const tree = await walk(source, '', rootStats, state, 0)
  await makeDirectories(root, 'the hololib')
  const lock = await acquireLock(libraryLockDir(root), {mode: 'shared', purpose: 'lift', what: `library ${root}`, wait: options.wait, onWait: (h) => options.onWait?.(`library ${root}`, h)})
  try {
    return await liftLocked(options, source, tree, state, started)
  } finally {
    lock.release()
  }
}

async function liftLocked(options: LiftOptions, source: string, tree: CatalogDir, state: WalkState, started: number): Promise<LiftResult> {
  const compressed = options.codec !== 'none'
  const algorithm = digestAlgorithmFor(compressed)
  const identity = options.identity ?? basename(source)
  const needle = Buffer.from(identity)
  const layout = await prepareLibrary(options.library, compressed)
  // Temp files of dead writers where a lift writes besides the fan-out: streamed files, catalogs.
  await removeStaleTemps(layout.libraryDir)
  await removeStaleTemps(layout.catalogDir)
  const {jobs} = state

  const store = new LibraryWriter(options, algorithm)
  const totalBytes = jobs.reduce((sum, job) => sum + job.stats.size, 0)
  let done = 0
  let doneBytes = 0
  // On the first failure no new file starts, and the error is thrown only once every file in
  // flight has finished and removed its temp file: a failed lift (ENOSPC) leaves none behind.
  let failure: {error: unknown} | undefined
  await pMap(
    jobs,
    async (job) => {
      if (failure) return
      try {
        await store.put(job, needle).catch((error: NodeJS.ErrnoException) => {
          throw explainSystemError(error, `Cannot lift ${job.path}:`, error.path ?? job.path)
        })
      } catch (error) {
        failure ??= {error}
        return
      }

      done++
      doneBytes += job.stats.size
      options.onProgress?.({phase: 'lift', done, total: jobs.length, bytes: doneBytes, totalBytes})
    },
    {concurrency: options.jobs ?? defaultLiftConcurrency()},
  )
  if (failure) throw failure.error
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
  const relocatedFiles = jobs.filter((job) => job.entry.rewrite.length > 0).length
  return {
    catalog: saved.path,
    catalogName: catalogName(catalog.blueprint, catalog.platform),
    catalogBytes: saved.bytes,
    codec: options.codec,
    identity,
    files: jobs.length,
    dirs: state.dirs,
    symlinks: state.symlinks,
    bytes: jobs.reduce((sum, job) => sum + job.stats.size, 0),
    filesStored: store.stored,
    filesDeduplicated: jobs.length - store.stored,
    storedBytesWritten: store.storedBytes,
    relocatedFiles,
    relocations: jobs.reduce((sum, job) => sum + job.entry.rewrite.length, 0),
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
  jobs: FileJob[]
  links: LinkJob[]
  dirs: number
  symlinks: number
  rccExcludes: boolean
  skipped: SkippedEntry[]
}

/** Something in the tree that lift leaves out, and why. */
export interface SkippedEntry {
  path: string
  reason: string
}

/**
 * Walk the tree into a catalog Dir, queueing files. Every symlink is recorded as a link with its
 * raw target (RCC's Lift does too) and nothing is read through it: a link may point out of the
 * tree, at content that is not the tree's to store. A symlinked directory is not walked into
 * (RCC walks it as a shadow; a link to an ancestor would never end), so it restores as a link.
 */
async function walk(path: string, name: string, stats: Stats, state: WalkState, depth: number): Promise<CatalogDir> {
  if (depth > MAX_TREE_DEPTH) throw new HoloError('EINPUT', `Cannot lift ${path}: it is more than ${MAX_TREE_DEPTH} directories deep, deeper than a catalog may be`, {path})
  state.dirs++
  const dir: CatalogDir = {name, mode: goModeFromPosix(stats.mode), subdirs: nameMap(), files: nameMap()}
  const raw = await fsp.readdir(path, {encoding: 'buffer'}).catch((error: unknown) => {
    throw explainSystemError(error, 'Cannot read directory', path)
  })
  const names = raw.map((bytes) => utf8Name(bytes, path)).filter((n) => !(state.rccExcludes && excluded(n))).sort()
  const children = await Promise.all(
    names.map(async (n) => ({
      name: n,
      stats: await fsp.lstat(join(path, n)).catch((error: unknown) => {
        throw explainSystemError(error, 'Cannot lift', join(path, n))
      }),
    })),
  )
  for (const {name: childName, stats: child} of children) {
    const childPath = join(path, childName)
    if (child.isSymbolicLink()) {
      state.symlinks++
      const symlink = utf8Name(await fsp.readlink(childPath, {encoding: 'buffer'}), childPath, 'the target of the symlink')
      const target = await fsp.stat(childPath).catch(() => null)
      if (target?.isDirectory()) {
        setName(dir.subdirs, childName, {name: childName, symlink, mode: goModeFromPosix(target.mode), subdirs: nameMap<CatalogDir>(), files: nameMap<CatalogFile>()})
      } else {
        // The link's own size and mode, and no digest, until describeLinks finds its target in the tree.
        const entry: CatalogFile = {name: childName, symlink, size: child.size, mode: goModeFromPosix(child.mode), digest: '', rewrite: []}
        setName(dir.files, childName, entry)
        if (target?.isFile()) state.links.push({path: childPath, entry})
      }
    } else if (child.isDirectory()) {
      setName(dir.subdirs, childName, await walk(childPath, childName, child, state, depth + 1))
    } else if (child.isFile()) {
      const entry: CatalogFile = {name: childName, size: child.size, mode: goModeFromPosix(child.mode), digest: '', rewrite: []}
      setName(dir.files, childName, entry)
      state.jobs.push({path: childPath, stats: child, entry})
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

/**
 * A library file is never more readable than its source: owner read/write, and group or other
 * read only where the source grants it (a 0600 file stays 0600, a 0644 or 0755 one is 0644).
 * RCC creates library files 0666 less the umask (0666 outright in a shared holotree), which
 * would publish a private file's content; content already stored is left as it is.
 */
export function libraryFileMode(sourceMode: number): number {
  return 0o600 | (sourceMode & 0o044)
}

/** Writes content into the library once per digest; memory stays bounded for big files. */
class LibraryWriter {
  stored = 0
  storedBytes = 0
  private readonly madeDirs = new Set<string>()
  // Digests stored (or being stored) by this lift: identical files are compressed once.
  private readonly seen = new Set<string>()
  /** Damaged library files found under a content's name, stored anew. */
  readonly replaced: SkippedEntry[] = []

  constructor(
    private readonly options: LiftOptions,
    private readonly algorithm: DigestAlgorithm,
  ) {}

  async put(job: FileJob, needle: Buffer): Promise<void> {
    if (job.stats.size > STREAM_THRESHOLD_BYTES) return this.putStream(job, needle)
    // Synchronous: a small file's read takes microseconds; async it would be four hops to libuv's pool.
    const data = readFileSync(job.path)
    job.entry.digest = digestBuffer(this.algorithm, data)
    job.entry.rewrite = findRelocations(data, needle)
    job.entry.size = data.length
    if (await this.claimed(job.entry.digest, job.entry.size)) return
    const target = libraryFilePath(this.options.library, job.entry.digest)
    const stored = await compressBuffer(this.options.codec, data, {level: this.options.level, zstdBackend: this.options.zstdBackend})
    await this.mkdirFor(target)
    if (this.options.fsync === false) writeFileAtomicUnsyncedSync(target, stored, libraryFileMode(job.stats.mode))
    else await writeFileAtomic(target, stored, {fsync: true, mode: libraryFileMode(job.stats.mode)})
    this.stored++
    this.storedBytes += stored.length
  }

  /** Hash, scan and compress in one pass into a temp file in library/, then rename to its digest. */
  private async putStream(job: FileJob, needle: Buffer): Promise<void> {
    const digester = createDigester(this.algorithm)
    const scanner = new RelocationScanner(needle)
    let size = 0
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        digester.update(chunk)
        scanner.push(chunk)
        size += chunk.length
        callback(null, chunk)
      },
    })
    const temp = tempPathFor(join(this.options.library, 'library', 'lift'))
    let storedBytes = 0
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        storedBytes += chunk.length
        callback(null, chunk)
      },
    })
    try {
      await pipeline(
        createReadStream(job.path, {highWaterMark: 1 << 20}),
        tap,
        createCompressStream(this.options.codec, {level: this.options.level, zstdBackend: this.options.zstdBackend, path: job.path}),
        counter,
        createWriteStream(temp, {flags: 'wx', mode: libraryFileMode(job.stats.mode)}),
      )
      if (this.options.fsync !== false) await fsyncFile(temp)
      job.entry.digest = digester.digest()
      job.entry.rewrite = scanner.offsets
      job.entry.size = size
      if (await this.claimed(job.entry.digest, job.entry.size)) return
      const target = libraryFilePath(this.options.library, job.entry.digest)
      await this.mkdirFor(target)
      await fsp.rename(temp, target)
      this.stored++
      this.storedBytes += storedBytes
    } finally {
      await fsp.rm(temp, {force: true})
    }
  }

  /**
   * True when the content is already in the library or claimed by another file of this lift (RCC
   * dedupes by existence alone). A file already there is probed first (size, gzip trailer, zstd
   * frames): a damaged one is not reused but stored again over it, atomically, and reported.
   */
  private async claimed(digest: string, size: number): Promise<boolean> {
    if (this.seen.has(digest)) return true
    this.seen.add(digest)
    if (this.options.existing === 'trust') return existsSync(libraryFilePath(this.options.library, digest))
    const path = libraryFilePath(this.options.library, digest)
    const probe = await probeStoredFile(path, size, this.algorithm)
    if (probe.state === 'damaged') this.replaced.push({path, reason: probe.reason})
    return probe.state === 'sound'
  }

  private async mkdirFor(file: string): Promise<void> {
    const dir = dirname(file)
    if (this.madeDirs.has(dir)) return
    // A directory that was there may hold what an interrupted writer left: this lift is about to
    // store into it, so it clears them (a rerun leaves `check` clean).
    // Synchronous: a mkdir takes microseconds, and nearly every stored file has a directory of its own.
    const made = mkdirSync(dir, {recursive: true})
    if (made === undefined) await removeStaleTemps(dir)
    this.madeDirs.add(dir)
  }
}

/**
 * Remove the temp files in `dir` (not below it) whose writer is gone (check/leftovers.ts: a
 * holobench temp name names its pid). Live writers' temps, other lifts' included, stay.
 */
async function removeStaleTemps(dir: string): Promise<void> {
  const names = await fsp.readdir(dir).catch(() => [] as string[])
  const stale = names.map((name) => classifyLeftover(join(dir, name), name)).filter((l): l is Leftover => l?.kind === 'holobench' && l.stale)
  await removeLeftovers(stale)
}
