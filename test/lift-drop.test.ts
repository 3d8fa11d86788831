import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {loadCatalog} from '../src/engine/catalog.js'
import {detectFormat} from '../src/engine/codec/index.js'
import {WHOLE_BIG_FILE_BYTES, drop} from '../src/engine/drop.js'
import {lift} from '../src/engine/lift.js'
import type {CodecName} from '../src/engine/types.js'
import {IDENTITY, OTHER_IDENTITY, makeSampleTree, snapshotTree, tempDir, useSampleTree} from './helpers/tree.js'

const work = useSampleTree()

const CODECS: CodecName[] = ['gzip', 'gzip-pure', 'zstd', 'none']

describe.each(CODECS)('lift then drop with %s', (codec) => {
  let catalog: string
  let library: string

  beforeAll(async () => {
    library = join(work.dir, `lib-${codec}`)
    const result = await lift({source: work.source, library, codec, jobs: 4})
    catalog = result.catalog
    expect(result.files).toBe(18)
    expect(result.filesDeduplicated).toBe(1) // pkg/sub/copy.py repeats pkg/mod2.py (links are not read: lib/libdemo.so is no file to store)
    expect(result.relocatedFiles).toBe(4)
  })

  it('reproduces the tree byte for byte at the same name', async () => {
    const target = join(work.dir, `same-${codec}`, IDENTITY)
    const result = await drop({catalog, target})
    expect(result.written).toBe(18)
    expect(await snapshotTree(target)).toEqual(await snapshotTree(work.source))
  })

  it('rewrites every relocation for a target of the same length', async () => {
    const target = join(work.dir, `moved-${codec}`, OTHER_IDENTITY)
    const result = await drop({catalog, target, verify: true})
    expect(result.rewritten).toBe(4)
    expect(await snapshotTree(target)).toEqual(await snapshotTree(work.source, {from: IDENTITY, to: OTHER_IDENTITY}))
    const activate = await fsp.readFile(join(target, 'bin/activate'), 'utf8')
    expect(activate).toContain(`/home/user/.robocorp/holotree/${OTHER_IDENTITY}/bin`)
    expect(activate).not.toContain(IDENTITY)
  })

  it('stores files and the catalog in the codec it was asked for', async () => {
    const expected = codec === 'zstd' ? 'zstd' : codec === 'none' ? 'raw' : 'gzip'
    const loaded = await loadCatalog(catalog)
    const digest = loaded.tree.subdirs.bin.files.activate.digest
    expect(digest).toMatch(codec === 'none' ? /^[0-9a-f]{32}$/ : /^[0-9a-f]{64}$/)
    const stored = await fsp.readFile(join(library, 'library', digest.slice(0, 2), digest.slice(2, 4), digest.slice(4, 6), digest))
    expect(detectFormat(stored)).toBe(expected)
  })
})

describe('restoring over an existing target', () => {
  it('keeps unchanged files, repairs changed ones and removes extras', async () => {
    const library = join(work.dir, 'lib-again')
    const {catalog} = await lift({source: work.source, library, codec: 'zstd'})
    const target = join(work.dir, 'again', IDENTITY)
    await drop({catalog, target})
    const second = await drop({catalog, target})
    expect(second.skipped).toBe(18)
    expect(second.written).toBe(0)

    await fsp.writeFile(join(target, 'bin/activate'), 'tampered, and a different size\n')
    await fsp.writeFile(join(target, 'lib/stray.txt'), 'not in the catalog')
    await fsp.mkdir(join(target, 'stray-dir/deeper'), {recursive: true})
    const third = await drop({catalog, target})
    expect(third.written).toBe(1)
    expect(third.removed).toBe(2)
    expect(await snapshotTree(target)).toEqual(await snapshotTree(work.source))
  })

  it('replaces a symlink where a directory belongs instead of writing through it', async () => {
    const library = join(work.dir, 'lib-symparent')
    const {catalog} = await lift({source: work.source, library, codec: 'gzip'})
    const target = join(work.dir, 'symparent', IDENTITY)
    const outside = join(work.dir, 'outside')
    await fsp.mkdir(outside, {recursive: true})
    await fsp.mkdir(target, {recursive: true})
    await fsp.writeFile(join(target, 'placeholder'), 'x')
    await fsp.symlink(outside, join(target, 'bin'))
    await drop({catalog, target, overwrite: true})
    expect(await fsp.readdir(outside)).toEqual([])
    expect((await fsp.lstat(join(target, 'bin'))).isDirectory()).toBe(true)
    expect(await snapshotTree(target)).toEqual(await snapshotTree(work.source))
  })
})

describe('big files: decoded whole up to WHOLE_BIG_FILE_BYTES, streamed through bounded memory above it', () => {
  const sizes = [40 * 1024 * 1024, WHOLE_BIG_FILE_BYTES + 1024 * 1024]
  it.each((['zstd', 'gzip'] as CodecName[]).flatMap((codec) => sizes.map((size) => [codec, size] as const)))('round-trips a big file with %s, %i bytes', async (codec, size) => {
    const {dir, cleanup} = await tempDir()
    try {
      const big = await makeSampleTree(join(dir, 'src'), IDENTITY, {bigFileBytes: size})
      const {catalog} = await lift({source: big, library: join(dir, 'lib'), codec})
      const loaded = await loadCatalog(catalog)
      expect(loaded.tree.subdirs.lib.files['big.dat'].rewrite).toEqual([1000, size - IDENTITY.length - 5])
      const target = join(dir, 'out', OTHER_IDENTITY)
      const result = await drop({catalog, target})
      expect(result.rewritten).toBe(5)
      expect(await snapshotTree(target)).toEqual(await snapshotTree(big, {from: IDENTITY, to: OTHER_IDENTITY}))
    } finally {
      await cleanup()
    }
  })
})
