import {execFileSync} from 'node:child_process'
import {existsSync, promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {gzipSync} from 'node:zlib'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {check} from '../src/engine/check/index.js'
import {drop} from '../src/engine/drop.js'
import {lift} from '../src/engine/lift.js'
import {migrate} from '../src/engine/migrate/index.js'
import {ensureBuilt, libraryPath, neededFiles, runCli, snapshotFiles} from './helpers/hololib.js'
import {IDENTITY, OTHER_IDENTITY, makeSampleTree, snapshotTree, sourceText, tempDir} from './helpers/tree.js'

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url))
let work: {dir: string; cleanup: () => Promise<void>}
let source: string

beforeAll(async () => {
  work = await tempDir('holobench-check-')
  source = await makeSampleTree(join(work.dir, 'src'))
  await fsp.writeFile(join(source, 'lib/data.gz'), gzipSync('compressed content, stored as is'))
  ensureBuilt()
})
afterAll(() => work.cleanup())

/** A library with two catalogs: `keep` (the sample tree) and `lose` (its own files, which get damaged). */
async function library(name: string, codec: 'gzip' | 'zstd' | 'none' = 'zstd') {
  const root = join(work.dir, name)
  const keep = await lift({source, library: root, codec, blueprint: 'aaaaaaaaaaaaaaaa'})
  const other = join(work.dir, `${name}-src`, IDENTITY)
  await fsp.mkdir(other, {recursive: true})
  for (let i = 0; i < 3; i++) await fsp.writeFile(join(other, `own${i}.py`), sourceText(70 + i, 100))
  const lose = await lift({source: other, library: root, codec, blueprint: 'bbbbbbbbbbbbbbbb'})
  const own = Object.fromEntries((await neededFiles(lose.catalog)).map(({rel, digest}) => [rel, libraryPath(root, digest)]))
  return {root, keep: keep.catalog, lose: lose.catalog, own}
}

describe('a clean library', () => {
  it.each(['gzip', 'zstd', 'none'] as const)('%s: every file verifies, exit 0', async (codec) => {
    const {root} = await library(`clean-${codec}`, codec)
    const result = await check({library: root})
    expect(result.problems).toEqual([])
    expect(result.ok).toBe(true)
    expect(result.compressed).toBe(codec !== 'none')
    expect(result.files.verified).toBe(result.files.total)
    expect(result.files.total).toBe(21)
    expect(result.orphans.count).toBe(0)
    expect(result.steps.map((s) => s.name)).toEqual(['read catalogs', 'list library', 'verify files', 'cross-reference'])

    const cli = runCli(['check', '--library', root, '--json'])
    expect(cli.status).toBe(0)
    expect(JSON.parse(cli.stdout)).toMatchObject({ok: true, files: {verified: 21}})
  })
})

describe('a damaged library', () => {
  let lib: Awaited<ReturnType<typeof library>>

  beforeAll(async () => {
    lib = await library('damaged')
    const {root, own} = lib
    const stored = await fsp.readFile(own['own0.py'])
    await fsp.writeFile(own['own0.py'], stored.subarray(0, stored.length - 7)) // truncated
    await fsp.rm(own['own1.py']) // missing
    await fsp.mkdir(join(root, 'library/ab/ab/ab'), {recursive: true})
    await fsp.writeFile(libraryPath(root, 'ab'.repeat(32)), gzipSync('nobody needs me')) // orphan that does not verify either
    await fsp.mkdir(join(root, 'library/12/34/56'), {recursive: true})
    await fsp.writeFile(join(root, 'library/12/34/56', `123456${'0'.repeat(58)}`), 'orphan, not verified: named 1234560…')
    await fsp.writeFile(join(root, 'library/12/34/56/.x.tmp-999999999-0123abcd'), 'temp of a dead writer')
    await fsp.writeFile(join(root, 'library/12/34/56/abc.part#3'), 'RCC part')
    await fsp.writeFile(join(root, 'library/12/README'), 'a stray')
  })

  it('reports bad, missing, orphans, temp files and the catalog that cannot be restored; changes nothing; exit 1', async () => {
    const before = await snapshotFiles(lib.root)
    const result = await check({library: lib.root})
    expect(result.ok).toBe(false)
    expect(result.bad.map((b) => [b.path, b.code]).sort()).toEqual([[libraryPath(lib.root, 'ab'.repeat(32)), 'EINTEGRITY'], [join(lib.root, 'library/12/34/56', `123456${'0'.repeat(58)}`), 'EINTEGRITY'], [lib.own['own0.py'], 'ECORRUPT']].sort())
    expect(result.bad.find((b) => b.path === lib.own['own0.py'])?.catalogs).toEqual([lib.lose])
    expect(result.missing.map((m) => m.path)).toEqual([lib.own['own1.py']])
    expect(result.catalogs.unrestorable).toEqual([{path: lib.lose, missing: [expect.any(String)], bad: [expect.any(String)]}])
    expect(result.orphans.count).toBe(2)
    expect(result.leftovers.map((l) => [l.kind, l.stale])).toEqual([['holobench', true], ['rcc', true]])
    expect(result.strays).toEqual([join(lib.root, 'library/12/README')])
    expect(result.problems).toHaveLength(4)
    expect(await snapshotFiles(lib.root)).toEqual(before)

    const cli = runCli(['check', '--library', lib.root])
    expect(cli.status).toBe(1)
    expect(cli.stdout).toContain(`cannot be restored: ${lib.lose}`)
    expect(cli.stdout).toContain('NOT OK.')
  })

  it('--repair quarantines the catalog first, then the bad files, removes temp files; orphans only with --prune-orphans', async () => {
    const cli = runCli(['check', '--library', lib.root, '--repair', '--json'])
    expect(cli.status).toBe(1) // something was wrong
    const repaired = JSON.parse(cli.stdout)
    const quarantine = join(lib.root, 'quarantine')
    expect(repaired.repairs.catalogsQuarantined).toEqual([join(quarantine, 'catalog', 'bbbbbbbbbbbbbbbbv12.linux_amd64')])
    expect(existsSync(lib.lose)).toBe(false)
    expect(existsSync(`${lib.lose}.info`)).toBe(false)
    expect(existsSync(join(quarantine, 'catalog', 'bbbbbbbbbbbbbbbbv12.linux_amd64.info'))).toBe(true)
    expect(repaired.repairs.filesQuarantined).toHaveLength(3)
    expect(existsSync(lib.own['own0.py'])).toBe(false)
    expect(repaired.repairs.leftoversRemoved).toHaveLength(2)

    // The lost catalog's good file is an orphan now; orphans alone are not wrong.
    const after = await check({library: lib.root})
    expect(after.problems).toEqual([])
    expect(after.ok).toBe(true)
    expect(after.orphans.count).toBe(1)
    const pruned = await check({library: lib.root, repair: true, pruneOrphans: true})
    expect(pruned.repairs?.orphansQuarantined).toHaveLength(2) // the orphan and the stray
    const clean = await check({library: lib.root})
    expect(clean.orphans.count).toBe(0)
    expect(clean.strays).toEqual([])
    expect(runCli(['check', '--library', lib.root]).status).toBe(0)

    const target = join(work.dir, 'restored', OTHER_IDENTITY)
    await drop({catalog: lib.keep, target})
    expect(await snapshotTree(target)).toEqual(await snapshotTree(source, {from: IDENTITY, to: OTHER_IDENTITY}))
  })
})

describe('catalogs', () => {
  it('an unreadable catalog is a problem; orphans are uncertain and never pruned', async () => {
    const {root} = await library('unreadable')
    const bad = join(root, 'catalog/ccccccccccccccccv12.linux_amd64')
    await fsp.writeFile(bad, gzipSync('{"not": "a catalog"'))
    const result = await check({library: root})
    expect(result.catalogs.unreadable.map((c) => [c.path, c.code])).toEqual([[bad, 'ECORRUPT']])
    expect(result.ok).toBe(false)
    expect(result.orphans.uncertain).toBe(true)
    const repaired = await check({library: root, repair: true, pruneOrphans: true})
    expect(repaired.repairs?.catalogsQuarantined).toEqual([join(root, 'quarantine/catalog/ccccccccccccccccv12.linux_amd64')])
    expect(repaired.repairs?.orphansQuarantined).toEqual([])
    expect((await check({library: root})).ok).toBe(true)
  })

  it('a symlink whose target content is not stored (as RCC lifts) is not a problem', async () => {
    const tree = join(work.dir, 'links-src', IDENTITY)
    await fsp.mkdir(tree, {recursive: true})
    await fsp.writeFile(join(tree, 'real.py'), sourceText(80, 50))
    await fsp.writeFile(join(work.dir, 'links-src', 'outside.txt'), 'content outside the tree')
    await fsp.symlink('../outside.txt', join(tree, 'outside-link'))
    const root = join(work.dir, 'links')
    execFileSync('python3', [join(fixtures, 'make-hololib.py'), tree, root, '--codec', 'gzip'])
    const result = await check({library: root})
    expect(result.linkContentMissing).toBe(1)
    expect(result.problems).toEqual([])
    // A migration keeps the link's digest (nothing to re-key it from) and needs nothing else.
    const migrated = await migrate({library: root, to: 'none'})
    expect(migrated.catalogs.failed).toBe(0)
    expect((await check({library: root})).problems).toEqual([])
  })

  it('is a usage error where there is no hololib', async () => {
    await expect(check({library: join(work.dir, 'nothing')})).rejects.toMatchObject({code: 'EUSAGE'})
    expect(runCli(['check', '--library', join(work.dir, 'nothing')]).status).toBe(2)
  })
})

describe('check --repair in text', () => {
  it('contradictory report: problems are labelled as found before the repair, and a second check is OK', async () => {
    const {root} = await library('repair-text', 'gzip')
    await fsp.mkdir(join(root, 'library/12/34/56'), {recursive: true})
    await fsp.writeFile(join(root, 'library/12/34/56/.x.tmp-999999999-0123abcd'), 'temp of a dead writer')
    const repaired = runCli(['check', '--library', root, '--repair'])
    expect(repaired.status).toBe(1)
    expect(repaired.stdout).toMatch(/1 temp file removed/)
    expect(repaired.stdout).toMatch(/problem: found before the repair: 1 temp file left by interrupted writes/)
    expect(repaired.stdout).toContain('NOT OK as found (run check again to see what the repair left).')
    const again = runCli(['check', '--library', root])
    expect(again.status, again.stdout).toBe(0)
    expect(again.stdout).toContain('OK.')
  })
})
