import {execFileSync, spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {check} from '../src/engine/check/index.js'
import {cli} from './helpers/cli.js'
import {tempFilesUnder} from './helpers/hololib.js'
import {IDENTITY, tempDir} from './helpers/tree.js'
import {mountTmpfs} from './helpers/mount.js'

let work: {dir: string; cleanup: () => Promise<void>}
beforeAll(async () => {
  work = await tempDir()
})
afterAll(() => work.cleanup())


describe('leftovers and results', () => {
  it('a lift that runs out of space leaves no temp files, and the rerun leaves check clean', async (ctx) => {
    const mnt = join(work.dir, 'small')
    await fsp.mkdir(mnt)
    if (!mountTmpfs(mnt, '3m')) return ctx.skip('needs root and tmpfs to make a small filesystem')
    try {
      // 48 incompressible files of 128 KiB (6 MiB) into 3 MiB, many in flight when the disk fills;
      // two big ones take the streaming path, whose temp file sits in library/ itself.
      const source = join(work.dir, 'src', IDENTITY)
      await fsp.mkdir(source, {recursive: true})
      for (let i = 0; i < 48; i++) await fsp.writeFile(join(source, `f${i}.bin`), randomBytes(128 << 10))
      for (let i = 0; i < 2; i++) await fsp.writeFile(join(source, `big${i}.bin`), randomBytes(5 << 20))
      const library = join(mnt, 'lib')
      const failed = await cli(['lift', source, '--library', library, '--codec', 'gzip', '--jobs', '8'])
      expect(failed.code, failed.stderr).toBe(1)
      expect(failed.stderr).toMatch(/ENOSPC|No space/)
      expect(tempFilesUnder(library)).toEqual([])

      execFileSync('mount', ['-o', 'remount,size=64m', mnt])
      const rerun = await cli(['lift', source, '--library', library, '--codec', 'gzip'])
      expect(rerun.code, rerun.stderr).toBe(0)
      const checked = await check({library})
      expect(checked.problems).toEqual([])
      expect(checked.leftovers).toEqual([])
    } finally {
      execFileSync('umount', [mnt])
    }
  })

  it('temp files an interrupted lift left are removed by the rerun, so check is clean again', async () => {
    const source = join(work.dir, 'rerun-src', IDENTITY)
    await fsp.mkdir(source, {recursive: true})
    for (let i = 0; i < 6; i++) await fsp.writeFile(join(source, `f${i}.txt`), `file ${i}\n`.repeat(100 + i))
    const library = join(work.dir, 'rerun-lib')
    const first = await cli(['lift', source, '--library', library, '--codec', 'zstd', '--json'])
    expect(first.code, first.stderr).toBe(0)
    const catalog = JSON.parse(first.stdout).catalog as string
    // What a lift killed (or failed) mid-write leaves, named as fs/atomic.ts names temps: by a dead pid.
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'}))
    const file = await someLibraryFile(library)
    const leftovers = [
      join(file, '..', `.${'0'.repeat(64)}.tmp-${dead}-0123abcd`),
      join(library, 'library', `.lift.tmp-${dead}-4567cdef`),
      join(library, 'catalog', `.${catalog.split('/').pop()}.tmp-${dead}-89ab0123`),
    ]
    for (const path of leftovers) await fsp.writeFile(path, 'partial')
    expect((await check({library})).ok).toBe(false)
    // The rerun stores a changed file into the directory that holds a leftover.
    await fsp.rm(file)
    const rerun = await cli(['lift', source, '--library', library, '--codec', 'zstd'])
    expect(rerun.code, rerun.stderr).toBe(0)
    const checked = await check({library})
    expect(checked.leftovers).toEqual([])
    expect(checked.ok).toBe(true)
  })

  it('run --out keeps an existing results file until there are results to write (Ctrl-C loses nothing)', async () => {
    const out = join(work.dir, 'results.json')
    const old = '{"schema": "holobench-results", "old": true}\n'
    await fsp.writeFile(out, old)
    const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
    // Long enough (30 s of timed restores at least) that no scenario can finish before the signal.
    const child = spawn(process.execPath, [bin, 'run', '--scenario', 'small', '--variants', 'gzip', '--min-time', '30', '--mode', 'in-process', '--scratch', work.dir, '--out', out], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    // Interrupted once it is working (its first progress line), as a user's Ctrl-C would.
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk
        resolve()
      })
      void exited.then(() => resolve())
    })
    child.kill('SIGINT')
    expect(await exited, stderr).not.toBe(0)
    expect(await fsp.readFile(out, 'utf8')).toBe(old)
    expect((await fsp.readdir(work.dir)).filter((name) => name.includes('results.json.tmp-'))).toEqual([])
  })

  it('run --out that cannot be written fails before measuring, and writes nothing', async () => {
    const dirAsOut = join(work.dir, 'a-directory')
    await fsp.mkdir(dirAsOut)
    const result = await cli(['run', '--scenario', 'small', '--variants', 'gzip', '--scratch', work.dir, '--out', dirAsOut])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(dirAsOut)
    expect(await fsp.readdir(dirAsOut)).toEqual([])
  })
})

/** The path of one content file of the library. */
async function someLibraryFile(library: string): Promise<string> {
  const found = (await fsp.readdir(join(library, 'library'), {recursive: true})).find((name) => /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(name))
  return join(library, 'library', found as string)
}
