import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {loadCatalog} from '../src/engine/catalog.js'
import {drop} from '../src/engine/drop.js'
import {lift} from '../src/engine/lift.js'
import {useCowDir} from './helpers/cow.js'
import {OTHER_IDENTITY, IDENTITY, makeSampleTree, snapshotTree} from './helpers/tree.js'

describe('restore strategies on a filesystem that clones', () => {
  const cow = useCowDir()

  it('auto clones uncompressed unrelocated files, patches the rest, and never changes the library', async (context) => {
    if (!cow.path) return context.skip(cow.skip)
    const source = await makeSampleTree(join(cow.path, 'src'))
    const library = join(cow.path, 'lib')
    const {catalog} = await lift({source, library, codec: 'none'})
    const target = join(cow.path, 'out', OTHER_IDENTITY)
    const result = await drop({catalog, target, strategy: 'auto'})
    expect(result.strategy.eligible).toBe('reflink')
    expect(result.strategy.counts.reflink).toBe(14) // 18 files less the 4 with relocations
    expect(result.strategy.counts.copy).toBe(4)
    expect(await snapshotTree(target)).toEqual(await snapshotTree(source, {from: IDENTITY, to: OTHER_IDENTITY}))

    // A write through a clone leaves the library's copy alone.
    const file = join(target, 'lib/python3.12/site-packages/pkg/mod1.py')
    const digest = (await loadCatalog(catalog)).tree.subdirs.lib.subdirs['python3.12'].subdirs['site-packages'].subdirs.pkg.files['mod1.py'].digest
    const stored = join(library, 'library', digest.slice(0, 2), digest.slice(2, 4), digest.slice(4, 6), digest)
    const before = await fsp.readFile(stored)
    await fsp.appendFile(file, 'changed\n')
    expect(await fsp.readFile(stored)).toEqual(before)
  })

  it('compressed libraries are always decompressed, whatever the strategy', async (context) => {
    if (!cow.path) return context.skip(cow.skip)
    const source = await makeSampleTree(join(cow.path, 'src-z'))
    const {catalog} = await lift({source, library: join(cow.path, 'lib-z'), codec: 'zstd'})
    const result = await drop({catalog, target: join(cow.path, 'out-z', IDENTITY), strategy: 'reflink'})
    expect(result.strategy.counts).toEqual({copy: 18, reflink: 0, hardlink: 0})
    expect(result.formats.zstd).toBe(18)
  })
})
