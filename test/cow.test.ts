import {execFileSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {constants, existsSync, readFileSync} from 'node:fs'
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'

import {acquireCowDir, CLONE_CAPABLE_FS, type CowDir, type CowSkip, fsTypeOf} from './helpers/cow.js'

/** Errors that mean "this filesystem cannot clone" (Linux reports EOPNOTSUPP as ENOTSUP). */
const NO_CLONE_CODES = ['ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS', 'EINVAL', 'ENOTTY']

function isMounted(dir: string): boolean {
  // Field 5 of mountinfo is the mount point (spaces escaped as \040; our paths have none).
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === dir)
}

function loopsBackedBy(image: string): string[] {
  const out = execFileSync('losetup', ['-l', '-n', '--raw', '-O', 'NAME,BACK-FILE'], {encoding: 'utf8'})
  return out
    .split('\n')
    .filter((line) => line.includes(image))
    .map((line) => line.split(' ')[0])
}

async function expectCloneWorks(dir: string): Promise<void> {
  const src = path.join(dir, 'original.bin')
  const dst = path.join(dir, 'clone.bin')
  const bytes = randomBytes(256 * 1024)
  await fsp.writeFile(src, bytes)
  await fsp.copyFile(src, dst, constants.COPYFILE_FICLONE_FORCE)
  expect((await fsp.readFile(dst)).equals(bytes)).toBe(true)
  // Copy-on-write: changing the clone leaves the original alone.
  await fsp.writeFile(dst, 'changed')
  expect((await fsp.readFile(src)).equals(bytes)).toBe(true)
}

async function expectReleasedWithoutLeak(cow: CowDir): Promise<void> {
  expect(cow.image).toBeDefined()
  const image = cow.image as string
  expect(isMounted(cow.dir)).toBe(true)
  expect(loopsBackedBy(image)).toHaveLength(1)
  await cow.release()
  await cow.release() // idempotent
  expect(isMounted(cow.dir)).toBe(false)
  expect(loopsBackedBy(image)).toEqual([])
  expect(existsSync(image)).toBe(false)
  expect(existsSync(path.dirname(cow.dir))).toBe(false)
}

describe('acquireCowDir', () => {
  let cow: CowDir | CowSkip

  beforeAll(async () => {
    cow = await acquireCowDir()
  })
  afterAll(async () => {
    if (cow && !('skip' in cow)) await cow.release()
  })

  test('COPYFILE_FICLONE_FORCE succeeds in the acquired directory', async (ctx) => {
    if ('skip' in cow) return ctx.skip(cow.skip)
    expect(CLONE_CAPABLE_FS.has(cow.fsType)).toBe(true)
    expect(await fsTypeOf(cow.dir)).toBe(cow.fsType)
    expect(await fsp.readdir(cow.dir)).toEqual([])
    await expectCloneWorks(cow.dir)
  })

  test('the same clone fails in the ordinary temp dir', async (ctx) => {
    if ('skip' in cow) return ctx.skip(cow.skip)
    const tmpFs = await fsTypeOf(os.tmpdir())
    if (CLONE_CAPABLE_FS.has(tmpFs)) return ctx.skip(`os.tmpdir() is on ${tmpFs}, which may clone`)
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'holobench-noclone-'))
    try {
      const src = path.join(dir, 'a')
      await fsp.writeFile(src, 'not cloneable here')
      const error = await fsp.copyFile(src, path.join(dir, 'b'), constants.COPYFILE_FICLONE_FORCE).then(
        () => null,
        (e: NodeJS.ErrnoException) => e,
      )
      expect(error, `a clone on ${tmpFs} unexpectedly succeeded`).not.toBeNull()
      expect(NO_CLONE_CODES).toContain(error?.code)
    } finally {
      await fsp.rm(dir, {recursive: true, force: true})
    }
  })

  test('a private loop mount is released without leaking its mount or loop device', async (ctx) => {
    const own = await acquireCowDir({ignoreEnv: true})
    if ('skip' in own) return ctx.skip(own.skip)
    await expectCloneWorks(own.dir)
    await expectReleasedWithoutLeak(own)
  })

  test('concurrent acquires get separate mounts', async (ctx) => {
    const both = await Promise.all([acquireCowDir({ignoreEnv: true}), acquireCowDir({ignoreEnv: true})])
    const ready = both.filter((c): c is CowDir => !('skip' in c))
    try {
      const skipped = both.find((c): c is CowSkip => 'skip' in c)
      if (skipped) return ctx.skip(skipped.skip)
      const [a, b] = ready
      expect(a.dir).not.toBe(b.dir)
      await Promise.all([expectCloneWorks(a.dir), expectCloneWorks(b.dir)])
      for (const c of ready) await expectReleasedWithoutLeak(c)
    } finally {
      for (const c of ready) await c.release()
    }
  })

  test('HOLOBENCH_COW_DIR gives a fresh subdirectory, and is passed over where clones fail', async (ctx) => {
    const saved = process.env.HOLOBENCH_COW_DIR
    const mount = await acquireCowDir({ignoreEnv: true})
    if ('skip' in mount) return ctx.skip(mount.skip)
    try {
      process.env.HOLOBENCH_COW_DIR = mount.dir
      const sub = await acquireCowDir()
      if ('skip' in sub) throw new Error(sub.skip)
      expect(path.dirname(sub.dir)).toBe(mount.dir)
      expect(sub.image).toBeUndefined()
      expect(sub.fsType).toBe(mount.fsType)
      await expectCloneWorks(sub.dir)
      await sub.release()
      expect(existsSync(sub.dir)).toBe(false)
      expect(isMounted(mount.dir)).toBe(true)

      const tmpFs = await fsTypeOf(os.tmpdir())
      if (CLONE_CAPABLE_FS.has(tmpFs)) return
      process.env.HOLOBENCH_COW_DIR = os.tmpdir()
      const fallback = await acquireCowDir()
      if ('skip' in fallback) {
        expect(fallback.skip).toContain('clones fail in HOLOBENCH_COW_DIR')
      } else {
        expect(fallback.image).toBeDefined()
        await expectReleasedWithoutLeak(fallback)
      }
    } finally {
      if (saved === undefined) delete process.env.HOLOBENCH_COW_DIR
      else process.env.HOLOBENCH_COW_DIR = saved
      await mount.release()
    }
  })
})
