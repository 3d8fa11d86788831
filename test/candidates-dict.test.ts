import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {buildDictLibrary, DICT_MAX_FILE_BYTES} from '../src/bench/candidates/dict.js'
import {checkRestoredTree} from '../src/bench/tree-check.js'
import {catalogFiles, loadCatalog} from '../src/engine/catalog.js'
import {decompressBuffer, zlibZstdDictionaryAvailable} from '../src/engine/codec/index.js'
import {zstdCliAvailable} from '../src/engine/codec/zstd-cli.js'
import {drop} from '../src/engine/drop.js'
import type {HoloError} from '../src/engine/errors.js'
import {libraryFilePath} from '../src/engine/library.js'
import {lift} from '../src/engine/lift.js'
import {IDENTITY, OTHER_IDENTITY, makeSampleTree, sourceText, tempDir} from './helpers/tree.js'

// Training needs the zstd command (Debian's zstd, installed in CI); restoring needs a Node whose zlib zstd takes a dictionary.
const cliThere = zstdCliAvailable()

let work: {dir: string; cleanup: () => Promise<void>}
let source: string
let built: Awaited<ReturnType<typeof buildDictLibrary>>
let catalogPath: string
let baseRoot: string

beforeAll(async () => {
  work = await tempDir()
  if (!cliThere) return
  // zstd --train wants many samples: 300 small modules beside the sample tree's files.
  source = await makeSampleTree(join(work.dir, 'src'), IDENTITY)
  await fsp.mkdir(join(source, 'lib/many'))
  for (let i = 0; i < 300; i++) await fsp.writeFile(join(source, `lib/many/m${i}.py`), sourceText(100 + i, 20 + (i % 50)))
  baseRoot = join(work.dir, 'lib')
  catalogPath = (await lift({source, library: baseRoot, codec: 'zstd', fsync: false, identity: IDENTITY})).catalog
  built = await buildDictLibrary({catalog: catalogPath, root: baseRoot, out: join(work.dir, 'dict'), level: 3, work: join(work.dir, 'work')})
}, 120_000)
afterAll(() => work.cleanup())

describe.skipIf(!cliThere)('the dict candidate', () => {
  it('compresses the small files with the trained dictionary, smaller than without it, and only those', async () => {
    const files = [...catalogFiles((await loadCatalog(catalogPath)).tree)].filter(({file}) => !file.symlink)
    const small = new Set(files.filter(({file}) => file.size > 0 && file.size <= DICT_MAX_FILE_BYTES).map(({file}) => file.digest))
    expect(built.small).toBe(small.size)
    let withDict = 0
    let without = 0
    for (const digest of small) {
      const stored = await fsp.readFile(libraryFilePath(join(work.dir, 'dict'), digest))
      withDict += stored.length
      without += (await fsp.stat(libraryFilePath(baseRoot, digest))).size
      // Without its dictionary the frame is refused, naming the dictionary it needs.
      const error = await decompressBuffer(stored, {path: digest}).catch((error_: HoloError) => error_)
      expect((error as HoloError).code).toBe('ECORRUPT')
    }

    expect(withDict).toBeLessThan(without)
    expect(built.dictionaryBytes).toBeGreaterThan(0)
  })

  it.skipIf(!zlibZstdDictionaryAvailable())('restores exactly with the dictionary (node:zlib)', async () => {
    const restored = join(work.dir, 't', OTHER_IDENTITY)
    await drop({catalog: built.catalog, target: restored, zstdDictionary: built.dictionary, zstdBackend: 'zlib', durable: false})
    const check = await checkRestoredTree({source, target: restored, identity: IDENTITY, targetName: OTHER_IDENTITY})
    expect(check.problems).toEqual([])
  })
})
