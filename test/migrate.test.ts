import {execFileSync} from 'node:child_process'
import {existsSync, promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {summary} from '../src/commands/migrate.js'
import {check} from '../src/engine/check/index.js'
import {compressBuffer, detectFormat} from '../src/engine/codec/index.js'
import {drop} from '../src/engine/drop.js'
import {HoloError} from '../src/engine/errors.js'
import {lift} from '../src/engine/lift.js'
import {acquireLock, libraryLockDir} from '../src/engine/fs/lock.js'
import {JOURNAL_NAME, migrate} from '../src/engine/migrate/index.js'
import type {TargetCodec} from '../src/engine/migrate/index.js'
import {ensureBuilt, libraryPath, neededFiles, runCli, snapshotFiles, tempFilesUnder} from './helpers/hololib.js'
import {IDENTITY, OTHER_IDENTITY, makeSampleTree, snapshotTree, sourceText, tempDir} from './helpers/tree.js'

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url))
let work: {dir: string; cleanup: () => Promise<void>}
let source: string

/** The sample tree, plus content that looks compressed (a .gz file, a .zst file) and a 6 MiB file that is streamed. */
async function makeTree(parent: string): Promise<string> {
  const root = await makeSampleTree(parent, IDENTITY, {bigFileBytes: 6 << 20})
  await fsp.writeFile(join(root, 'lib/data.json.gz'), gzipSync(sourceText(5, 300)))
  await fsp.writeFile(join(root, 'lib/blob.zst'), await compressBuffer('zstd', Buffer.from(sourceText(6, 300))))
  return root
}

/** A gzip library written by the independent Python writer (RCC's layout and rules). */
function pythonLibrary(library: string, tree: string, blueprint = '0123456789abcdef'): string {
  return execFileSync('python3', [join(fixtures, 'make-hololib.py'), tree, library, '--codec', 'gzip', '--blueprint', blueprint], {encoding: 'utf8'}).trim()
}

async function expectDropsIdentical(catalog: string, name: string): Promise<void> {
  const target = join(work.dir, 'drops', name, OTHER_IDENTITY)
  await drop({catalog, target})
  expect(await snapshotTree(target)).toEqual(await snapshotTree(source, {from: IDENTITY, to: OTHER_IDENTITY}))
}

beforeAll(async () => {
  work = await tempDir('holobench-migrate-')
  source = await makeTree(join(work.dir, 'src'))
})
afterAll(() => work.cleanup())

describe('round trips gzip -> zstd -> gzip -> none -> zstd', () => {
  let library: string
  let catalog: string

  beforeAll(() => {
    library = join(work.dir, 'lib-round')
    catalog = pythonLibrary(library, source)
  })

  it.each<[TargetCodec, number]>([
    ['zstd', 1],
    ['gzip', 2],
    ['none', 3],
    ['zstd', 4],
  ])('to %s keeps every tree restorable byte for byte (step %i)', async (to, step) => {
    const result = await migrate({library, to, jobs: 2})
    expect(result.files.failed).toBe(0)
    expect(result.catalogs.failed).toBe(0)
    expect(result.files.migrated).toBeGreaterThan(0)
    expect(result.rekey).toBe(to === 'none' || step === 4)

    // Every file the catalog needs is in the target format and named by the target's algorithm.
    for (const {digest} of await neededFiles(catalog)) {
      expect(digest).toHaveLength(to === 'none' ? 32 : 64)
      const stored = await fsp.readFile(libraryPath(library, digest))
      if (to !== 'none') expect(detectFormat(stored)).toBe(to)
    }

    expect(existsSync(join(library, 'catalog/compress.no'))).toBe(to === 'none')
    expect(detectFormat(await fsp.readFile(catalog))).toBe(to === 'zstd' ? 'zstd' : 'gzip')
    expect(JSON.parse(await fsp.readFile(`${catalog}.info`, 'utf8')).blueprint).toBe('0123456789abcdef')
    expect(existsSync(join(library, JOURNAL_NAME))).toBe(false)
    expect(tempFilesUnder(library)).toEqual([])

    const checked = await check({library})
    expect(checked.problems).toEqual([])
    expect(checked.orphans.count).toBe(0)
    await expectDropsIdentical(catalog, `round-${step}`)

    // A second run changes nothing.
    const before = await snapshotFiles(library)
    const again = await migrate({library, to, jobs: 2})
    expect(again.files.migrated).toBe(0)
    expect(again.catalogs.rewritten).toBe(0)
    expect(await snapshotFiles(library)).toEqual(before)
  })
})

describe('--dry-run', () => {
  it('writes nothing and estimates the sizes after', async () => {
    const library = join(work.dir, 'lib-dry')
    await lift({source, library, codec: 'gzip'})
    const before = await snapshotFiles(library)
    const dry = await migrate({library, to: 'zstd', dryRun: true})
    expect(await snapshotFiles(library)).toEqual(before)
    expect(dry.estimated).toBe(true)
    expect(dry.files.migrated).toBe(dry.files.total)
    expect(dry.catalogs.rewritten).toBe(1)

    const real = await migrate({library, to: 'zstd'})
    expect(real.files.migrated).toBe(dry.files.migrated)
    expect(dry.bytesBefore).toBe(real.bytesBefore)
    expect(Math.abs(dry.bytesAfter - real.bytesAfter) / real.bytesAfter, JSON.stringify({dry: dry.bytesAfter, real: real.bytesAfter})).toBeLessThan(0.1)

    const toNone = await migrate({library, to: 'none', dryRun: true})
    expect(toNone.rekey).toBe(true)
    expect(toNone.bytesAfter).toBeGreaterThan(toNone.bytesBefore)
    // Ambiguous naming: migrate's size change is stored after ÷ before, never called `ratio` (raw ÷ stored in inspect/check).
    expect(real.storedAfterOverBefore).toBeCloseTo(real.bytesAfter / real.bytesBefore, 9)
    expect(toNone.storedAfterOverBefore).toBeGreaterThan(1)
    expect(real).not.toHaveProperty('ratio')
    expect(summary(real)).toContain(`stored after/before ${real.storedAfterOverBefore.toFixed(3)}`)
    expect(summary(real)).not.toMatch(/\bratio\b/)
    expect(await snapshotFiles(library)).not.toEqual(before) // the real run above
  })
})

describe('corrupt, truncated and wrong-format files are reported, never propagated', () => {
  async function damagedLibrary(name: string): Promise<{library: string; damaged: string; clean: string; files: Record<string, string>}> {
    const library = join(work.dir, name)
    const clean = await lift({source, library, codec: 'gzip', blueprint: 'aaaaaaaaaaaaaaaa'})
    // A second tree in the same library, with one file of its own that will be damaged.
    const other = join(work.dir, `${name}-src`, IDENTITY)
    await fsp.mkdir(other, {recursive: true})
    await fsp.writeFile(join(other, 'only-here.py'), sourceText(41, 200))
    await fsp.writeFile(join(other, 'also-here.py'), sourceText(42, 200))
    await fsp.writeFile(join(other, 'third.py'), sourceText(43, 200))
    const damaged = await lift({source: other, library, codec: 'gzip', blueprint: 'bbbbbbbbbbbbbbbb'})
    const digests = Object.fromEntries((await neededFiles(damaged.catalog)).map(({rel, digest}) => [rel, digest]))
    const files: Record<string, string> = {}
    // Truncated gzip.
    files.truncated = libraryPath(library, digests['only-here.py'])
    const whole = await fsp.readFile(files.truncated)
    await fsp.writeFile(files.truncated, whole.subarray(0, whole.length >> 1))
    // Valid gzip of other content: does not hash to its name.
    files.wrong = libraryPath(library, digests['also-here.py'])
    await fsp.writeFile(files.wrong, gzipSync('not the content this name promises'))
    // Wrong format: gzip data whose magic was overwritten with zstd's.
    files.format = libraryPath(library, digests['third.py'])
    const gzip = await fsp.readFile(files.format)
    await fsp.writeFile(files.format, Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), gzip.subarray(4)]))
    return {library, damaged: damaged.catalog, clean: clean.catalog, files}
  }

  it('recompressing: bad files are left byte for byte, the rest migrates, check names the catalog', async () => {
    const {library, damaged, clean, files} = await damagedLibrary('lib-bad-report')
    const before = Object.fromEntries(await Promise.all(Object.entries(files).map(async ([k, p]) => [k, await fsp.readFile(p)])))
    const unchanged = async () => {
      for (const [k, p] of Object.entries(files)) expect((await fsp.readFile(p)).equals(before[k]), k).toBe(true)
    }

    // A file that already starts like the target format is skipped without being read, as the
    // format says; the others are decompressed and hashed first, and reported.
    const toZstd = await migrate({library, to: 'zstd'})
    expect(toZstd.files.failed).toBe(2)
    expect(toZstd.corrupt.map((c) => [c.path, c.code]).sort()).toEqual([[files.truncated, 'ECORRUPT'], [files.wrong, 'EINTEGRITY']].sort())
    expect(toZstd.corrupt.every((c) => c.action === 'left')).toBe(true)
    await unchanged()
    const toGzip = await migrate({library, to: 'gzip'})
    expect(toGzip.corrupt.map((c) => [c.path, c.code])).toEqual([[files.format, 'ECORRUPT']])
    await unchanged()
    await expectDropsIdentical(clean, 'bad-report-clean')

    const checked = await check({library})
    expect(checked.ok).toBe(false)
    expect(checked.bad.map((b) => b.path).sort()).toEqual(Object.values(files).sort())
    expect(checked.catalogs.unrestorable.map((c) => c.path)).toEqual([damaged])
  })

  it('re-keying: a catalog that needs a bad file keeps its old names and files; the rest moves', async () => {
    const {library, damaged, clean} = await damagedLibrary('lib-bad-rekey')
    const damagedBefore = await fsp.readFile(damaged)
    const result = await migrate({library, to: 'none', onCorrupt: 'quarantine'})
    expect(result.files.failed).toBe(3)
    expect(result.corrupt.every((c) => c.action === 'quarantined' && c.quarantinedTo?.startsWith(join(library, 'quarantine', 'library')))).toBe(true)
    expect(result.catalogChanges.find((c) => c.path === damaged)).toMatchObject({action: 'failed'})
    expect(result.catalogs.failed).toBe(1)
    expect((await fsp.readFile(damaged)).equals(damagedBefore)).toBe(true)
    expect(existsSync(join(library, 'catalog/compress.no'))).toBe(true)
    await expectDropsIdentical(clean, 'bad-rekey-clean')
    // The damaged catalog's good files kept their old (SHA-256) names: nothing it needs was removed but the bad ones.
    const needs = await neededFiles(damaged)
    const present = needs.filter(({digest}) => existsSync(libraryPath(library, digest)))
    expect(needs.length - present.length).toBe(3)
  })
})

describe('journal and resume', () => {
  it('refuses while another migration holds the library, takes over a dead one', async () => {
    const library = join(work.dir, 'lib-journal')
    await lift({source, library, codec: 'gzip'})
    const hostname = (await import('node:os')).hostname()
    const journal = (pid: number) => JSON.stringify({tool: 'holobench migrate', version: 1, to: 'none', pid, host: hostname, startedAt: '2026-01-01T00:00:00.000Z'})
    const held = await acquireLock(libraryLockDir(library), {mode: 'exclusive', purpose: 'migrate', what: 'library'})
    try {
      await expect(migrate({library, to: 'zstd', wait: false})).rejects.toMatchObject({code: 'ELOCKED'})
    } finally {
      held.release()
    }

    await fsp.writeFile(join(library, JOURNAL_NAME), journal(2 ** 22 + 12345))
    const checked = await check({library})
    expect(checked.migration).toMatchObject({to: 'none', running: false})
    expect(checked.ok).toBe(false)
    const result = await migrate({library, to: 'zstd'})
    expect(result.resumed).toMatchObject({to: 'none'})
    expect(existsSync(join(library, JOURNAL_NAME))).toBe(false)
    expect((await check({library})).ok).toBe(true)
  })

  it('a library left half re-keyed is restorable, and finished by a run to any target', async () => {
    const library = join(work.dir, 'lib-half')
    const a = await lift({source, library, codec: 'zstd', blueprint: '1111111111111111'})
    const small = join(work.dir, 'half-src', IDENTITY)
    await fsp.mkdir(small, {recursive: true})
    await fsp.writeFile(join(small, 'one.py'), sourceText(51, 100))
    const b = await lift({source: small, library, codec: 'zstd', blueprint: '2222222222222222'})
    // The state a run to none leaves when killed between two catalog swaps: the new (SipHash,
    // raw) files written, catalog a swapped, catalog b not yet, the marker not yet set.
    const done = join(work.dir, 'lib-half-done')
    await fsp.cp(library, done, {recursive: true})
    await migrate({library: done, to: 'none'})
    await fsp.cp(join(done, 'library'), join(library, 'library'), {recursive: true})
    await fsp.copyFile(join(done, 'catalog', '1111111111111111v12.linux_amd64'), a.catalog)
    expect((await neededFiles(a.catalog))[0].digest).toHaveLength(32)
    expect((await neededFiles(b.catalog))[0].digest).toHaveLength(64)

    const halfway = await check({library})
    expect(halfway.bad).toEqual([])
    expect(halfway.missing).toEqual([])
    expect(halfway.catalogs.wrongAlgorithm).toEqual([a.catalog])
    await expectDropsIdentical(a.catalog, 'half-a')

    const result = await migrate({library, to: 'gzip'})
    expect(result.rekey).toBe(true)
    expect(result.files.failed).toBe(0)
    expect(result.files.removed).toBeGreaterThan(0)
    expect((await neededFiles(a.catalog))[0].digest).toHaveLength(64)
    const checked = await check({library})
    expect(checked.problems).toEqual([])
    expect(checked.orphans.count).toBe(0)
    expect(checked.files.formats).toMatchObject({zstd: 0})
    await expectDropsIdentical(a.catalog, 'half-a-done')
  })
})

describe('durability', () => {
  it.each(['fsync', 'none'] as const)('%s: the same result as the default (syncfs)', async (durability) => {
    const library = join(work.dir, `lib-durability-${durability}`)
    const {catalog} = await lift({source, library, codec: 'gzip'})
    const result = await migrate({library, to: 'zstd', durability})
    expect(result.durability).toBe(durability)
    expect(result.files.failed).toBe(0)
    expect((await check({library})).problems).toEqual([])
    await expectDropsIdentical(catalog, `durability-${durability}`)
    const rekeyed = await migrate({library, to: 'none', durability})
    expect(rekeyed.files.rekeyed).toBe(rekeyed.files.total)
    await expectDropsIdentical(catalog, `durability-${durability}-none`)
  })
})

describe('the command', () => {
  beforeAll(() => ensureBuilt())

  it('prints a summary, --json for machines, and exits 1 when a file did not verify', async () => {
    const library = join(work.dir, 'lib-cli')
    const {catalog} = await lift({source, library, codec: 'gzip'})
    const dry = runCli(['migrate', '--library', library, '--to', 'zstd', '--dry-run'])
    expect(dry.status).toBe(0)
    expect(dry.stdout).toMatch(/would migrate 20/)
    expect(dry.stdout).toMatch(/bytes: [\d.]+ MB -> ~[\d.]+ MB/)

    const victim = libraryPath(library, (await neededFiles(catalog))[0].digest)
    await fsp.writeFile(victim, gzipSync('something else'))
    const run = runCli(['migrate', '--library', library, '--to', 'zstd', '--json', '--on-corrupt', 'quarantine'])
    expect(run.status).toBe(1)
    const result = JSON.parse(run.stdout)
    expect(result).toMatchObject({to: 'zstd', files: {total: 20, migrated: 19, failed: 1}, corrupt: [{path: victim, code: 'EINTEGRITY', action: 'quarantined'}]})
    expect(existsSync(victim)).toBe(false)
    expect(runCli(['migrate', '--library', library, '--to', 'zstd', '--level', '99']).status).toBe(2)
  })
})

describe('failures', () => {
  it('refuses to re-key a library with an unreadable catalog, changing nothing', async () => {
    const library = join(work.dir, 'lib-unreadable')
    await lift({source, library, codec: 'gzip'})
    await fsp.writeFile(join(library, 'catalog/ffffffffffffffffv12.linux_amd64'), 'garbage')
    const before = await snapshotFiles(library)
    const error = await migrate({library, to: 'none'}).catch((e: HoloError) => e)
    expect(error).toBeInstanceOf(HoloError)
    expect((error as HoloError).code).toBe('ECORRUPT')
    expect(await snapshotFiles(library)).toEqual(before)
  })

  it('is a usage error on a directory that is not a hololib', async () => {
    await expect(migrate({library: join(work.dir, 'nothing-here'), to: 'zstd'})).rejects.toMatchObject({code: 'EUSAGE'})
  })
})
