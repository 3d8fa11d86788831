/**
 * Warm restores: a drop into a space an earlier drop of the same catalog left (with its .meta),
 * after some of its files were changed or deleted, must leave exactly the catalog's tree and
 * touch nothing outside the target.
 */
import {promises as fsp} from 'node:fs'
import {dirname, join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {drop} from '../src/engine/drop.js'
import {lift} from '../src/engine/lift.js'
import type {CodecName} from '../src/engine/types.js'
import {applyMutation, listRegularFiles, planMutation} from '../src/scenario/mutate.js'
import {IDENTITY, OTHER_IDENTITY, makeSampleTree, snapshotTree, tempDir, useSampleTree} from './helpers/tree.js'

const work = useSampleTree()
const relocated = {from: IDENTITY, to: OTHER_IDENTITY}

describe.each(['zstd', 'gzip', 'none'] as CodecName[])('a warm restore with %s', (codec) => {
  it.each([0, 10, 50])('repairs exactly the files %i% changed, removes the strays, touches nothing outside', async (percent) => {
    const {catalog} = await lift({source: work.source, library: join(work.dir, `lib-${codec}-${percent}`), codec, fsync: false})
    const parent = join(work.dir, `warm-${codec}-${percent}`)
    const target = join(parent, OTHER_IDENTITY)
    await drop({catalog, target, durable: false})
    const neighbour = join(parent, 'neighbour.txt')
    await fsp.writeFile(neighbour, 'not the restore\'s')

    const plan = planMutation(await listRegularFiles(target), percent, 1)
    await applyMutation(target, plan)
    const result = await drop({catalog, target, durable: false})

    expect(await snapshotTree(target)).toEqual(await snapshotTree(work.source, relocated))
    expect(result.written).toBe(plan.mutations.length)
    expect(result.skipped).toBe(18 - plan.mutations.length)
    expect(result.removed).toBe(new Set(plan.mutations.flatMap((m) => (m.extra ? [dirname(m.extra)] : []))).size)
    expect(await fsp.readFile(neighbour, 'utf8')).toBe('not the restore\'s')
    expect((await fsp.readdir(parent)).sort()).toEqual([OTHER_IDENTITY, `${OTHER_IDENTITY}.meta`, 'neighbour.txt'])
  })
})

describe('what a warm restore detects', () => {
  it('a same-size edit is repaired (RCC keeps it: its digest in .meta, its size and mode match)', async () => {
    const {catalog} = await lift({source: work.source, library: join(work.dir, 'lib-same-size'), codec: 'zstd', fsync: false})
    const target = join(work.dir, 'same-size', OTHER_IDENTITY)
    await drop({catalog, target, durable: false})
    const path = join(target, 'lib/python3.12/site-packages/pkg/mod3.py')
    const original = await fsp.readFile(path)
    await fsp.writeFile(path, Buffer.alloc(original.length, 'x'))

    const result = await drop({catalog, target, durable: false})
    expect(result.written).toBe(1)
    expect(await fsp.readFile(path)).toEqual(original)
  })

  it('a same-size edit of a streamed (large) file is repaired too', async () => {
    const {dir, cleanup} = await tempDir()
    try {
      const source = await makeSampleTree(join(dir, 'src'), IDENTITY, {bigFileBytes: 5 * 1024 * 1024})
      const {catalog} = await lift({source, library: join(dir, 'lib'), codec: 'zstd', fsync: false})
      const target = join(dir, 'out', OTHER_IDENTITY)
      await drop({catalog, target, durable: false})
      const big = join(target, 'lib/big.dat')
      const handle = await fsp.open(big, 'r+')
      await handle.write(Buffer.from('edited in place'), 0, 15, 4096)
      await handle.close()

      const result = await drop({catalog, target, durable: false})
      expect(result.written).toBe(1)
      expect(await snapshotTree(target)).toEqual(await snapshotTree(source, relocated))
    } finally {
      await cleanup()
    }
  })

  it('hard-linked files are kept while they are the library\'s, and a replaced one is restored', async () => {
    const {catalog} = await lift({source: work.source, library: join(work.dir, 'lib-hard'), codec: 'none', fsync: false})
    const target = join(work.dir, 'hard', OTHER_IDENTITY)
    const first = await drop({catalog, target, strategy: 'hardlink', verify: false, durable: false})
    expect(first.strategy.counts.hardlink).toBeGreaterThan(0)
    const plan = planMutation(await listRegularFiles(target), 50, 1)
    await applyMutation(target, plan)

    const again = await drop({catalog, target, strategy: 'hardlink', verify: false, durable: false})
    expect(again.written).toBe(plan.mutations.length)
    expect(again.skipped).toBe(18 - plan.mutations.length)
    expect(await snapshotTree(target)).toEqual(await snapshotTree(work.source, relocated))
  })
})
