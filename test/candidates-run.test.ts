import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runBenchmark} from '../src/bench/runner.js'
import type {ResultsFile, VariantResult} from '../src/bench/results.js'
import {candidateEntries} from '../src/report/candidates.js'
import {renderCandidatesText} from '../src/report/candidates-text.js'
import {parseResults} from '../src/report/load.js'
import {IDENTITY, makeSampleTree, tempDir} from './helpers/tree.js'

let work: {dir: string; cleanup: () => Promise<void>}
let results: ResultsFile
const row = (name: string) => results.scenarios[0].rows.find((r) => r.variant === name) as VariantResult

// A level row and a pack beside gzip, each restore a fresh `holobench drop` (dist/ is built by npm test).
beforeAll(async () => {
  work = await tempDir()
  const source = await makeSampleTree(join(work.dir, 'src'), IDENTITY)
  results = await runBenchmark({
    scenarios: [],
    trees: [source],
    identity: IDENTITY,
    variants: ['gzip', 'zstd-l3', 'pack', 'pack-noverify', 'floor'],
    scratch: work.dir,
    warmupRuns: 1,
    minRuns: 2,
    rounds: 1,
    minTimeSeconds: 0,
    jobs: 2,
    seed: 1,
    argv: [],
    mode: 'process',
    candidates: true,
  })
}, 180_000)
afterAll(() => work.cleanup())

describe('run with candidates', () => {
  it('times level and pack rows in fresh processes, each checked against the tree', () => {
    for (const name of ['gzip', 'zstd-l3', 'pack', 'pack-noverify']) {
      expect(row(name), name).toMatchObject({status: 'ok', mode: 'process', check: {ok: true}})
      expect(row(name).samples).toHaveLength(2)
    }

    expect(results.settings.candidates).toBe(true)
  })

  it('lifts a level row\'s own library and records its level', () => {
    const scenario = results.scenarios[0]
    expect(row('zstd-l3').level).toBe(3)
    expect(scenario.libraries.map((library) => [library.codec, library.level])).toEqual([['gzip', undefined], ['zstd', 3], ['zstd', undefined]])
  })

  it('records the pack\'s facts: its full disk cost, build cost and that RCC reads neither', () => {
    const facts = row('pack').candidate!
    expect(facts).toMatchObject({family: 'pack', rcc: {reads: 'neither'}})
    expect(facts.storedBytes).toBeGreaterThan(0)
    expect(facts.liftSeconds).toBeGreaterThan(0)
    // Every file restored: the packed ones and the relocated ones alike.
    expect(row('pack').strategyCounts?.copy).toBe(results.scenarios[0].tree.files)
    expect(row('pack-noverify').verify).toBe(false)
  })

  it('gives every timed row a CPU speed-up over gzip beside the wall-clock one', () => {
    const entries = candidateEntries(results.scenarios[0])
    expect(entries.map((entry) => entry.row.variant)).toEqual(['gzip', 'zstd-l3', 'pack', 'pack-noverify'])
    for (const entry of entries) expect(entry.cpuSpeedup?.value, entry.row.variant).toBeGreaterThan(0)
    expect(renderCandidatesText(results)).toContain('CPU vs gzip')
  })

  it('writes results that load back', () => {
    expect(parseResults(JSON.stringify(results), 'run.json').scenarios[0].rows).toHaveLength(5)
  })
})
