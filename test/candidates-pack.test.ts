import {existsSync, promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {buildPack, FRAME_RAW_BYTES} from '../src/bench/candidates/pack-build.js'
import {checkRestoredTree} from '../src/bench/tree-check.js'
import {catalogFiles, loadCatalog} from '../src/engine/catalog.js'
import {drop} from '../src/engine/drop.js'
import type {HoloError} from '../src/engine/errors.js'
import {lift} from '../src/engine/lift.js'
import {cli} from './helpers/cli.js'
import {IDENTITY, OTHER_IDENTITY, makeSampleTree, sourceText, tempDir} from './helpers/tree.js'

let work: {dir: string; cleanup: () => Promise<void>}
let source: string
let catalog: string
let library: string
let pack: string

/**
 * The sample tree (relocations in text and binary files, an empty file, symlinked file and
 * directory, duplicate contents, a relocated 5 MiB file) plus unrelocated contents that span
 * frames, one of them also named by a 0600 copy, and a private file.
 */
beforeAll(async () => {
  work = await tempDir()
  source = await makeSampleTree(join(work.dir, 'src'), IDENTITY, {bigFileBytes: 5 * 1024 * 1024})
  const blob = Buffer.alloc(FRAME_RAW_BYTES * 2 + 12_345)
  const text = Buffer.from(sourceText(41, 5000))
  for (let at = 0; at < blob.length; at += text.length) text.copy(blob, at)
  await fsp.mkdir(join(source, 'share'))
  await fsp.writeFile(join(source, 'share/blob.bin'), blob)
  await fsp.writeFile(join(source, 'share/blob-copy.bin'), blob, {mode: 0o600})
  await fsp.chmod(join(source, 'share/blob-copy.bin'), 0o600)
  await fsp.writeFile(join(source, 'share/private.txt'), sourceText(42, 30), {mode: 0o600})
  await fsp.chmod(join(source, 'share/private.txt'), 0o600)
  library = join(work.dir, 'lib')
  const lifted = await lift({source, library, codec: 'zstd', fsync: false, identity: IDENTITY})
  catalog = lifted.catalog
  pack = join(work.dir, 'catalog.pack')
}, 120_000)
afterAll(() => work.cleanup())

const target = (name: string) => join(work.dir, name, OTHER_IDENTITY)
const treeCheck = (restored: string) => checkRestoredTree({source, target: restored, identity: IDENTITY, targetName: OTHER_IDENTITY})

describe('the pack candidate', () => {
  it('packs each unrelocated content once, in frames, and leaves relocated files out', async () => {
    const built = await buildPack({catalog, root: library, pack, level: 3})
    const files = [...catalogFiles((await loadCatalog(catalog)).tree)].filter(({file}) => !file.symlink)
    const unrelocated = new Set(files.filter(({file}) => file.rewrite.length === 0).map(({file}) => file.digest))
    const relocated = files.filter(({file}) => file.rewrite.length > 0)
    expect(relocated.length).toBeGreaterThan(0)
    expect(new Set(built.index.entries.map((entry) => entry.digest))).toEqual(unrelocated)
    expect(built.index.entries).toHaveLength(unrelocated.size)
    // The blob spans frames; every frame holds at most FRAME_RAW_BYTES.
    expect(built.index.frames.length).toBeGreaterThanOrEqual(3)
    for (const frame of built.index.frames) expect(frame.raw).toBeLessThanOrEqual(FRAME_RAW_BYTES)
    expect((await fsp.stat(pack)).size).toBe(built.packBytes)
    expect(built.unpackedStoredBytes).toBeGreaterThan(0)
  }, 60_000)

  it('restores exactly in-process: content, relocations, symlinks, modes, empty and duplicated files', async () => {
    const restored = target('in-process')
    const result = await drop({catalog, target: restored, pack, durable: false})
    const check = await treeCheck(restored)
    expect(check.problems).toEqual([])
    expect(check.ok).toBe(true)
    expect(result.written).toBe(check.files)
    expect((await fsp.stat(join(restored, 'share/blob-copy.bin'))).mode & 0o777).toBe(0o600)
    expect((await fsp.stat(join(restored, 'share/blob.bin'))).mode & 0o777).toBe(0o644)
  }, 60_000)

  it('restores exactly through `holobench drop --pack` in a fresh process', async () => {
    const restored = target('process')
    const run = await cli(['drop', catalog, '--target', restored, '--pack', pack, '--no-fsync', '--json'])
    expect(run.code, run.stderr).toBe(0)
    expect((await treeCheck(restored)).ok).toBe(true)
  }, 60_000)

  it('refuses a pack whose index names contents in the wrong order: verification catches it', async () => {
    const broken = join(work.dir, 'broken.pack')
    const bytes = await fsp.readFile(pack)
    await fsp.writeFile(broken, bytes)
    const index = JSON.parse(await fsp.readFile(`${pack}.json`, 'utf8'))
    index.entries.reverse()
    await fsp.writeFile(`${broken}.json`, JSON.stringify(index))
    const error = await drop({catalog, target: target('broken'), pack: broken, durable: false}).catch((error_: HoloError) => error_)
    expect(['EINTEGRITY', 'ECORRUPT', 'EINPUT']).toContain((error as HoloError).code)
  }, 60_000)

  it('refuses an unreadable pack index before the target exists', async () => {
    const bad = join(work.dir, 'bad.pack')
    await fsp.writeFile(bad, 'x')
    await fsp.writeFile(`${bad}.json`, '{"format": "something else"}')
    const restored = target('bad-index')
    const error = await drop({catalog, target: restored, pack: bad, durable: false}).catch((error_: HoloError) => error_)
    expect((error as HoloError).code).toBe('EINPUT')
    expect(existsSync(restored)).toBe(false)
  })
})
