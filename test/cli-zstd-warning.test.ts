/** Where a user could break their RCC: writing zstd says so, in the help and on stderr, with the way back. */
import {execFileSync} from 'node:child_process'
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {cli} from './helpers/cli.js'
import {detectFormat} from '../src/engine/codec/index.js'
import {REPO, ensureBuilt} from './helpers/hololib.js'
import {IDENTITY, makeSampleTree, tempDir} from './helpers/tree.js'

let work: {dir: string; cleanup: () => Promise<void>}
let tree: string
beforeAll(async () => {
  ensureBuilt()
  work = await tempDir('holobench-zstd-warning-')
  tree = await makeSampleTree(join(work.dir, 'src'), IDENTITY)
})
afterAll(() => work.cleanup())

const WARNING = /released RCC cannot read them \(only RCC's zstd fork can\)\. To go back, run:/
// The way back on a line of its own, unwrapped, as it can be copied.
const WAY_BACK = /^ {2}holobench migrate --library (.+) --to gzip$/m

describe('zstd libraries and released RCC', () => {
  it('lift --codec zstd (the default) warns on stderr with the way back; gzip does not', async () => {
    const zstd = await cli(['lift', tree, '--library', join(work.dir, 'lib-zstd'), '--no-fsync'])
    expect(zstd.code, zstd.stderr).toBe(0)
    expect(zstd.stderr.replace(/\s*›\s*/g, ' ')).toMatch(WARNING)
    expect(zstd.stderr.match(WAY_BACK)?.[1]).toBe(join(work.dir, 'lib-zstd'))
    expect(zstd.stdout).not.toMatch(/released RCC/) // data only on stdout
    const gzip = await cli(['lift', tree, '--library', join(work.dir, 'lib-gzip'), '--codec', 'gzip', '--no-fsync'])
    expect(gzip.code, gzip.stderr).toBe(0)
    expect(gzip.stderr).not.toMatch(/released RCC/)

    const migrated = await cli(['migrate', '--library', join(work.dir, 'lib-gzip'), '--to', 'zstd'])
    expect(migrated.code, migrated.stderr).toBe(0)
    expect(migrated.stderr.replace(/\s*›\s*/g, ' ')).toMatch(WARNING)
    expect(migrated.stderr.match(WAY_BACK)?.[1]).toBe(join(work.dir, 'lib-gzip'))
    const back = await cli(['migrate', '--library', join(work.dir, 'lib-gzip'), '--to', 'gzip'])
    expect(back.stderr).not.toMatch(/released RCC/)
  }, 120_000)

  it('wrapping fault: a long library path, or one with a space, gives a way-back command that runs as copied', async () => {
    const library = join(work.dir, 'a library folder with a long name that a warning wrapped at eighty columns', 'lib')
    const zstd = await cli(['lift', tree, '--library', library, '--no-fsync'], {env: {OCLIF_COLUMNS: '80'}})
    expect(zstd.code, zstd.stderr).toBe(0)
    const line = zstd.stderr.match(WAY_BACK)?.[0]
    expect(line, zstd.stderr).toBeDefined()
    // Run the copied line through a shell (its `holobench` is this CLI): the library goes back to gzip.
    const back = execFileSync('sh', ['-c', `holobench() { "${process.execPath}" "${join(REPO, 'bin/run.js')}" "$@"; }; ${line!.trim()} --json`], {encoding: 'utf8'})
    expect((JSON.parse(back) as {files: {migrated: number}}).files.migrated).toBeGreaterThan(0)
    const formats = readdirSync(join(library, 'library'), {recursive: true, withFileTypes: true})
      .filter((entry) => entry.isFile())
      .map((entry) => detectFormat(readFileSync(join(entry.parentPath, entry.name)).subarray(0, 4)))
    expect(formats.length).toBeGreaterThan(0)
    expect(formats.every((format) => format === 'gzip')).toBe(true)
  }, 120_000)

  it('the help of lift and migrate says it, and how to go back', async () => {
    for (const command of ['lift', 'migrate']) {
      const help = await cli([command, '--help'])
      expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/zstd libraries cannot be read by released RCC, only by its zstd fork; to go back, run `holobench migrate --library <hololib> --to gzip`/)
    }
  })
})
