import {existsSync, promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {drop} from '../src/engine/drop.js'
import {isHoloError} from '../src/engine/errors.js'
import {lift} from '../src/engine/lift.js'
import {partPathFor, partSuffixFor} from '../src/engine/restore/part-name.js'
import {RESTORING_SUFFIX} from '../src/engine/target-guard.js'
import type {CatalogDir} from '../src/engine/types.js'
import {cli} from './helpers/cli.js'
import {IDENTITY, snapshotTree, useSampleTree} from './helpers/tree.js'

const work = useSampleTree()

/** What sits beside a target that nobody restored: nothing of holobench's. */
async function besideTarget(target: string): Promise<string[]> {
  const parent = join(target, '..')
  return (await fsp.readdir(parent)).filter((name) => name !== IDENTITY && name.startsWith(IDENTITY))
}

describe('a drop owns only what it restored', () => {
  it('drop refuses a non-empty target it did not restore (exit 2, names the target and --overwrite, writes nothing)', async () => {
    const library = join(work.dir, 'own-lib')
    const {catalog} = await lift({source: work.source, library, codec: 'zstd'})
    const target = join(work.dir, 'own', IDENTITY)
    await fsp.mkdir(target, {recursive: true})
    await fsp.writeFile(join(target, 'notes.txt'), 'my notes\n')
    const before = await snapshotTree(target)

    const refused = await cli(['drop', catalog, '--target', target])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(target)
    expect(refused.stderr).toContain('--overwrite')
    expect(await snapshotTree(target)).toEqual(before)
    expect(await besideTarget(target)).toEqual([])

    const json = await cli(['drop', catalog, '--target', target, '--json'])
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout).error.code).toBe('EUSAGE')

    // Said explicitly, it is replaced; the record then makes later drops own it.
    const forced = await cli(['drop', catalog, '--target', target, '--overwrite'])
    expect(forced.code, forced.stderr).toBe(0)
    expect(await snapshotTree(target)).toEqual(await snapshotTree(work.source))
    expect(existsSync(`${target}.meta`)).toBe(true)
    expect((await cli(['drop', catalog, '--target', target])).code).toBe(0)
  })

  it('drop never removes the library, the catalog or a directory holding them, whatever the flags', async () => {
    // A working directory holding the hololib and a notes file, as in the report: `--target .`.
    const home = join(work.dir, 'home')
    const library = join(home, 'hololib')
    const {catalog} = await lift({source: work.source, library, codec: 'gzip'})
    await fsp.writeFile(join(home, 'notes.txt'), 'keep me\n')
    await fsp.symlink(home, join(work.dir, 'home-link'))
    const before = await snapshotTree(home)
    const targets = [home, library, join(library, 'catalog'), join(library, 'library', 'ab'), join(work.dir, 'home-link'), work.dir]
    for (const target of targets) {
      const result = await cli(['drop', catalog, '--target', target, '--overwrite'])
      expect(result.code, `${target}: ${result.stderr}`).toBe(2)
      expect(result.stderr).toMatch(/Refusing to restore into/)
    }

    const dot = await cli(['drop', catalog, '--target', '.', '--overwrite', '--library', library], {cwd: home})
    expect(dot.code).toBe(2)
    expect(await snapshotTree(home)).toEqual(before)
  })

  it('a drop killed half-way is finished by the next drop without --overwrite', async () => {
    const library = join(work.dir, 'resume-lib')
    const {catalog} = await lift({source: work.source, library, codec: 'zstd'})
    const target = join(work.dir, 'resume', IDENTITY)
    await drop({catalog, target})
    // What a drop killed after its first change leaves: no .meta, its in-progress record, a torn tree.
    await fsp.rm(`${target}.meta`)
    await fsp.writeFile(`${target}${RESTORING_SUFFIX}`, '{}\n')
    await fsp.writeFile(join(target, 'bin', 'activate'), 'torn')
    await fsp.rm(join(target, 'lib', 'python3.12', 'site-packages', 'pkg', 'mod3.py'))
    await drop({catalog, target})
    expect(await snapshotTree(target)).toEqual(await snapshotTree(work.source))
    expect(existsSync(`${target}${RESTORING_SUFFIX}`)).toBe(false)
  })

  it('a target that is a file is refused, and left alone', async () => {
    const library = join(work.dir, 'file-lib')
    const {catalog} = await lift({source: work.source, library, codec: 'zstd'})
    const target = join(work.dir, 'file-target')
    await fsp.writeFile(target, 'data')
    const error = await drop({catalog, target, overwrite: true}).catch((error_: unknown) => error_)
    expect(isHoloError(error, 'EUSAGE')).toBe(true)
    expect(await fsp.readFile(target, 'utf8')).toBe('data')
  })
})

describe('temp names no catalog can use', () => {
  it('updating x never touches the real x.part or any file named like a temp file', async () => {
    const source = join(work.dir, 'parts', IDENTITY)
    await fsp.mkdir(source, {recursive: true})
    const names = ['x', 'x.part', 'x.holobench-part', 'x.tmp', '.x.tmp-1-00000000', 'strategy-probe.holobench-part']
    for (const name of names) await fsp.writeFile(join(source, name), `content of ${name}\n`)
    const library = join(work.dir, 'parts-lib')
    const first = await lift({source, library, codec: 'none'})
    const target = join(work.dir, 'parts-out', IDENTITY)
    await drop({catalog: first.catalog, target})
    await fsp.writeFile(join(source, 'x'), 'x, changed\n')
    const second = await lift({source, library, codec: 'none'})
    for (const strategy of ['copy', 'auto'] as const) {
      await drop({catalog: second.catalog, target, strategy})
      expect(await snapshotTree(target)).toEqual(await snapshotTree(source))
      await drop({catalog: first.catalog, target, strategy})
      expect(await fsp.readFile(join(target, 'x'), 'utf8')).toBe('content of x\n')
    }

    for (const name of names.slice(1)) expect(await fsp.readFile(join(target, name), 'utf8')).toBe(`content of ${name}\n`)
  })

  it('the temp suffix is one no name of the catalog ends with, and long names stay within NAME_MAX', () => {
    const dir = (files: string[], subdirs: Record<string, CatalogDir> = {}): CatalogDir => ({
      name: '',
      mode: 0o755,
      files: Object.fromEntries(files.map((name) => [name, {name, size: 0, mode: 0o644, digest: '', rewrite: []}])),
      subdirs,
    })
    expect(partSuffixFor(dir(['x', 'x.part']))).toBe('.holobench-part')
    const hostile = dir(['a.holobench-part'], {deep: dir(['b.holobench-part1'])})
    const suffix = partSuffixFor(hostile)
    expect(suffix).toBe('.holobench-part2')
    const long = 'n'.repeat(250)
    const part = partPathFor(join('/t', long), suffix)
    expect(Buffer.byteLength(part.slice(3))).toBeLessThanOrEqual(255)
    expect(part.endsWith(suffix)).toBe(true)
  })
})
