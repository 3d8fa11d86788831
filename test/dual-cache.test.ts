/**
 * The dual cache (uv's pattern, a benchmark-only proposal): a compressed library plus an
 * uncompressed cache of its files, restored from by copy, hard link or clone, with relocated
 * files copied and patched. The restored tree must be exact: content, relocations, symlinks, modes.
 */
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'

import {beforeAll, describe, expect, it} from 'vitest'

import {buildDualCache} from '../src/bench/candidates/dual-cache-build.js'
import {drop} from '../src/engine/drop.js'
import {isHoloError} from '../src/engine/errors.js'
import {libraryFilePath} from '../src/engine/library.js'
import {lift} from '../src/engine/lift.js'
import {IDENTITY, OTHER_IDENTITY, snapshotTree, sourceText, useSampleTree} from './helpers/tree.js'
import {useCowDir} from './helpers/cow.js'

const work = useSampleTree()
const cow = useCowDir()
const relocated = {from: IDENTITY, to: OTHER_IDENTITY}
let catalog: string
let cache: string

beforeAll(async () => {
  // A raw file that starts like gzip: the cache holds it as is, and it must never be decoded.
  await fsp.writeFile(join(work.source, 'lib/data.gz'), gzipSync(sourceText(5, 50)))
  ;({catalog} = await lift({source: work.source, library: join(work.dir, 'lib'), codec: 'zstd', fsync: false}))
  cache = join(work.dir, 'cache')
  const built = await buildDualCache({catalog, cache})
  expect(built.files).toBe(18) // 19 files, one duplicate
})

describe('buildDualCache', () => {
  it('holds every file uncompressed under its digest, executables executable', async () => {
    const source = await fsp.readFile(join(work.source, 'lib/data.gz'))
    const {createHash} = await import('node:crypto')
    const digest = createHash('sha256').update(source).digest('hex')
    expect(await fsp.readFile(libraryFilePath(cache, digest))).toEqual(source)
    const python = await fsp.readFile(join(work.source, 'bin/python3'))
    const stats = await fsp.stat(libraryFilePath(cache, createHash('sha256').update(python).digest('hex')))
    expect(stats.mode & 0o777).toBe(0o755)
  })

  it('refuses a compress.no library (SipHash digests: uncompressed already)', async () => {
    const none = await lift({source: work.source, library: join(work.dir, 'lib-none'), codec: 'none', fsync: false})
    await expect(buildDualCache({catalog: none.catalog, cache: join(work.dir, 'cache-none')})).rejects.toThrow(/for compressed libraries/)
  })
})

describe('drop --cache', () => {
  it.each([
    ['copy', true],
    ['copy', false],
    ['hardlink', true],
    ['hardlink', false],
  ] as const)('restores exactly with %s (verify %s), relocated files patched, the cache unchanged', async (strategy, verify) => {
    const before = await snapshotTree(cache)
    const target = join(work.dir, `out-${strategy}-${verify}`, OTHER_IDENTITY)
    const result = await drop({catalog, target, cache, strategy, verify, durable: false})
    expect(await snapshotTree(target)).toEqual(await snapshotTree(work.source, relocated))
    expect(result.rewritten).toBe(4)
    expect(result.formats.zstd).toBe(0) // nothing decoded: every file came from the cache
    if (strategy === 'hardlink') expect(result.strategy.counts.hardlink).toBeGreaterThan(0)
    expect(await snapshotTree(cache)).toEqual(before)

    // Warm: everything kept, hard links included.
    const again = await drop({catalog, target, cache, strategy, verify, durable: false})
    expect(again.skipped).toBe(19)
  })

  it('clones from the cache where the filesystem can', async (context) => {
    if (!cow.path) return context.skip(cow.skip)
    const cowCache = join(cow.path, 'cache')
    await buildDualCache({catalog, cache: cowCache})
    const target = join(cow.path, 'out', OTHER_IDENTITY)
    const result = await drop({catalog, target, cache: cowCache, strategy: 'reflink', durable: false})
    expect(result.strategy.counts.reflink).toBeGreaterThan(0)
    expect(await snapshotTree(target)).toEqual(await snapshotTree(work.source, relocated))
  })

  it('a file missing from the cache fails naming it (EMISSING), the library is not consulted', async () => {
    const partial = join(work.dir, 'cache-partial')
    await fsp.cp(cache, partial, {recursive: true})
    const data = await fsp.readFile(join(work.source, 'lib/data.gz'))
    const {createHash} = await import('node:crypto')
    const missing = libraryFilePath(partial, createHash('sha256').update(data).digest('hex'))
    await fsp.rm(missing)
    const error = await drop({catalog, target: join(work.dir, 'out-missing', OTHER_IDENTITY), cache: partial, durable: false}).catch((e: unknown) => e)
    expect(isHoloError(error, 'EMISSING')).toBe(true)
    expect((error as Error).message).toContain(missing)
  })
})
