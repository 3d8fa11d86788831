import {constants, createReadStream, createWriteStream, promises as fsp} from 'node:fs'
import type {FileHandle} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import pMap from 'p-map'

import {loadCatalog} from './catalog.js'
import {STREAM_THRESHOLD_BYTES, createDecompressStream, decompressBuffer, detectFormat} from './codec/index.js'
import type {GzipBackend} from './codec/index.js'
import {createDigester, digestBuffer} from './digest.js'
import {HoloError} from './errors.js'
import {writeFileAtomic} from './fs/atomic.js'
import {defaultJobs} from './jobs.js'
import {libraryFilePath, libraryLayout} from './library.js'
import {posixPermFromGo} from './mode.js'
import {applyRelocations} from './relocate.js'
import {assertSafeName} from './safe-path.js'
import {probeStrategy} from './strategy.js'
import type {AppliedStrategy, Strategy, StrategyProbe} from './strategy.js'
import type {Catalog, CatalogDir, CatalogFile, DigestAlgorithm, ProgressCallback, StoredFormat, ZstdBackend} from './types.js'

/** RCC sets every restored file's times to this instant (htfs/functions.go). */
export const RESTORED_MTIME = 1_610_000_000

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

interface DirPlan {
  path: string
  dir: CatalogDir
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
  const catalog = await loadCatalog(catalogPath)
  // Everything that can be refused is refused before the first write.
  const plan = planRestore(catalog, catalogPath, target)
  const relocation = relocationFor(catalog, plan, target, catalogPath)

  const fresh = await prepareTarget(target)
  const metaPath = `${target}.meta`
  const previous = fresh ? new Map<string, string>() : await previousDigests(metaPath)
  await fsp.rm(metaPath, {force: true})

  const removed = await makeDirs(plan, fresh)
  const sample = plan.files.find((f) => f.file.rewrite.length === 0)
  const probe = await probeStrategy(options.strategy ?? 'auto', sample && libraryFilePath(root, sample.file.digest), target, libraryLayout(root).libraryDir)
  const restorer = new FileRestorer({root, verify, probe, fresh, relocation, zstdBackend: options.zstdBackend, gzipBackend: options.gzipBackend})

  const total = plan.files.length + plan.links.length
  let done = 0
  const tick = () => options.onProgress?.({phase: 'drop', done: ++done, total, bytes: restorer.bytes})
  await pMap(
    plan.files,
    async (fp) => {
      await (isUnchanged(fp, previous.get(fp.rel)) ? restorer.skip(fp) : restorer.restore(fp))
      tick()
    },
    {concurrency: options.jobs ?? defaultJobs()},
  )
  for (const link of plan.links) {
    await restoreSymlink(link, fresh)
    tick()
  }

  // Directory modes last: a read-only directory would refuse the files written into it.
  await Promise.all(plan.dirs.map((d) => fsp.chmod(d.path, posixPermFromGo(d.dir.mode))))
  await writeFileAtomic(metaPath, await fsp.readFile(catalogPath))

  return {
    catalog: catalogPath,
    target,
    files: plan.files.length,
    dirs: plan.dirs.length,
    symlinks: plan.links.length,
    written: restorer.written,
    skipped: restorer.skipped,
    removed,
    rewritten: restorer.rewritten,
    bytes: restorer.bytes,
    verify,
    strategy: {...probe, counts: restorer.counts},
    formats: restorer.formats,
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
      if (name in dir.subdirs) throw new HoloError('ECORRUPT', `Catalog ${catalogPath}: ${rel}${name} is both a file and a directory`, {path: catalogPath})
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
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    await fsp.mkdir(target, {recursive: true, mode: 0o750})
    return true
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

/**
 * Create every directory as a real directory, parents first. In a target that was not empty,
 * anything the catalog does not name is removed, and a symlink or file where a directory
 * belongs is replaced, so no later write can follow a link out of the target.
 */
async function makeDirs(plan: Plan, fresh: boolean): Promise<number> {
  let removed = 0
  for (const {path, dir} of plan.dirs) {
    if (fresh) {
      if (path !== plan.dirs[0].path) await fsp.mkdir(path, {mode: 0o750})
      continue
    }

    const stats = await fsp.lstat(path).catch(() => null)
    if (stats && !stats.isDirectory()) {
      await fsp.rm(path, {recursive: true, force: true})
      removed++
    }

    if (!stats || !stats.isDirectory()) await fsp.mkdir(path, {mode: 0o750})
    const wanted = new Set([...Object.keys(dir.files), ...Object.keys(dir.subdirs)])
    for (const name of await fsp.readdir(path)) {
      if (wanted.has(name)) continue
      await fsp.rm(join(path, name), {recursive: true, force: true})
      removed++
    }
  }

  return removed
}

function isUnchanged(fp: FilePlan, previousDigest: string | undefined): boolean {
  return previousDigest !== undefined && previousDigest === fp.file.digest
}

function algorithmOf(digest: string): DigestAlgorithm {
  return digest.length === 64 ? 'sha256' : 'siphash128'
}

interface RestorerOptions {
  root: string
  verify: boolean
  probe: StrategyProbe
  fresh: boolean
  relocation: Relocation
  zstdBackend?: ZstdBackend | 'auto'
  gzipBackend?: GzipBackend
}

/** Restores one file at a time; counts what it did. */
class FileRestorer {
  written = 0
  skipped = 0
  rewritten = 0
  bytes = 0
  readonly counts: Record<AppliedStrategy, number> = {copy: 0, reflink: 0, hardlink: 0}
  readonly formats: Record<StoredFormat, number> = {gzip: 0, zstd: 0, raw: 0}
  private readonly umask = process.umask()

  constructor(private readonly options: RestorerOptions) {}

  /** RCC keeps a file whose previous record has the same digest and whose name, size and mode match. */
  async skip(fp: FilePlan): Promise<void> {
    const stats = await fsp.lstat(fp.path).catch(() => null)
    if (stats?.isFile() && stats.size === fp.file.size && (stats.mode & 0o7777) === posixPermFromGo(fp.file.mode)) {
      this.skipped++
      return
    }

    await this.restore(fp)
  }

  async restore(fp: FilePlan): Promise<void> {
    const source = this.libraryPath(fp)
    if (fp.file.size > STREAM_THRESHOLD_BYTES) return this.restoreLarge(fp, source)
    const linkable = this.options.probe.eligible !== 'copy' && fp.file.rewrite.length === 0
    let stored: Buffer
    if (linkable && !this.options.verify) {
      // Trusted: only the magic bytes are read, to be sure the file is stored raw.
      if ((await readHead(source, fp)) === 'raw') return this.link(fp, source)
      stored = await readLibraryFile(source, fp)
    } else {
      stored = await readLibraryFile(source, fp)
    }

    const format = detectFormat(stored)
    this.formats[format]++
    const content = format === 'raw' ? stored : await decompressBuffer(stored, {path: source, expectedSize: fp.file.size, zstdBackend: this.options.zstdBackend, gzipBackend: this.options.gzipBackend})
    checkSize(content.length, fp, source)
    if (this.options.verify) checkDigest(digestBuffer(algorithmOf(fp.file.digest), content), fp, source)
    if (linkable && format === 'raw') return this.link(fp, source)
    if (fp.file.rewrite.length > 0) {
      applyRelocations(content, fp.file.rewrite, this.options.relocation.to, source)
      this.rewritten++
    }

    await this.writeContent(fp, content)
    this.counts.copy++
    this.bytes += content.length
  }

  /** Big files stream through a bounded buffer; relocations are patched in place afterwards. */
  private async restoreLarge(fp: FilePlan, source: string): Promise<void> {
    const digester = this.options.verify ? createDigester(algorithmOf(fp.file.digest)) : undefined
    let size = 0
    let format: StoredFormat | undefined
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        digester?.update(chunk)
        size += chunk.length
        callback(null, chunk)
      },
    })
    const to = this.options.relocation.to
    await this.place(fp, async (part) => {
      const input = createReadStream(source, {highWaterMark: 1 << 20})
      input.once('data', (chunk) => {
        format = detectFormat(chunk as Buffer)
      })
      try {
        const decompress = createDecompressStream({path: source, zstdBackend: this.options.zstdBackend, gzipBackend: this.options.gzipBackend})
        await pipeline(input, decompress, tap, createWriteStream(part, {flags: 'wx', mode: posixPermFromGo(fp.file.mode)}))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missing(source, fp)
        throw error
      }

      checkSize(size, fp, source)
      if (digester) checkDigest(digester.digest(), fp, source)
      const handle = await fsp.open(part, 'r+')
      try {
        for (const offset of fp.file.rewrite) {
          if (offset + to.length > size) throw new HoloError('ERELOCATE', `Relocation at offset ${offset} runs past the end of ${source} (${size} bytes)`, {path: source})
          await handle.write(to, 0, to.length, offset)
        }
      } finally {
        await handle.close()
      }
    })
    if (format) this.formats[format]++
    if (fp.file.rewrite.length > 0) this.rewritten++
    this.counts.copy++
    this.bytes += size
  }

  /** Clone or hard-link an uncompressed library file, as the probe decided. */
  private async link(fp: FilePlan, source: string): Promise<void> {
    const how = this.options.probe.eligible
    const perm = posixPermFromGo(fp.file.mode)
    if (how === 'hardlink') {
      // A hard link shares the library file's inode: its mode must already be right, or it is copied.
      const stats = await fsp.stat(source)
      if ((stats.mode & 0o7777) !== perm) {
        await this.writeContent(fp, await fsp.readFile(source))
        this.counts.copy++
        this.bytes += fp.file.size
        return
      }
    }

    const part = this.options.fresh ? fp.path : `${fp.path}.part`
    if (!this.options.fresh) await fsp.rm(part, {force: true})
    await (how === 'hardlink' ? fsp.link(source, part) : fsp.copyFile(source, part, constants.COPYFILE_FICLONE_FORCE))
    if (how === 'reflink') {
      await fsp.chmod(part, perm)
      await fsp.utimes(part, RESTORED_MTIME, RESTORED_MTIME)
    }

    if (part !== fp.path) await fsp.rename(part, fp.path)
    this.formats.raw++
    this.counts[how]++
    this.bytes += fp.file.size
  }

  /** Write a small restored file from memory. */
  private async writeContent(fp: FilePlan, content: Buffer): Promise<void> {
    await this.place(fp, async (part) => {
      const handle = await fsp.open(part, 'wx', posixPermFromGo(fp.file.mode))
      try {
        await handle.writeFile(content)
      } finally {
        await handle.close()
      }
    })
  }

  /**
   * Put a restored file in place with its mode and RCC's fixed times. Into a fresh target it is
   * written in place (nothing is replaced; the missing .meta makes the next restore redo it
   * after a crash); otherwise through `<name>.part` and a rename, so a reader never sees a torn
   * file. `write` creates the file at the path it is given.
   */
  private async place(fp: FilePlan, write: (part: string) => Promise<void>): Promise<void> {
    const perm = posixPermFromGo(fp.file.mode)
    const part = this.options.fresh ? fp.path : `${fp.path}.part`
    if (!this.options.fresh) await fsp.rm(part, {force: true})
    try {
      await write(part)
      if ((perm & this.umask) !== 0 || perm > 0o777) await fsp.chmod(part, perm)
      await fsp.utimes(part, RESTORED_MTIME, RESTORED_MTIME)
    } catch (error) {
      await fsp.rm(part, {force: true})
      throw error
    }

    if (part !== fp.path) await fsp.rename(part, fp.path)
    this.written++
  }

  private libraryPath(fp: FilePlan): string {
    return libraryFilePath(this.options.root, fp.file.digest)
  }
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

async function readLibraryFile(source: string, fp: FilePlan): Promise<Buffer> {
  try {
    return await fsp.readFile(source)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missing(source, fp)
    throw error
  }
}

async function readHead(source: string, fp: FilePlan): Promise<StoredFormat> {
  let handle: FileHandle
  try {
    handle = await fsp.open(source, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missing(source, fp)
    throw error
  }

  try {
    const head = Buffer.alloc(4)
    const {bytesRead} = await handle.read(head, 0, 4, 0)
    return detectFormat(head.subarray(0, bytesRead))
  } finally {
    await handle.close()
  }
}

function missing(source: string, fp: FilePlan): HoloError {
  return new HoloError('EMISSING', `Hololib is missing ${source}, needed for ${fp.rel}`, {path: source})
}

function checkSize(actual: number, fp: FilePlan, source: string): void {
  if (actual !== fp.file.size) {
    throw new HoloError('ECORRUPT', `Corrupted hololib file ${source}: ${fp.rel} should be ${fp.file.size} bytes, it holds ${actual}`, {path: source})
  }
}

/** RCC's message, with the file named. */
function checkDigest(actual: string, fp: FilePlan, source: string): void {
  if (actual !== fp.file.digest) {
    throw new HoloError('EINTEGRITY', `Corrupted hololib, expected ${fp.file.digest}, actual ${actual} (${source}, for ${fp.rel})`, {path: source, data: {expected: fp.file.digest, actual}})
  }
}
