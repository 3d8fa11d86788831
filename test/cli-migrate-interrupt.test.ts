/**
 * Ctrl-C in `migrate`: the command says what was kept and how to finish, and the rerun skips the
 * files the interrupted run committed instead of redoing them. The interrupt is sent when the
 * file phase has started (its progress line), whatever the machine's speed.
 */
import {existsSync, promises as fsp, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {detectFormat} from '../src/engine/codec/index.js'
import {lift} from '../src/engine/lift.js'
import {JOURNAL_NAME} from '../src/engine/migrate/index.js'
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
  // syncfs commits converted files in batches of thousands: the count said "kept" for files still
  // waiting as temp files, which the interrupt then left behind (count fault). Now the files in
  // progress are finished and committed first, and the count is of files really converted.
  it.each([
    ['fsync', false],
    ['syncfs', true],
  ])('count fault: says exactly what was kept (durability %s, --json %s), leaves no temp file, and the resume does not redo it', async (durability, json) => {
    const tree = await makeManyFilesTree(join(work.dir, 'h59acff1_493f813dad24d3t'), 3000)
    const library = join(work.dir, `lib-${durability}`)
    await lift({source: tree, library, codec: 'gzip', fsync: false})
    await fsp.rm(tree, {recursive: true})

    const interrupted = await cli(['migrate', '--library', library, '--to', 'zstd', '--durability', durability, '--jobs', '1', ...(json ? ['--json'] : [])], {
      onSpawn: (child) => {
        if (json) {
          // --json prints no progress: once the journal is written (listing and files are next), by polling.
          const poll = setInterval(() => {
            if (existsSync(join(library, JOURNAL_NAME)) && child.kill('SIGINT')) clearInterval(poll)
          }, 20)
          child.once('exit', () => clearInterval(poll))
          return
        }

        // Once the first file is done (the progress line of the files step).
        let seen = ''
        let sent = false
        child.stderr?.on('data', (chunk: Buffer) => {
          seen += chunk.toString()
          if (!sent && /migrate: migrate\n/.test(seen)) sent = child.kill('SIGINT')
        })
      },
    })
    expect(interrupted.code, `${interrupted.signal} ${interrupted.stderr} ${interrupted.stdout}`).toBe(130)
    const before = libraryFormats(library)
    const committed = before.filter((format) => format === 'zstd').length
    expect(before.every((format) => format === 'zstd' || format === 'gzip')).toBe(true) // nothing half-written
    expect(tempFilesUnder(library)).toEqual([])
    // It stopped part-way (after finishing what was in progress, once a file was done).
    expect(committed).toBeLessThan(before.length)
    if (!json) expect(committed).toBeGreaterThan(0)
    if (json) {
      const {error} = JSON.parse(interrupted.stdout) as {error: {code: string; exit: number; files: {done: number; total: number}}}
      expect(error).toMatchObject({code: 'EINTERRUPTED', exit: 130, files: {done: committed, total: before.length}})
    } else {
      expect(interrupted.stderr).toContain('migrate: stopping; the files in progress are being finished and committed')
      expect(interrupted.stderr).toMatch(/released RCC cannot read them \(only RCC's zstd fork can\)\. To go back, run:/)
      expect(interrupted.stderr).toContain(`  holobench migrate --library ${library} --to gzip\n`)
      expect(interrupted.stderr).toContain(`migrate interrupted: ${committed} of ${before.length} library files are in zstd (migrated or already) and are kept`)
      expect(interrupted.stderr).toContain(`holobench migrate --library ${library} --to zstd`)
      expect(interrupted.stderr).toMatch(/\] migrate: interrupted\n/)
      expect(interrupted.stderr).not.toMatch(/\] migrate: finished/)
    }

    const resumed = await cli(['migrate', '--library', library, '--to', 'zstd', '--json'])
    expect(resumed.code, resumed.stderr).toBe(0)
    const result = JSON.parse(resumed.stdout) as {files: {total: number; migrated: number; skipped: number}}
    // Exactly the committed files are skipped; only the rest are migrated.
    expect(result.files).toMatchObject({total: before.length, skipped: committed, migrated: before.length - committed})
    expect(libraryFormats(library).every((format) => format === 'zstd')).toBe(true)
    expect(tempFilesUnder(library)).toEqual([])
  }, 240_000)
})

describe('migrate stopped by a second signal', () => {
  // A second Ctrl-C ended the process with nothing said, and under --json with nothing on stdout
  // (silence fault). It still ends at once, by the signal, but says what it leaves and how to finish.
  it.each([false, true])('silence fault: it says what it leaves and how to finish (--json %s); the rerun finishes', async (json) => {
    const tree = await makeManyFilesTree(join(work.dir, 'h59acff1_493f813dad24d3t'), 2000)
    const library = join(work.dir, `lib-twice-${json}`)
    await lift({source: tree, library, codec: 'gzip', fsync: false})
    await fsp.rm(tree, {recursive: true})

    const stopped = await cli(['migrate', '--library', library, '--to', 'zstd', '--jobs', '1', ...(json ? ['--json'] : [])], {
      onSpawn: (child) => {
        // Two different signals, sent together: the kernel never merges them into one.
        const poll = setInterval(() => {
          if (!existsSync(join(library, JOURNAL_NAME))) return
          clearInterval(poll)
          child.kill('SIGINT')
          child.kill('SIGTERM')
        }, 20)
        child.once('exit', () => clearInterval(poll))
      },
    })
    // Ended by the second of the two, whichever was handled second.
    expect(['SIGINT', 'SIGTERM'], stopped.stderr).toContain(stopped.signal)
    if (json) {
      const {error} = JSON.parse(stopped.stdout) as {error: {code: string; exit: number; message: string}}
      expect(error).toMatchObject({code: 'EINTERRUPTED', exit: 130})
      expect(error.message).toContain(`holobench migrate --library ${library} --to zstd`)
    } else {
      expect(stopped.stderr).toContain('migrate stopped at once: every file is either complete or untouched')
      expect(stopped.stderr).toContain(`  holobench migrate --library ${library} --to zstd\n`)
    }

    const resumed = await cli(['migrate', '--library', library, '--to', 'zstd', '--json'])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(libraryFormats(library).every((format) => format === 'zstd')).toBe(true)
    expect(tempFilesUnder(library)).toEqual([])
  }, 240_000)
})
