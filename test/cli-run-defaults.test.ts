import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {defaultVariants} from '../src/bench/variants.js'
import {canClone, chooseScratch, runnableVariants} from '../src/cli/run-defaults.js'
import {filesystemType} from '../src/engine/fs/fstype.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, {recursive: true, force: true})
})

describe('first-run defaults', () => {
  it('run none-copy everywhere and none-reflink only where the scratch clones, saying how to get one', () => {
    const defaults = defaultVariants(['napi', 'zlib'])
    const plain = runnableVariants(defaults, false, 'tmpfs')
    expect(plain.variants).toContain('none-copy')
    expect(plain.variants).not.toContain('none-reflink')
    expect(plain.variants.at(-1)).toBe('floor')
    expect(plain.variants).toEqual(expect.arrayContaining(['gzip', 'zstd', 'zstd@zlib', 'zstd-noverify']))
    expect(plain.note).toMatch(/^reflink rows left out: the scratch \(tmpfs\) cannot clone files; .*scripts\/cow-scratch\.sh up/)
    expect(plain.note?.split('\n')).toHaveLength(1)
    const cow = runnableVariants(defaults, true, 'xfs')
    expect(cow.variants.slice(cow.variants.indexOf('none-copy'), cow.variants.indexOf('none-copy') + 2)).toEqual(['none-copy', 'none-reflink'])
    expect(cow.note).toBeUndefined()
  })

  it('warn about a given scratch on a disk, and not about one on tmpfs', async () => {
    const disk = mkdtempSync(join(process.cwd(), '.scratch-defaults-'))
    dirs.push(disk)
    const fs = await filesystemType(disk)
    const choice = await chooseScratch(disk)
    expect(choice.dir).toBe(disk)
    if (fs === 'tmpfs') expect(choice.warning).toBeUndefined()
    else expect(choice.warning).toMatch(new RegExp(`is on ${fs}, a disk: file-system metadata dominates every ratio`))
  })

  it('default to a tmpfs when the machine has one with room, else warn about the temp dir', async () => {
    const choice = await chooseScratch(undefined)
    if (choice.dir === undefined) {
      expect(choice.fs).toBe(await filesystemType(os.tmpdir()))
      if (choice.fs !== 'tmpfs') expect(choice.warning).toMatch(/no tmpfs with room was found/)
    } else {
      expect(choice).toEqual({dir: '/dev/shm', fs: 'tmpfs'})
    }
  })

  it('probe cloning for real and leave nothing behind', async () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'holobench-clone-'))
    dirs.push(dir)
    const clones = await canClone(dir)
    expect(typeof clones).toBe('boolean')
    if ((await filesystemType(dir)) === 'tmpfs' || (await filesystemType(dir)) === 'ext4') expect(clones).toBe(false)
    const {readdirSync} = await import('node:fs')
    expect(readdirSync(dir)).toEqual([])
  })
})
