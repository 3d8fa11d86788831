import {existsSync, promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ResultsFile} from '../src/bench/results.js'
import {unsavedNote} from '../src/commands/run.js'
import {cli} from './helpers/cli.js'
import {useCowDir} from './helpers/cow.js'
import {tempDir} from './helpers/tree.js'

async function scratchLeftovers(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir)).filter((name) => name.startsWith('holobench-run-'))
}

let work: {dir: string; cleanup: () => Promise<void>}
beforeAll(async () => {
  work = await tempDir()
})
afterAll(() => work.cleanup())

describe('run without --out: silently lost results', () => {
  it('says on stderr that nothing was saved and how to save, unless --out or --json', () => {
    expect(unsavedNote(undefined, false)).toContain('--out results.json')
    expect(unsavedNote('results.json', false)).toBeUndefined()
    expect(unsavedNote(undefined, true)).toBeUndefined()
  })
})

describe('holobench run', () => {
  it('measures every variant side by side and writes a complete results.json (in-process mode)', async () => {
    const out = join(work.dir, 'results.json')
    const {code, stdout, stderr} = await cli(['run', '--scenario', 'small', '--runs', '3', '--min-time', '0', '--variants', 'gzip,zstd,zstd-noverify,none-copy,floor,cp', '--mode', 'in-process', '--scratch', work.dir, '--out', out, '--json'])
    expect(code, stderr).toBe(0)
    const results = JSON.parse(stdout) as ResultsFile
    expect(JSON.parse(await fsp.readFile(out, 'utf8'))).toEqual(results)
    expect(results.schema).toBe('holobench-results')
    expect(results.schemaVersion).toBe(2)
    expect(results.settings.mode).toBe('in-process')
    expect(results.environment.scratchFs).not.toBe('unknown')
    expect(results.environment.cpuCount).toBeGreaterThan(0)
    expect(results.settings.argv).toContain('--runs')
    const [scenario] = results.scenarios
    expect(scenario.scenario).toBe('small')
    expect(scenario.tree.files).toBe(100)
    expect(scenario.libraries.map((l) => l.codec).sort()).toEqual(['gzip', 'none', 'zstd'])
    expect(scenario.libraries.find((l) => l.codec === 'zstd')?.ratio).toBeGreaterThan(1.5)
    expect(scenario.rows.map((r) => r.variant)).toEqual(['gzip', 'zstd', 'zstd-noverify', 'none-copy', 'floor', 'cp'])
    for (const row of scenario.rows) {
      expect(row.status, row.reason).toBe('ok')
      expect(row.mode).toBe(row.variant === 'cp' ? 'process' : 'in-process')
      expect(row.samples.length).toBeGreaterThanOrEqual(3)
      expect(row.stats?.runs).toBe(row.samples.length)
      expect(row.stats?.median).toBeGreaterThan(0)
      expect(row.ratioToGzip?.low).toBeLessThanOrEqual(row.ratioToGzip?.value as number)
    }

    const gzip = scenario.rows[0]
    expect(gzip.ratioToGzip?.value).toBe(1)
    expect(scenario.rows.find((r) => r.variant === 'floor')?.ratioToFloor?.value).toBe(1)
    expect(await scratchLeftovers(work.dir)).toEqual([])
  })

  it('reports reflink as unsupported, with the filesystem, where clones are impossible (process mode)', async () => {
    const {code, stdout, stderr} = await cli(['run', '--scenario', 'small', '--runs', '1', '--min-time', '0', '--variants', 'gzip,none-reflink', '--scratch', work.dir, '--json'])
    expect(code, stderr).toBe(0)
    const results = JSON.parse(stdout) as ResultsFile
    const row = results.scenarios[0].rows[1]
    if (['xfs', 'btrfs'].includes(results.environment.scratchFs)) return
    expect(row.status).toBe('unsupported')
    expect(row.samples).toEqual([])
    expect(row.reason).toContain(results.environment.scratchFs)
    expect(stderr).not.toContain('results not saved') // --json: stdout holds them
  })

  it('leaves no scratch behind when interrupted', async () => {
    const scratch = join(work.dir, 'interrupted')
    await fsp.mkdir(scratch)
    const result = await cli(['run', '--scenario', 'small', '--runs', '200', '--min-time', '30', '--variants', 'gzip', '--scratch', scratch], {
      onSpawn(child) {
        // Interrupt once the run has made its scratch and is restoring. Exactly once: on a loaded
        // machine a slow readdir lets poll callbacks overlap, and a second SIGINT kills the run
        // before it can clean up (the fault this test would then report is the test's own).
        let fired = false
        const poll = setInterval(async () => {
          const made = await scratchLeftovers(scratch)
          if (!fired && made.length > 0 && existsSync(join(scratch, made[0], 's0', 'lib-gzip', 'catalog'))) {
            fired = true
            clearInterval(poll)
            setTimeout(() => child.kill('SIGINT'), 300)
          }
        }, 50)
      },
    })
    expect(result.code, result.stderr.slice(-2000)).toBe(130)
    expect(await scratchLeftovers(scratch)).toEqual([])
    // Said, not silent: what was kept (no --out here) and that the scratch went.
    expect(result.stderr).toContain('run interrupted: no results were saved; its scratch was removed')
  })
})

describe('holobench run on a copy-on-write filesystem', () => {
  const cow = useCowDir()

  it('really clones in the none-reflink row', async (context) => {
    if (!cow.path) return context.skip(cow.skip)
    // In-process: this is about cloning, not process start (process mode reports the same counts from drop --json).
    const {code, stdout, stderr} = await cli(['run', '--scenario', 'small', '--runs', '2', '--min-time', '0', '--variants', 'gzip,none-copy,none-reflink,floor', '--mode', 'in-process', '--scratch', cow.path, '--json'])
    expect(code, stderr).toBe(0)
    const results = JSON.parse(stdout) as ResultsFile
    expect(results.environment.scratchFs).toBe(cow.fsType)
    const reflink = results.scenarios[0].rows.find((r) => r.variant === 'none-reflink')
    expect(reflink?.status, reflink?.reason).toBe('ok')
    expect(reflink?.strategyCounts?.reflink).toBeGreaterThan(0)
    const copy = results.scenarios[0].rows.find((r) => r.variant === 'none-copy')
    expect(copy?.strategyCounts?.reflink).toBe(0)
  })
})
