/** Migrating beside a reader, and on a disk that fills up. */
import {execFileSync} from 'node:child_process'
import {existsSync, promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {check} from '../src/engine/check/index.js'
import {drop} from '../src/engine/drop.js'
import {isHoloError} from '../src/engine/errors.js'
import {lift} from '../src/engine/lift.js'
import {JOURNAL_NAME, migrate} from '../src/engine/migrate/index.js'
import {makeManyFilesTree, snapshotFiles, tempFilesUnder} from './helpers/hololib.js'
import type {Entry} from './helpers/tree.js'
import {IDENTITY, OTHER_IDENTITY, makeSampleTree, snapshotTree, sourceText, tempDir} from './helpers/tree.js'
import {mountTmpfs} from './helpers/mount.js'

let work: {dir: string; cleanup: () => Promise<void>}

beforeAll(async () => {
  work = await tempDir('holobench-migrate-safety-')
})
afterAll(() => work.cleanup())

describe('a drop running during migrate', () => {
  it('always reads complete files: every drop started meanwhile succeeds, byte for byte', async () => {
    const tree = await makeManyFilesTree(join(work.dir, 'many', IDENTITY), 600)
    await makeSampleTree(join(work.dir, 'many'), IDENTITY, {bigFileBytes: 5 << 20}) // adds a streamed file to the same tree
    const library = join(work.dir, 'lib-concurrent')
    const {catalog} = await lift({source: tree, library, codec: 'gzip', fsync: false})
    const expected = await snapshotTree(tree, {from: IDENTITY, to: OTHER_IDENTITY})

    let migrating = true
    let drops = 0
    const reader = async (lane: number) => {
      while (migrating) {
        const target = join(work.dir, 'concurrent', `${lane}-${drops++}`, OTHER_IDENTITY)
        await drop({catalog, target})
        expect(await snapshotTree(target)).toEqual(expected)
        await fsp.rm(join(work.dir, 'concurrent', `${lane}-${drops - 1}`), {recursive: true, force: true})
      }
    }

    const readers = [reader(0), reader(1)]
    const back = await migrate({library, to: 'zstd'}).then(() => migrate({library, to: 'gzip'}))
    migrating = false
    await Promise.all(readers)
    expect(back.files.failed).toBe(0)
    expect(drops).toBeGreaterThanOrEqual(2)
    expect((await check({library})).problems).toEqual([])
  })
})


describe('ENOSPC on a small filesystem', () => {
  let mnt: string
  let mounted = false
  let tree: string
  let expected: Record<string, Entry>

  beforeAll(async () => {
    mnt = join(work.dir, 'small-fs')
    await fsp.mkdir(mnt)
    mounted = mountTmpfs(mnt, '2m')
    // About 3 MB of source text: gzip (about 1 MB) fits in 2 MiB, raw does not.
    tree = join(work.dir, 'enospc-src', IDENTITY)
    for (let i = 0; i < 60; i++) {
      await fsp.mkdir(join(tree, `d${i % 6}`), {recursive: true})
      await fsp.writeFile(join(tree, `d${i % 6}`, `f${i}.py`), sourceText(200 + i, 1500))
    }

    expected = await snapshotTree(tree, {from: IDENTITY, to: OTHER_IDENTITY})
  })

  afterAll(() => {
    if (mounted) execFileSync('umount', [mnt])
  })

  async function emptyMount(): Promise<void> {
    for (const name of await fsp.readdir(mnt)) await fsp.rm(join(mnt, name), {recursive: true, force: true})
  }

  async function expectIntact(library: string, catalog: string, label: string): Promise<void> {
    expect(tempFilesUnder(library)).toEqual([])
    expect(existsSync(join(library, JOURNAL_NAME))).toBe(false)
    expect((await check({library})).problems).toEqual([])
    const target = join(work.dir, 'enospc-drops', label, OTHER_IDENTITY)
    await drop({catalog, target})
    expect(await snapshotTree(target)).toEqual(expected)
  }

  it('re-keying to none that does not fit: the error says so, and the library is as it was', async (context) => {
    if (!mounted) return context.skip('needs root and tmpfs to make a small filesystem')
    await emptyMount()
    const library = join(mnt, 'lib-rekey')
    const {catalog} = await lift({source: tree, library, codec: 'gzip'})
    const before = await snapshotFiles(library)
    const error = await migrate({library, to: 'none'}).catch((e: unknown) => e)
    expect(isHoloError(error, 'ENOSPC'), String(error)).toBe(true)
    expect((error as Error).message).toMatch(/No space left on device.*unchanged/)
    // The new names written before the disk filled were taken back: nothing changed.
    expect(await snapshotFiles(library)).toEqual(before)
    await expectIntact(library, catalog, 'rekey')
  })

  it('recompressing on a full disk: the file being written keeps its original, the rest is consistent', async (context) => {
    if (!mounted) return context.skip('needs root and tmpfs to make a small filesystem')
    await emptyMount()
    const library = join(mnt, 'lib-full')
    const {catalog} = await lift({source: tree, library, codec: 'gzip'})
    // Fill the disk but for a few KiB: less than any one file needs.
    const filler = join(mnt, 'filler')
    await fsp.writeFile(filler, Buffer.alloc(0))
    const chunk = Buffer.alloc(64 << 10, 1)
    for (;;) {
      try {
        await fsp.appendFile(filler, chunk)
      } catch {
        break
      }
    }

    const error = await migrate({library, to: 'zstd', level: 19}).catch((e: unknown) => e)
    expect(isHoloError(error, 'ENOSPC'), String(error)).toBe(true)
    await expectIntact(library, catalog, 'full')
    // With space again, the same command finishes the job.
    await fsp.rm(filler)
    const done = await migrate({library, to: 'zstd'})
    expect(done.files.failed).toBe(0)
    expect((await check({library})).files.formats).toMatchObject({gzip: 0})
    await expectIntact(library, catalog, 'full-done')
  })
})
