/**
 * `holobench check`: verify a hololib the way RCC's `holotree check` does, as a list of named,
 * timed steps (after cacache's verify.js). Without `repair` it changes nothing.
 *
 * 1. read catalogs: every catalog (RCC's glob) is decompressed and parsed.
 * 2. list library: content files, temp files of interrupted writes, strays.
 * 3. verify files: every content file is decompressed and hashed (SHA-256 or SipHash-128, told
 *    by its name's length) and must hash to its name.
 * 4. cross-reference: what each catalog needs against what verified; orphans; the marker
 *    against the catalogs' algorithm; an interrupted migration.
 * 5. repair (only when asked): catalogs that can no longer be restored are moved to the
 *    quarantine first (as RCC purges them, before their files), then corrupt files; stale temp
 *    files are removed; with `pruneOrphans`, files no catalog needs are quarantined too; empty
 *    directories go. Nothing is deleted but temp files: the quarantine keeps the rest.
 */
import {existsSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {resolve} from 'node:path'

import {catalogFiles} from '../catalog.js'
import {HoloError} from '../errors.js'
import {acquireLock, libraryLockDir} from '../fs/lock.js'
import {fsyncDir} from '../fs/atomic.js'
import {isCompressedLibrary, libraryFilePath, libraryLayout} from '../library.js'
import {FilePhase} from '../migrate/files.js'
import {warmUp} from '../migrate/pool.js'
import type {FileSettings} from '../migrate/file-task.js'
import {isLive, readJournal} from '../migrate/journal.js'
import type {Catalog, DigestAlgorithm, ProgressCallback, StoredFormat, ZstdBackend} from '../types.js'
import {linkDigests, loadCatalogSet, neededDigests} from './catalogs.js'
import type {CatalogSet} from './catalogs.js'
import {removeLeftovers} from './leftovers.js'
import {defaultQuarantineDir, quarantineFile} from './quarantine.js'
import {removeEmptyDirs, walkLibrary} from './walk.js'
import type {LibraryListing} from './walk.js'

export interface CheckOptions {
  /** The hololib root. */
  library: string
  /** Quarantine what cannot be restored or read, remove stale temp files. Default false: change nothing. */
  repair?: boolean
  /** Quarantine folder for repairs; default `<library>/quarantine`. */
  quarantine?: string
  /** With repair: also quarantine files no catalog needs (RCC's check deletes them). */
  pruneOrphans?: boolean
  /** Worker threads; default one per core. */
  jobs?: number
  zstdBackend?: ZstdBackend | 'auto'
  onProgress?: ProgressCallback
}

export interface BadFile {
  path: string
  digest: string
  /** ECORRUPT (cannot be decompressed) or EINTEGRITY (does not hash to its name). */
  code: string
  message: string
  /** Catalogs that need it. */
  catalogs: string[]
}

export interface MissingFile {
  digest: string
  /** Where the library should have it. */
  path: string
  /** A file of the first catalog that needs it. */
  neededFor: string
  catalogs: string[]
}

export interface UnrestorableCatalog {
  path: string
  missing: string[]
  bad: string[]
  /** Entries (paths in the tree) that disagree with their content: set only when there are some. */
  entries?: string[]
}

/** A catalog entry that a restore would fail on although its library file is sound. */
export interface WrongEntry {
  catalog: string
  /** The entry's path inside the tree. */
  entry: string
  digest: string
  message: string
}

export interface CheckResult {
  library: string
  /** Nothing is wrong. Orphans and strays are reported but are not wrong (they only take space). */
  ok: boolean
  /** One line per kind of problem found. */
  problems: string[]
  /** No compress.no marker: SHA-256 names and compressed files expected. */
  compressed: boolean
  migration: {to: string; pid: number; startedAt: string; running: boolean} | null
  catalogs: {
    total: number
    readable: number
    unreadable: Array<{path: string; code: string; message: string}>
    /** Catalogs that need a missing or bad file: no one can restore them. */
    unrestorable: UnrestorableCatalog[]
    /** Catalogs whose digests are not the marker's algorithm: holobench restores them, RCC cannot. */
    wrongAlgorithm: string[]
    /** Entries whose size or relocation offsets disagree with their (sound) content. */
    wrongEntries: WrongEntry[]
  }
  files: {
    total: number
    verified: number
    /** Stored bytes of all library files. */
    bytes: number
    /** Uncompressed bytes of the verified ones. */
    rawBytes: number
    formats: Record<StoredFormat, number>
    algorithms: Record<DigestAlgorithm, number>
  }
  bad: BadFile[]
  missing: MissingFile[]
  orphans: {count: number; bytes: number; paths: string[]; uncertain: boolean}
  strays: string[]
  leftovers: Array<{path: string; kind: 'holobench' | 'rcc'; stale: boolean}>
  /** Digests of symlinks (or shadowed files) not in the library: restores never read them. */
  linkContentMissing: number
  repairs: CheckRepairs | null
  steps: Array<{name: string; seconds: number}>
  seconds: number
}

export interface CheckRepairs {
  quarantine: string
  catalogsQuarantined: string[]
  filesQuarantined: string[]
  orphansQuarantined: string[]
  leftoversRemoved: string[]
  emptyDirsRemoved: number
}

export async function check(options: CheckOptions): Promise<CheckResult> {
  const started = performance.now()
  const root = resolve(options.library)
  const steps: CheckResult['steps'] = []
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t = performance.now()
    try {
      return await work()
    } finally {
      steps.push({name, seconds: (performance.now() - t) / 1000})
    }
  }

  if (!existsSync(libraryLayout(root).libraryDir) && !existsSync(libraryLayout(root).catalogDir)) {
    throw new HoloError('EUSAGE', `${root} is not a hololib: it has neither catalog/ nor library/`, {path: root})
  }

  // Repairs move catalogs and files: no lift, drop or migration may run meanwhile (fs/lock.ts).
  const lock = options.repair ? await acquireLock(libraryLockDir(root), {mode: 'exclusive', purpose: 'check --repair', what: `library ${root}`}) : undefined
  try {
    const result = await checked(root, options, step)
    result.steps = steps
    result.seconds = (performance.now() - started) / 1000
    return result
  } finally {
    lock?.release()
  }
}

async function checked(root: string, options: CheckOptions, step: <T>(name: string, work: () => Promise<T>) => Promise<T>): Promise<CheckResult> {
  warmUp(workers(options))
  const catalogs = await step('read catalogs', () => loadCatalogSet(root))
  const listing = await step('list library', () => walkLibrary(root))
  const verified = await step('verify files', () => verifyFiles(root, listing, options))
  const result = await step('cross-reference', async () => crossReference(root, catalogs, listing, verified))
  if (options.repair) result.repairs = await step('repair', () => repair(root, result, catalogs, listing, options))
  return result
}

async function verifyFiles(root: string, listing: LibraryListing, options: CheckOptions): Promise<FilePhase> {
  const settings: FileSettings = {root, mode: 'verify', codec: 'zstd', algorithm: 'sha256', zstdBackend: options.zstdBackend ?? 'auto', commit: 'none', dryRun: false}
  const totalBytes = listing.files.reduce((sum, f) => sum + f.size, 0)
  const phase = new FilePhase(
    {settings, workers: workers(options), onCorrupt: 'report', quarantine: '', phase: 'check', onProgress: options.onProgress},
    listing.files.length,
    totalBytes,
  )
  await phase.run(
    listing.files.map((f) => ({path: f.path, digest: f.digest})),
    new Map(listing.files.map((f) => [f.path, f.size])),
  )
  if (phase.failure) throw phase.failure
  return phase
}

async function crossReference(root: string, catalogs: CatalogSet, listing: LibraryListing, verified: FilePhase): Promise<CheckResult> {
  const compressed = isCompressedLibrary(root)
  const expected: DigestAlgorithm = compressed ? 'sha256' : 'siphash128'
  const present = new Set(listing.files.map((f) => f.digest))
  const corrupt = new Map(verified.corrupt.filter((c) => c.code !== 'EMISSING').map((c) => [c.digest, c]))
  const vanished = new Set(verified.corrupt.filter((c) => c.code === 'EMISSING').map((c) => c.digest))
  const referenced = new Set<string>()
  const missing = new Map<string, MissingFile>()
  const badCatalogs = new Map<string, string[]>()
  const unrestorable: UnrestorableCatalog[] = []
  const wrongAlgorithm: string[] = []
  const allWrong: WrongEntry[] = []
  let linkContentMissing = 0
  for (const {path, catalog} of catalogs.loaded) {
    const needed = neededDigests(catalog)
    const entry: UnrestorableCatalog = {path, missing: [], bad: []}
    let wrong = false
    for (const [digest, rel] of needed) {
      referenced.add(digest)
      if ((digest.length === 64 ? 'sha256' : 'siphash128') !== expected) wrong = true
      if (!present.has(digest) || vanished.has(digest)) {
        entry.missing.push(digest)
        const known = missing.get(digest)
        if (known) known.catalogs.push(path)
        else missing.set(digest, {digest, path: safeLibraryPath(root, digest), neededFor: rel, catalogs: [path]})
      } else if (corrupt.has(digest)) {
        entry.bad.push(digest)
        badCatalogs.set(digest, [...(badCatalogs.get(digest) ?? []), path])
      }
    }

    for (const digest of linkDigests(catalog, needed)) {
      referenced.add(digest)
      if (!present.has(digest)) linkContentMissing++
    }

    const disagree = wrongEntries(path, catalog, verified.rawSizes)
    if (disagree.length > 0) {
      entry.entries = disagree.map((w) => w.entry)
      allWrong.push(...disagree)
    }

    if (entry.missing.length > 0 || entry.bad.length > 0 || disagree.length > 0) unrestorable.push(entry)
    if (wrong) wrongAlgorithm.push(path)
  }

  const orphanFiles = listing.files.filter((f) => !referenced.has(f.digest))
  const journal = await readJournal(root)
  const bad: BadFile[] = [...corrupt.values()].map((c) => ({path: c.path, digest: c.digest, code: c.code, message: c.message, catalogs: badCatalogs.get(c.digest) ?? []}))
  const algorithms: Record<DigestAlgorithm, number> = {sha256: 0, siphash128: 0}
  for (const f of listing.files) algorithms[f.algorithm]++
  const leftovers = listing.leftovers.concat(catalogs.leftovers)
  const result: CheckResult = {
    library: root,
    ok: true,
    problems: [],
    compressed,
    migration: journal ? {to: journal.to, pid: journal.pid, startedAt: journal.startedAt, running: isLive(journal)} : null,
    catalogs: {
      total: catalogs.loaded.length + catalogs.unreadable.length,
      readable: catalogs.loaded.length,
      unreadable: catalogs.unreadable.map((u) => ({path: u.path, code: u.error.code, message: u.error.message})),
      unrestorable,
      wrongAlgorithm,
      wrongEntries: allWrong,
    },
    files: {total: listing.files.length, verified: verified.outcomes.verified, bytes: listing.files.reduce((sum, f) => sum + f.size, 0), rawBytes: verified.rawBytes, formats: verified.formats, algorithms},
    bad,
    missing: [...missing.values()],
    orphans: {count: orphanFiles.length, bytes: orphanFiles.reduce((sum, f) => sum + f.size, 0), paths: orphanFiles.map((f) => f.path), uncertain: catalogs.unreadable.length > 0},
    strays: listing.strays,
    leftovers: leftovers.map((l) => ({path: l.path, kind: l.kind, stale: l.stale})),
    linkContentMissing,
    repairs: null,
    steps: [],
    seconds: 0,
  }
  result.problems = problemsOf(result)
  result.ok = result.problems.length === 0
  return result
}

function problemsOf(r: CheckResult): string[] {
  const problems: string[] = []
  const n = (count: number, what: string, plural = `${what}s`) => `${count} ${count === 1 ? what : plural}`
  if (r.bad.length > 0) problems.push(`${n(r.bad.length, 'library file')} corrupt (cannot be decompressed or do not hash to their name)`)
  if (r.missing.length > 0) problems.push(`${n(r.missing.length, 'file')} needed by catalogs missing from the library`)
  const wrong = r.catalogs.wrongEntries
  if (wrong.length > 0) problems.push(`${n(wrong.length, 'catalog entry', 'catalog entries')} disagree with their content, so a restore fails on them (first: catalog ${wrong[0].catalog}, entry ${wrong[0].entry}: ${wrong[0].message})`)
  if (r.catalogs.unrestorable.length > 0) problems.push(`${n(r.catalogs.unrestorable.length, 'catalog')} can no longer be restored: ${r.catalogs.unrestorable.map((c) => c.path).join(', ')}`)
  if (r.catalogs.unreadable.length > 0) problems.push(`${n(r.catalogs.unreadable.length, 'catalog')} cannot be read: ${r.catalogs.unreadable.map((c) => c.path).join(', ')}`)
  const stale = r.leftovers.filter((l) => l.stale)
  if (stale.length > 0) problems.push(`${n(stale.length, 'temp file')} left by interrupted writes`)
  if (r.catalogs.wrongAlgorithm.length > 0) {
    const marker = r.compressed ? 'no compress.no marker (SHA-256 expected)' : 'the compress.no marker (SipHash-128 expected)'
    problems.push(`${n(r.catalogs.wrongAlgorithm.length, 'catalog')} name files by the other digest algorithm than ${marker}: RCC cannot restore them (holobench can); finish the migration`)
  }

  if (r.migration) {
    problems.push(
      r.migration.running
        ? `a migration to ${r.migration.to} is running (pid ${r.migration.pid})`
        : `a migration to ${r.migration.to} (pid ${r.migration.pid}, started ${r.migration.startedAt}) was interrupted: run \`holobench migrate --to ${r.migration.to}\` again to finish it`,
    )
  }

  return problems
}

async function repair(root: string, result: CheckResult, catalogs: CatalogSet, listing: LibraryListing, options: CheckOptions): Promise<CheckRepairs> {
  const quarantine = resolve(options.quarantine ?? defaultQuarantineDir(root))
  const repairs: CheckRepairs = {quarantine, catalogsQuarantined: [], filesQuarantined: [], orphansQuarantined: [], leftoversRemoved: [], emptyDirsRemoved: 0}
  // Catalogs first, as RCC purges them: no catalog may name a file that is being moved away.
  const doomed = [...result.catalogs.unrestorable.map((c) => c.path), ...result.catalogs.unreadable.map((c) => c.path)]
  for (const path of doomed) {
    repairs.catalogsQuarantined.push(await quarantineFile(root, path, quarantine))
    if (existsSync(`${path}.info`)) await quarantineFile(root, `${path}.info`, quarantine)
  }

  if (doomed.length > 0) await fsyncDir(libraryLayout(root).catalogDir)
  for (const file of result.bad) repairs.filesQuarantined.push(await quarantineFile(root, file.path, quarantine))
  repairs.leftoversRemoved = await removeLeftovers(listing.leftovers.concat(catalogs.leftovers).filter((l) => l.stale))
  if (options.pruneOrphans && catalogs.unreadable.length === 0) {
    // Files only the quarantined catalogs needed are orphans now, too.
    const kept = new Set<string>()
    for (const {path, catalog} of catalogs.loaded) {
      if (doomed.includes(path)) continue
      const needed = neededDigests(catalog)
      for (const digest of needed.keys()) kept.add(digest)
      for (const digest of linkDigests(catalog, needed)) kept.add(digest)
    }

    const bad = new Set(result.bad.map((b) => b.path))
    for (const file of listing.files) {
      if (!kept.has(file.digest) && !bad.has(file.path)) repairs.orphansQuarantined.push(await quarantineFile(root, file.path, quarantine))
    }

    for (const stray of listing.strays) if (existsSync(stray)) repairs.orphansQuarantined.push(await quarantineFile(root, stray, quarantine))
  }

  repairs.emptyDirsRemoved = await removeEmptyDirs(listing.dirs)
  return repairs
}

/**
 * Entries a restore would fail on although their library file verified: a size other than the
 * content's, or a relocation offset where the identity would run past the content's end.
 * (Modes, digest forms and offsets against the entry's own size are refused when the catalog is
 * read: such a catalog is listed as unreadable, with the entry named.)
 */
function wrongEntries(path: string, catalog: Catalog, rawSizes: ReadonlyMap<string, number>): WrongEntry[] {
  const wrong: WrongEntry[] = []
  const identityBytes = Buffer.byteLength(catalog.identity)
  for (const {rel, file} of catalogFiles(catalog.tree)) {
    if (file.symlink) continue
    const actual = rawSizes.get(file.digest)
    if (actual === undefined) continue
    const add = (message: string) => wrong.push({catalog: path, entry: rel, digest: file.digest, message})
    if (actual !== file.size) add(`says ${file.size} bytes, but its content (${file.digest}, which verified) holds ${actual}`)
    const past = file.rewrite.find((offset) => offset + identityBytes > actual)
    if (past !== undefined) add(`has a relocation at offset ${past}: the identity (${identityBytes} bytes) would run past the content's end (${actual} bytes)`)
  }

  return wrong
}

function workers(options: CheckOptions): number {
  return options.jobs ?? Math.max(1, availableParallelism())
}

function safeLibraryPath(root: string, digest: string): string {
  try {
    return libraryFilePath(root, digest)
  } catch {
    return ''
  }
}
