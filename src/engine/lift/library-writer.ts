import {createReadStream, createWriteStream, existsSync, mkdirSync, promises as fsp, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {classifyLeftover, removeLeftovers} from '../check/leftovers.js'
import type {Leftover} from '../check/leftovers.js'
import {compressBuffer} from '../codec/compress.js'
import {STREAM_THRESHOLD_BYTES} from '../codec/whole.js'
import {createDigester, digestBuffer} from '../digest.js'
import {fsyncFile, tempPathFor, writeFileAtomic, writeFileAtomicUnsyncedSync} from '../fs/atomic.js'
import {libraryFilePath} from '../library.js'
import {RelocationScanner, findRelocations} from '../relocate.js'
import {probeStoredFile} from '../stored-probe.js'
import type {CodecName, DigestAlgorithm, ZstdBackend} from '../types.js'

/** One regular file to lift: plain data, so it can cross to a worker thread. */
export interface LiftTask {
  path: string
  /** Its size when the tree was walked (bytes): files above STREAM_THRESHOLD_BYTES are streamed. */
  size: number
  /** Its POSIX mode (st_mode): the library file's mode derives from it. */
  mode: number
}

/** What a lifted file's catalog entry records, from the bytes actually read. */
export interface LiftedFacts {
  digest: string
  /** Relocation offsets: where the identity occurs. */
  rewrite: number[]
  size: number
}

/** What every file of one lift shares: plain data, so it can cross to a worker thread. */
export interface LiftSettings {
  /** Tells lifts apart in a worker kept between them: each lift dedupes on its own. */
  liftId: string
  /** The hololib root. */
  library: string
  codec: CodecName
  level?: number
  zstdBackend?: ZstdBackend | 'auto'
  algorithm: DigestAlgorithm
  /** The identity whose offsets are recorded as relocations. */
  identity: string
  fsync: boolean
  existing: 'probe' | 'trust'
}

/** Something in the tree, or the library, that lift reports. */
export interface SkippedEntry {
  path: string
  reason: string
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

/**
 * Writes content into the library once per digest; memory stays bounded for big files. One per
 * lift and thread: a lift on several threads gives all files of one size to one thread
 * (lift/lanes.ts), so that files with the same content meet the same writer.
 */
export class LibraryWriter {
  stored = 0
  storedBytes = 0
  private readonly madeDirs = new Set<string>()
  // Digests stored (or being stored) by this writer: identical files are compressed once.
  private readonly seen = new Set<string>()
  /** Damaged library files found under a content's name, stored anew. */
  readonly replaced: SkippedEntry[] = []
  private readonly needle: Buffer

  constructor(private readonly settings: LiftSettings) {
    this.needle = Buffer.from(settings.identity)
  }

  /** Store one file (if its content is not there yet) and say what its catalog entry records. */
  async put(task: LiftTask): Promise<LiftedFacts> {
    if (task.size > STREAM_THRESHOLD_BYTES) return this.putStream(task)
    const {settings} = this
    // Synchronous: a small file's read takes microseconds; async it would be four hops to libuv's pool.
    const data = readFileSync(task.path)
    const facts: LiftedFacts = {digest: digestBuffer(settings.algorithm, data), rewrite: findRelocations(data, this.needle), size: data.length}
    const target = libraryFilePath(this.settings.library, facts.digest)
    if (await this.claimed(facts.digest, facts.size, target)) return facts
    const stored = await compressBuffer(settings.codec, data, {level: settings.level, zstdBackend: settings.zstdBackend})
    await this.mkdirFor(target)
    if (!settings.fsync) writeFileAtomicUnsyncedSync(target, stored, libraryFileMode(task.mode))
    else await writeFileAtomic(target, stored, {fsync: true, mode: libraryFileMode(task.mode)})
    this.stored++
    this.storedBytes += stored.length
    return facts
  }

  /** Hash, scan and compress in one pass into a temp file in library/, then rename to its digest. */
  private async putStream(task: LiftTask): Promise<LiftedFacts> {
    const {settings} = this
    const digester = createDigester(settings.algorithm)
    const scanner = new RelocationScanner(this.needle)
    let size = 0
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        digester.update(chunk)
        scanner.push(chunk)
        size += chunk.length
        callback(null, chunk)
      },
    })
    const temp = tempPathFor(join(settings.library, 'library', 'lift'))
    let storedBytes = 0
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        storedBytes += chunk.length
        callback(null, chunk)
      },
    })
    try {
      await pipeline(
        // A chunk of STREAM_THRESHOLD_BYTES is one zstd frame (codec/zstd-stream.ts): no copy to cut frames.
        createReadStream(task.path, {highWaterMark: STREAM_THRESHOLD_BYTES}),
        tap,
        // Loaded when a file is this big: the streams are most of the codec layer's start-up.
        (await import('../codec/index.js')).createCompressStream(settings.codec, {level: settings.level, zstdBackend: settings.zstdBackend, path: task.path}),
        counter,
        createWriteStream(temp, {flags: 'wx', mode: libraryFileMode(task.mode)}),
      )
      if (settings.fsync) await fsyncFile(temp)
      const facts: LiftedFacts = {digest: digester.digest(), rewrite: scanner.offsets, size}
      const target = libraryFilePath(this.settings.library, facts.digest)
      if (await this.claimed(facts.digest, facts.size, target)) return facts
      await this.mkdirFor(target)
      await fsp.rename(temp, target)
      this.stored++
      this.storedBytes += storedBytes
      return facts
    } finally {
      await fsp.rm(temp, {force: true})
    }
  }

  /**
   * True when the content (its library file: `path`) is already in the library or claimed by
   * another file of this lift (RCC dedupes by existence alone). A file already there is probed first (size, gzip trailer, zstd
   * frames): a damaged one is not reused but stored again over it, atomically, and reported.
   */
  private async claimed(digest: string, size: number, path: string): Promise<boolean> {
    if (this.seen.has(digest)) return true
    this.seen.add(digest)
    if (this.settings.existing === 'trust') return existsSync(path)
    const probe = await probeStoredFile(path, size, this.settings.algorithm)
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
export async function removeStaleTemps(dir: string): Promise<void> {
  const names = await fsp.readdir(dir).catch(() => [] as string[])
  const stale = names.map((name) => classifyLeftover(join(dir, name), name)).filter((l): l is Leftover => l?.kind === 'holobench' && l.stale)
  await removeLeftovers(stale)
}
