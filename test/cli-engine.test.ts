import {existsSync, promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'

import {describe, expect, it} from 'vitest'

import {cli} from './helpers/cli.js'
import {IDENTITY, OTHER_IDENTITY, snapshotTree, useSampleTree} from './helpers/tree.js'

const work = useSampleTree()

describe('lift, drop and inspect from the command line', () => {
  it('lifts, inspects and drops, with data on stdout and --json for machines', async () => {
    const library = join(work.dir, 'lib')
    const lifted = await cli(['lift', work.source, '--library', library, '--codec', 'zstd'])
    expect(lifted.code, lifted.stderr).toBe(0)
    const catalog = lifted.stdout.trim()
    expect(existsSync(catalog)).toBe(true)
    expect(lifted.stderr).toContain('18 files')

    const inspected = await cli(['inspect', library, '--json'])
    expect(inspected.code, inspected.stderr).toBe(0)
    const facts = JSON.parse(inspected.stdout)
    expect(facts).toMatchObject({kind: 'library', files: 18, relocatedFiles: 4, formats: {zstd: 17, gzip: 0, raw: 0}})

    const target = join(work.dir, 'out', OTHER_IDENTITY)
    const dropped = await cli(['drop', catalog, '--target', target, '--json'])
    expect(dropped.code, dropped.stderr).toBe(0)
    expect(JSON.parse(dropped.stdout)).toMatchObject({written: 18, rewritten: 4, verify: true})
    expect(await snapshotTree(target)).toEqual(await snapshotTree(work.source, {from: IDENTITY, to: OTHER_IDENTITY}))
  })

  it('RCC_VERIFY_ON_RESTORE=false turns verification off; --verify turns it back on', async () => {
    const library = join(work.dir, 'lib-env')
    const catalog = (await cli(['lift', work.source, '--library', library])).stdout.trim()
    const off = await cli(['drop', catalog, '--target', join(work.dir, 'env-off', IDENTITY), '--json'], {env: {RCC_VERIFY_ON_RESTORE: 'false'}})
    expect(JSON.parse(off.stdout).verify).toBe(false)
    const on = await cli(['drop', catalog, '--target', join(work.dir, 'env-on', IDENTITY), '--verify', '--json'], {env: {RCC_VERIFY_ON_RESTORE: 'false'}})
    expect(JSON.parse(on.stdout).verify).toBe(true)
  })

  it('a hostile catalog is a bad input file: its code, the file named, exit 2 and nothing written', async () => {
    const library = join(work.dir, 'lib-hostile')
    await fsp.mkdir(join(library, 'catalog'), {recursive: true})
    const catalog = join(library, 'catalog', 'ffffffffffffffffv12.linux_amd64')
    const evil = {name: '../evil', size: 1, mode: 420, digest: 'ab'.repeat(32), rewrite: []}
    await fsp.writeFile(catalog, gzipSync(JSON.stringify({identity: IDENTITY, path: '/x', platform: 'linux_amd64', blueprint: 'ffffffffffffffff', lifted: true, tree: {name: '', mode: 2147484141, subdirs: {}, files: {'../evil': evil}}})))
    const target = join(work.dir, 'hostile-out', IDENTITY)
    const result = await cli(['drop', catalog, '--target', target])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('ETRAVERSAL')
    expect(result.stderr).toContain(catalog)
    expect(existsSync(join(work.dir, 'hostile-out'))).toBe(false)
  })

  it('bad usage exits 2 with a clear message', async () => {
    const result = await cli(['lift', '--tree', join(work.dir, 'src'), '--library', join(work.dir, 'lib-x'), '--codec', 'bogus'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/bogus/)
  })
})
