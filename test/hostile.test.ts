import {existsSync, promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'

import {describe, expect, it} from 'vitest'

import {describeError} from '../src/cli/base-command.js'
import {loadCatalog} from '../src/engine/catalog.js'
import {drop} from '../src/engine/drop.js'
import type {HoloError} from '../src/engine/errors.js'
import {lift} from '../src/engine/lift.js'
import {GO_MODE_DIR} from '../src/engine/types.js'
import {IDENTITY, OTHER_IDENTITY, useSampleTree} from './helpers/tree.js'
import {rejection} from './helpers/rejection.js'

const work = useSampleTree()

/** A gzip catalog written by hand, with one file named `name` inside `dirs`. */
async function handCatalog(library: string, dirs: string[], name: string): Promise<string> {
  const digest = 'ab'.repeat(32)
  let tree: Record<string, unknown> = {name, size: 1, mode: 420, digest, rewrite: []}
  let node: Record<string, unknown> = {name: 'x', mode: GO_MODE_DIR + 0o755, subdirs: {}, files: {[name]: tree}}
  for (const dir of [...dirs].reverse()) {
    tree = node
    node = {name: dir, mode: GO_MODE_DIR + 0o755, subdirs: {[dir]: tree}, files: {}}
  }

  const catalog = {identity: IDENTITY, path: '/x', controller: 'c', space: 's', platform: 'linux_amd64', blueprint: 'ffffffffffffffff', lifted: true, tree: node}
  const path = join(library, 'catalog', 'ffffffffffffffffv12.linux_amd64')
  await fsp.mkdir(join(library, 'catalog'), {recursive: true})
  await fsp.writeFile(path, gzipSync(JSON.stringify(catalog)))
  return path
}

describe('hostile catalogs never write outside the target', () => {
  it.each([
    ['a parent reference as a file name', [], '..'],
    ['a slash in a file name', [], '../../escape.txt'],
    ['an absolute file name', [], '/tmp/escape.txt'],
    ['a parent reference as a directory name', ['..', '..'], 'escape.txt'],
    ['an empty name', [], ''],
  ])('refuses %s', async (_label, dirs, name) => {
    const library = join(work.dir, `lib-hostile-${Math.random().toString(16).slice(2)}`)
    const catalog = await handCatalog(library, dirs as string[], name as string)
    const target = join(work.dir, 'hostile', 'deep', IDENTITY)
    const error = await rejection(drop({catalog, target}))
    expect(error.code).toBe('ETRAVERSAL')
    expect(error.message).toContain(catalog)
    expect(existsSync(join(work.dir, 'hostile'))).toBe(false)
  })
})

describe('damaged libraries give clear errors naming the file', () => {
  async function damaged(codec: 'zstd' | 'gzip' | 'none', damage: (data: Buffer) => Buffer) {
    const library = join(work.dir, `lib-damaged-${codec}-${Math.random().toString(16).slice(2)}`)
    const {catalog} = await lift({source: work.source, library, codec})
    const digest = (await loadCatalog(catalog)).tree.subdirs.lib.subdirs['python3.12'].subdirs['site-packages'].subdirs.pkg.files['mod7.py'].digest
    const file = join(library, 'library', digest.slice(0, 2), digest.slice(2, 4), digest.slice(4, 6), digest)
    await fsp.writeFile(file, damage(await fsp.readFile(file)))
    return {catalog, file}
  }

  it.each(['zstd', 'gzip'] as const)('a truncated %s file is ECORRUPT', async (codec) => {
    const {catalog, file} = await damaged(codec, (data) => data.subarray(0, Math.floor(data.length / 2)))
    const error = await rejection(drop({catalog, target: join(work.dir, `t-trunc-${codec}`, IDENTITY)}))
    expect(error.code).toBe('ECORRUPT')
    expect(error.message).toContain(file)
  })

  it.each(['zstd', 'gzip'] as const)('a %s file with garbage in its middle is ECORRUPT or EINTEGRITY', async (codec) => {
    const {catalog, file} = await damaged(codec, (data) => {
      const copy = Buffer.from(data)
      for (let i = 12; i < copy.length - 12; i += 7) copy[i] ^= 0x5a
      return copy
    })
    const target = join(work.dir, `t-garbage-${codec}`, IDENTITY)
    const error = await rejection(drop({catalog, target}))
    expect(['ECORRUPT', 'EINTEGRITY']).toContain(error.code)
    expect(error.message).toContain(file)
    // Silent half-restore: found mid-way, so the message says the target is incomplete.
    expect(error.message).toContain(`${target} is left incomplete: drop again once this is fixed`)
  })

  it('content that does not hash to its digest is EINTEGRITY, and passes with verification off', async () => {
    const {catalog, file} = await damaged('none', (data) => Buffer.from(data.toString('latin1').replace(/e/g, 'E'), 'latin1'))
    const error = await rejection(drop({catalog, target: join(work.dir, 't-digest', IDENTITY)}))
    expect(error.code).toBe('EINTEGRITY')
    expect(error.message).toMatch(/Corrupted hololib, expected [0-9a-f]{32}, actual [0-9a-f]{32}/)
    expect(error.message).toContain(file)
    const trusted = await drop({catalog, target: join(work.dir, 't-digest-trusted', IDENTITY), verify: false})
    expect(trusted.written).toBe(18)
  })

  it('half-written target: a missing library file is EMISSING before anything is written to a new target', async () => {
    const {catalog, file} = await damaged('zstd', (data) => data)
    await fsp.rm(file)
    const target = join(work.dir, 't-missing', IDENTITY)
    const error = await rejection(drop({catalog, target}))
    expect(error.code).toBe('EMISSING')
    expect(error.message).toContain(file)
    expect(error.message).toContain('nothing was restored')
    expect(existsSync(join(work.dir, 't-missing'))).toBe(false)
  })

  it('a catalog that is not a catalog is EINPUT (an input error, exit 2) naming it', async () => {
    const path = join(work.dir, 'not-a-catalog')
    await fsp.writeFile(path, gzipSync('{"tree": 5}'))
    const error = await rejection(drop({catalog: path, target: join(work.dir, 't-bad-catalog')}))
    expect(error.code).toBe('EINPUT')
    expect(error.message).toContain(path)
    expect(existsSync(join(work.dir, 't-bad-catalog'))).toBe(false)
  })
})

describe('relocation and strategy preconditions', () => {
  it('refuses a target whose name is not as long as the identity, before writing, as a usage error (exit 2)', async () => {
    const {catalog} = await lift({source: work.source, library: join(work.dir, 'lib-reloc'), codec: 'zstd'})
    const target = join(work.dir, 'short', 'space')
    const error = await rejection(drop({catalog, target}))
    expect(error.code).toBe('EUSAGE')
    expect(error.message).toContain('same length')
    expect(describeError(error).exit).toBe(2)
    expect(existsSync(join(work.dir, 'short'))).toBe(false)
    expect(existsSync(target)).toBe(false)
  })

  it('hard-links uncompressed unrelocated files when asked, and copies the rest', async () => {
    const {catalog} = await lift({source: work.source, library: join(work.dir, 'lib-hard'), codec: 'none'})
    const target = join(work.dir, 'hard', OTHER_IDENTITY)
    const result = await drop({catalog, target, strategy: 'hardlink'})
    expect(result.strategy.counts.hardlink).toBeGreaterThan(0)
    expect(result.strategy.counts.copy).toBeGreaterThanOrEqual(4) // the relocated ones, at least
    const stats = await fsp.stat(join(target, 'lib/python3.12/site-packages/pkg/mod1.py'))
    expect(stats.nlink).toBeGreaterThan(1)
  })

  it('an explicit reflink where the filesystem cannot clone is an error, not a silent copy', async () => {
    const {catalog} = await lift({source: work.source, library: join(work.dir, 'lib-reflink'), codec: 'none'})
    const target = join(work.dir, 'reflink', OTHER_IDENTITY)
    try {
      const result = await drop({catalog, target, strategy: 'reflink'})
      // Only a filesystem that really clones may succeed.
      expect(['xfs', 'btrfs']).toContain(result.strategy.targetFs)
      expect(result.strategy.counts.reflink).toBeGreaterThan(0)
    } catch (error) {
      expect((error as HoloError).code).toBe('ENOTSUP_STRATEGY')
      expect((error as HoloError).message).toMatch(/Cannot clone/)
    }
  })
})
