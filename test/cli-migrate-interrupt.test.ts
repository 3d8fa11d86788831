/**
 * Ctrl-C in `migrate`: the command says what was kept and how to finish, and the rerun skips the
 * files the interrupted run committed instead of redoing them. The interrupt is sent when the
 * file phase has started (its progress line), whatever the machine's speed.
 */
import {promises as fsp, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {detectFormat} from '../src/engine/codec/index.js'
import {lift} from '../src/engine/lift.js'
import {cli} from './helpers/cli.js'
import {ensureBuilt, makeManyFilesTree, tempFilesUnder} from './helpers/hololib.js'
import {tempDir} from './helpers/tree.js'

let work: {dir: string; cleanup: () => Promise<void>}
beforeAll(async () => {
  ensureBuilt()
  work = await tempDir('holobench-migrate-interrupt-')
})
afterAll(() => work.cleanup())

const TEMP = /\.tmp-\d+-[0-9a-f]{8}$|\.part#\d+$/

function libraryFormats(library: string): string[] {
  const root = join(library, 'library')
  return readdirSync(root, {recursive: true, withFileTypes: true})
    // Temp files of the interrupted writes are not library files; the next run removes them.
    .filter((entry) => entry.isFile() && !TEMP.test(entry.name))
    .map((entry) => detectFormat(readFileSync(join(entry.parentPath, entry.name)).subarray(0, 4)))
}

describe('migrate interrupted by Ctrl-C', () => {
  it('says what was kept and how to resume; the resume does not redo committed files', async () => {
    const tree = await makeManyFilesTree(join(work.dir, "h59acff1_493f813dad24d3t"), 3000)
    const library = join(work.dir, 'lib')
    await lift({source: tree, library, codec: 'gzip', fsync: false})
    await fsp.rm(tree, {recursive: true})

    const interrupted = await cli(['migrate', '--library', library, '--to', 'zstd', '--durability', 'fsync', '--jobs', '1'], {
      onSpawn: (child) => {
        let seen = ''
        let sent = false
        child.stderr?.on('data', (chunk: Buffer) => {
          seen += chunk.toString()
          if (!sent && /migrate: migrate\n/.test(seen)) sent = child.kill('SIGINT')
        })
      },
    })
    expect(interrupted.code, `${interrupted.signal} ${interrupted.stderr} ${interrupted.stdout}`).toBe(130)
    expect(interrupted.stderr).toMatch(/released RCC cannot read them \(only RCC's zstd fork can\)\. To go back, run:/)
    expect(interrupted.stderr).toContain(`  holobench migrate --library ${library} --to gzip\n`)
    expect(interrupted.stderr).toMatch(/migrate interrupted: \d+ of \d+ library files were done \(migrated or already zstd\) and are kept/)
    expect(interrupted.stderr).toContain(`holobench migrate --library ${library} --to zstd`)

    const before = libraryFormats(library)
    const committed = before.filter((format) => format === 'zstd').length
    expect(committed).toBeLessThan(before.length) // it really stopped part-way
    expect(before.every((format) => format === 'zstd' || format === 'gzip')).toBe(true) // nothing half-written

    const resumed = await cli(['migrate', '--library', library, '--to', 'zstd', '--json'])
    expect(resumed.code, resumed.stderr).toBe(0)
    const result = JSON.parse(resumed.stdout) as {files: {total: number; migrated: number; skipped: number}}
    // Exactly the committed files are skipped; only the rest are migrated.
    expect(result.files).toMatchObject({total: before.length, skipped: committed, migrated: before.length - committed})
    expect(libraryFormats(library).every((format) => format === 'zstd')).toBe(true)
    expect(tempFilesUnder(library)).toEqual([])
  }, 240_000)
})
