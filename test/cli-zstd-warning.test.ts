/** Where a user could break their RCC: writing zstd says so, in the help and on stderr, with the way back. */
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {cli} from './helpers/cli.js'
import {ensureBuilt} from './helpers/hololib.js'
import {IDENTITY, makeSampleTree, tempDir} from './helpers/tree.js'

let work: {dir: string; cleanup: () => Promise<void>}
let tree: string
beforeAll(async () => {
  ensureBuilt()
  work = await tempDir('holobench-zstd-warning-')
  tree = await makeSampleTree(join(work.dir, 'src'), IDENTITY)
})
afterAll(() => work.cleanup())

const WARNING = /released RCC cannot read them \(only RCC's zstd fork can\)\. To go back: holobench migrate --library (\S+) --to gzip/

describe('zstd libraries and released RCC', () => {
  it('lift --codec zstd (the default) warns on stderr with the way back; gzip does not', async () => {
    const zstd = await cli(['lift', tree, '--library', join(work.dir, 'lib-zstd'), '--no-fsync'])
    expect(zstd.code, zstd.stderr).toBe(0)
    expect(zstd.stderr.replace(/\s*›\s*/g, ' ')).toMatch(WARNING)
    expect(zstd.stderr.replace(/\s*›\s*/g, ' ').match(WARNING)![1]).toBe(join(work.dir, 'lib-zstd'))
    expect(zstd.stdout).not.toMatch(/released RCC/) // data only on stdout
    const gzip = await cli(['lift', tree, '--library', join(work.dir, 'lib-gzip'), '--codec', 'gzip', '--no-fsync'])
    expect(gzip.code, gzip.stderr).toBe(0)
    expect(gzip.stderr).not.toMatch(/released RCC/)

    const migrated = await cli(['migrate', '--library', join(work.dir, 'lib-gzip'), '--to', 'zstd'])
    expect(migrated.code, migrated.stderr).toBe(0)
    expect(migrated.stderr.replace(/\s*›\s*/g, ' ')).toMatch(WARNING)
    const back = await cli(['migrate', '--library', join(work.dir, 'lib-gzip'), '--to', 'gzip'])
    expect(back.stderr).not.toMatch(/released RCC/)
  }, 120_000)

  it('the help of lift and migrate says it, and how to go back', async () => {
    for (const command of ['lift', 'migrate']) {
      const help = await cli([command, '--help'])
      expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/zstd libraries cannot be read by released RCC, only by its zstd fork; to go back, run `holobench migrate --library <hololib> --to gzip`/)
    }
  })
})
