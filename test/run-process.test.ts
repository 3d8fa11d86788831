import {existsSync, promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ResultsFile, VariantResult} from '../src/bench/results.js'
import {compareResults} from '../src/gate/compare.js'
import {loadResults} from '../src/report/load.js'
import {cli} from './helpers/cli.js'
import {tempDir} from './helpers/tree.js'

const standin = fileURLToPath(new URL('fixtures/standin-engine.py', import.meta.url))
const row = (results: ResultsFile, name: string) => results.scenarios[0].rows.find((r) => r.variant === name) as VariantResult

let work: {dir: string; cleanup: () => Promise<void>}
beforeAll(async () => {
  work = await tempDir()
})
afterAll(() => work.cleanup())

describe('holobench run --mode process with external engines', () => {
  let results: ResultsFile
  let stdout: string
  const out = () => join(work.dir, 'process.json')

  beforeAll(async () => {
    // gzip in fresh processes; stand-in engines: a correct one, one with its own lifted library,
    // one that skips a file and one that leaves a relocation unrewritten.
    const run = await cli([
      'run', '--scenario', 'small', '--runs', '2', '--min-time', '0', '--variants', 'gzip,floor', '--scratch', work.dir, '--out', out(), '--report', join(work.dir, 'report'),
      '--engine', `standin=python3 ${standin} restore {catalog} {target}`,
      '--engine', `standin-own=python3 ${standin} copy {library} {target} {identity}`,
      '--engine-lift', `standin-own=python3 ${standin} lift {tree} {library}`,
      '--engine', `standin-skips=python3 ${standin} restore {catalog} {target} skip-file`,
      '--engine', `standin-unrelocated=python3 ${standin} restore {catalog} {target} keep-relocation`,
    ])
    expect(run.code, run.stderr).toBe(0)
    stdout = run.stdout
    results = JSON.parse(await fsp.readFile(out(), 'utf8')) as ResultsFile
  }, 180_000)

  it('times holobench in fresh processes and says so in the results and the table', () => {
    expect(results.schemaVersion).toBe(2)
    expect(results.settings.mode).toBe('process')
    expect(stdout).toContain('mode: process')
    const gzip = row(results, 'gzip')
    expect(gzip).toMatchObject({kind: 'variant', mode: 'process', status: 'ok'})
    expect(gzip.samples).toHaveLength(2)
    // drop --json reports its own restore time: inside the process, so below spawn-to-exit.
    expect(gzip.engineSamples).toHaveLength(2)
    gzip.engineSamples!.forEach((engine, i) => expect(engine).toBeLessThan(gzip.samples[i]))
    // The child's CPU time, read from this process's waited-for children.
    expect(gzip.cpuSamples).toHaveLength(2)
    expect(Math.max(...gzip.cpuSamples!)).toBeGreaterThan(0)
    expect(gzip.check).toMatchObject({ok: true, files: results.scenarios[0].tree.files, symlinks: results.scenarios[0].tree.symlinks})
    // Files per strategy come from the child's drop --json.
    expect(gzip.strategyCounts?.copy).toBe(results.scenarios[0].tree.files)
    expect(row(results, 'floor')).toMatchObject({kind: 'floor', mode: 'in-process'})
  })

  it('gives a correct engine rows with intervals, ratios and its reported time', () => {
    for (const name of ['standin', 'standin-own']) {
      const engine = row(results, name)
      expect(engine.status, engine.reason).toBe('ok')
      expect(engine).toMatchObject({kind: 'engine', mode: 'process', strategy: 'engine'})
      expect(engine.check?.ok).toBe(true)
      expect(engine.stats?.runs).toBe(2)
      expect(engine.ratioToGzip!.low).toBeLessThanOrEqual(engine.ratioToGzip!.value)
      expect(engine.ratioToGzip!.high).toBeGreaterThanOrEqual(engine.ratioToGzip!.value)
      expect(engine.ratioToFloor).not.toBeNull()
    }

    expect(stdout).toMatch(/standin \[engine\]/)
    expect(row(results, 'standin-own').libraryOf).toBe('standin-own')
    expect(row(results, 'standin').libraryOf).toBeUndefined()
    // Only the engine with its own lift has a library of its own, with its size.
    expect(results.scenarios[0].engineLibraries).toEqual([{engine: 'standin-own', files: results.scenarios[0].tree.files, storedBytes: results.scenarios[0].tree.bytes, liftSeconds: expect.any(Number)}])
  })

  it('flags an engine that skips a file or leaves a relocation unrewritten as wrong, untimed', () => {
    const skips = row(results, 'standin-skips')
    expect(skips.status).toBe('wrong')
    expect(skips.reason).toMatch(/^engine standin-skips restored a wrong tree: 1 problem, first: missing file /)
    expect(skips.samples).toEqual([])
    expect(skips.stats).toBeNull()
    const unrelocated = row(results, 'standin-unrelocated')
    expect(unrelocated.status).toBe('wrong')
    expect(unrelocated.check?.problems[0]).toMatch(/a relocation is not rewritten/)
    expect(unrelocated.ratioToGzip).toBeNull()
    expect(stdout).toMatch(/standin-skips \[engine\]\s*wrong: engine standin-skips restored a wrong tree/)
  })

  it('writes reports and stays readable by report and gate', async () => {
    const loaded = await loadResults(out())
    expect(loaded.settings.mode).toBe('process')
    for (const file of ['results.csv', 'report.html', 'summary.md']) expect(existsSync(join(work.dir, 'report', file)), file).toBe(true)
    expect(await fsp.readFile(join(work.dir, 'report', 'results.csv'), 'utf8')).toContain('standin-own')
    expect(() => compareResults(loaded, loaded, {threshold: 0.1})).not.toThrow()
    const inProcess = {...loaded, settings: {...loaded.settings, mode: 'in-process' as const}}
    expect(() => compareResults(inProcess, loaded, {threshold: 0.1})).toThrow(/in-process mode, the current run in process mode/)
  })
})

describe('holobench run engine validation', () => {
  it('refuses a missing binary or a bad template before any work, naming the engine (exit 2)', async () => {
    const out = join(work.dir, 'never.json')
    const missing = await cli(['run', '--scenario', 'small', '--engine', 'ghost=no-such-restorer-here {catalog} {target}', '--out', out, '--json'])
    expect(missing.code).toBe(2)
    expect(JSON.parse(missing.stdout).error.message).toMatch(/engine "ghost" restore: "no-such-restorer-here" is not an executable file on PATH/)
    expect(existsSync(out)).toBe(false)
    const placeholder = await cli(['run', '--scenario', 'small', '--engine', `typo=python3 ${standin} restore {catalgo} {target}`])
    expect(placeholder.code).toBe(2)
    expect(placeholder.stderr).toMatch(/engine "typo" restore: unknown placeholder \{catalgo\}/)
    const noTarget = await cli(['run', '--scenario', 'small', '--engine', `blind=python3 ${standin} restore {catalog}`])
    expect(noTarget.code).toBe(2)
    expect(noTarget.stderr).toMatch(/engine "blind": the restore command must name \{target\}/)
    const lift = await cli(['run', '--scenario', 'small', '--engine-lift', 'nobody=true {tree}'])
    expect(lift.code).toBe(2)
    expect(lift.stderr).toMatch(/--engine-lift nobody: no --engine named nobody/)
  })

  it('reports an engine whose command fails as failed, naming it', async () => {
    const run = await cli(['run', '--scenario', 'small', '--runs', '1', '--min-time', '0', '--mode', 'in-process', '--variants', 'gzip', '--scratch', work.dir, '--json', '--engine', `broken=python3 ${standin} nonsense {target}`])
    expect(run.code, run.stderr).toBe(0)
    const results = JSON.parse(run.stdout) as ResultsFile
    expect(results.settings.mode).toBe('in-process')
    expect(row(results, 'gzip')).toMatchObject({mode: 'in-process', status: 'ok'})
    const broken = row(results, 'broken')
    expect(broken.status).toBe('failed')
    expect(broken.reason).toMatch(/^engine broken: restore exited 1: standin-engine: unknown command nonsense/)
  })
})

describe('results of schema version 1', () => {
  it('load as in-process runs', async () => {
    const sample = fileURLToPath(new URL('fixtures/results-v1.json', import.meta.url))
    const raw = JSON.parse(await fsp.readFile(sample, 'utf8')) as {schemaVersion: number}
    expect(raw.schemaVersion).toBe(1)
    const loaded = await loadResults(sample)
    expect(loaded.schemaVersion).toBe(2)
    expect(loaded.settings.mode).toBe('in-process')
    for (const scenario of loaded.scenarios) {
      for (const r of scenario.rows) expect([r.kind, r.mode]).toEqual(r.variant === 'cp' ? ['floor', 'process'] : [r.strategy === 'floor' ? 'floor' : 'variant', 'in-process'])
    }
  })
})
