import {execFileSync, spawnSync} from 'node:child_process'
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadCatalog} from '../src/engine/catalog.js'
import {drop} from '../src/engine/drop.js'
import {lift} from '../src/engine/lift.js'
import type {Strategy} from '../src/engine/strategy.js'
import {cli} from './helpers/cli.js'
import {useCowDir} from './helpers/cow.js'
import {ensureBuilt, libraryPath} from './helpers/hololib.js'
import {tempDir} from './helpers/tree.js'
import {rejection} from './helpers/rejection.js'

/** An uncompressed library holding one 10,000-byte file, truncated to 4,096 bytes after the lift. */
async function truncatedLibrary(dir: string): Promise<{catalog: string; stored: string}> {
  const source = join(dir, 'src', 'tree')
  await fsp.mkdir(source, {recursive: true})
  await fsp.writeFile(join(source, 'data.bin'), Buffer.alloc(10_000, 'holobench '))
  const library = join(dir, 'lib')
  const {catalog} = await lift({source, library, codec: 'none', fsync: false})
  const digest = (await loadCatalog(catalog)).tree.files['data.bin'].digest
  const stored = libraryPath(library, digest)
  await fsp.truncate(stored, 4096)
  return {catalog, stored}
}

describe('skipping verification never means restoring garbage', () => {
  let work: {dir: string; cleanup: () => Promise<void>}
  beforeAll(async () => {
    ensureBuilt()
    work = await tempDir('holobench-trusted-')
  })
  afterAll(() => work.cleanup())

  it.each(['hardlink', 'copy', 'auto'] as const)('no-verify checks sizes: a truncated library file is refused with --strategy %s', async (strategy: Strategy) => {
    const dir = join(work.dir, strategy)
    const {catalog, stored} = await truncatedLibrary(dir)
    const target = join(dir, 'out')
    const error = await rejection(drop({catalog, target, strategy, verify: false}))
    expect(error.code).toBe('ECORRUPT')
    expect(error.message).toContain(stored)
    expect(error.message).toContain('should be 10000 bytes, it holds 4096')
    // Nothing half-placed under the file's name.
    await expect(fsp.stat(join(target, 'data.bin'))).rejects.toThrow(/ENOENT/)
  })

  it('no-verify checks sizes: RCC_VERIFY_ON_RESTORE=false with a hard-link restore exits 1 naming the file', async () => {
    const dir = join(work.dir, 'env')
    const {catalog, stored} = await truncatedLibrary(dir)
    const result = await cli(['drop', catalog, '--target', join(dir, 'out'), '--strategy', 'hardlink', '--json'], {env: {RCC_VERIFY_ON_RESTORE: 'false'}})
    expect(result.code).toBe(1)
    expect(result.stdout + result.stderr).toContain(stored)
  })
})

describe('skipping verification never means restoring garbage (reflink)', () => {
  const cow = useCowDir()

  it('no-verify checks sizes: a truncated library file is refused with --strategy reflink', async (context) => {
    if (!cow.path) return context.skip(cow.skip)
    const {catalog, stored} = await truncatedLibrary(join(cow.path, 'reflink'))
    const error = await rejection(drop({catalog, target: join(cow.path, 'reflink', 'out'), strategy: 'reflink', verify: false}))
    expect(error.code).toBe('ECORRUPT')
    expect(error.message).toContain(stored)
  })
})

/**
 * A real filesystem with a low hard-link limit: Btrfs made without extended inode refs keeps
 * all links of an inode from one directory in one item of a 4 KiB leaf, so about 18 links with
 * 200-byte names fill it and the next link(2) fails with EMLINK (ext4 needs 65,000 links).
 */
async function lowLinkLimitDir(parent: string): Promise<{dir: string; release: () => void} | {skip: string}> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return {skip: 'needs root on Linux to loop-mount a small Btrfs'}
  if (spawnSync('mkfs.btrfs', ['--version']).status !== 0) return {skip: 'mkfs.btrfs (btrfs-progs) is not installed'}
  const image = join(parent, 'btrfs.img')
  const dir = join(parent, 'mnt')
  await fsp.mkdir(dir)
  await fsp.writeFile(image, '')
  await fsp.truncate(image, 128 * 1024 * 1024)
  try {
    execFileSync('mkfs.btrfs', ['-q', '-O', '^extref', '-n', '4096', '-s', '4096', image], {stdio: 'pipe'})
    execFileSync('mount', ['-o', 'loop', image, dir], {stdio: 'pipe'})
  } catch (error) {
    return {skip: `cannot make a loop-mounted Btrfs here: ${(error as Error).message.split('\n')[0]}`}
  }

  return {dir, release: () => execFileSync('umount', [dir], {stdio: 'pipe'})}
}

describe('a link limit never aborts a hard-link restore', () => {
  let work: {dir: string; cleanup: () => Promise<void>}
  let fs: Awaited<ReturnType<typeof lowLinkLimitDir>>
  beforeAll(async () => {
    work = await tempDir('holobench-emlink-')
    fs = await lowLinkLimitDir(work.dir)
  })
  afterAll(async () => {
    if ('release' in fs) fs.release()
    await work.cleanup()
  })

  it('link limit: a file whose inode cannot take another link (EMLINK) is copied, the rest hard-linked', async (context) => {
    if ('skip' in fs) {
      console.log(`skipped: ${fs.skip}`)
      return context.skip(fs.skip)
    }

    const source = join(fs.dir, 'src', 'tree')
    await fsp.mkdir(source, {recursive: true})
    // 40 files of one content, long names, one directory: more links than the inode takes.
    const names = Array.from({length: 40}, (_, i) => `${'n'.repeat(200)}${String(i).padStart(2, '0')}`)
    for (const name of names) await fsp.writeFile(join(source, name), 'same content\n')
    const {catalog} = await lift({source, library: join(fs.dir, 'lib'), codec: 'none', fsync: false})
    const target = join(fs.dir, 'out')
    const result = await drop({catalog, target, strategy: 'hardlink', verify: false})
    expect(result.written).toBe(40)
    expect(result.strategy.counts.hardlink).toBeGreaterThan(0)
    expect(result.strategy.counts.copy).toBeGreaterThan(0)
    expect(result.strategy.counts.hardlink + result.strategy.counts.copy).toBe(40)
    for (const name of names) expect(await fsp.readFile(join(target, name), 'utf8')).toBe('same content\n')
    // Again into the same target, whose directory already holds all the links the inode takes.
    const again = await drop({catalog, target, strategy: 'hardlink', verify: false})
    expect(again.strategy.eligible).toBe('hardlink')
    expect(again.written + again.skipped).toBe(40)
    // And with verification on, the same.
    const verified = await drop({catalog, target: join(fs.dir, 'out2'), strategy: 'hardlink'})
    expect(verified.written).toBe(40)
    expect(verified.strategy.counts.copy).toBeGreaterThan(0)
  })
})
