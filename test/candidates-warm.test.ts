/**
 * Warm, upgrade and dual-cache rows in a real run: each restore a fresh `holobench drop` into a
 * prepared space (dist/ is built by npm test), the first one checked exact like every row.
 */
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseVariant} from '../src/bench/variants.js'
import {runBenchmark} from '../src/bench/runner.js'
import type {ResultsFile, VariantResult} from '../src/bench/results.js'
import {IDENTITY, makeSampleTree, tempDir} from './helpers/tree.js'

describe('row names', () => {
  it('take a seed variant before the +', () => {
    expect(parseVariant('zstd+warm10')).toMatchObject({codec: 'zstd', verify: true, strategy: 'copy', candidate: 'warm', options: {percent: 10}})
    expect(parseVariant('none-hardlink-noverify+warm1')).toMatchObject({codec: 'none', verify: false, strategy: 'hardlink', candidate: 'warm'})
    expect(parseVariant('gzip+upgrade5')).toMatchObject({codec: 'gzip', candidate: 'upgrade', options: {percent: 5}})
    expect(parseVariant('zstd-noverify+cache-hardlink')).toMatchObject({codec: 'zstd', verify: false, strategy: 'hardlink', candidate: 'dual-cache'})
  })

  it.each([
    ['pack+warm1', /seed variant before the \+/],
    ['zstd-hardlink+warm1', /only applies to uncompressed libraries/],
    ['zstd+warm101', /0 to 100/],
    ['zstd+upgrade0', /1 to 100/],
    ['none+cache-copy', /<gzip\|zstd>/],
    ['zstd+cache-symlink', /<copy\|hardlink\|reflink>/],
  ])('refuse %s', (name, message) => {
    expect(() => parseVariant(name)).toThrow(message)
  })
})

describe('a run with warm, upgrade and dual-cache rows', () => {
  let work: {dir: string; cleanup: () => Promise<void>}
  let results: ResultsFile
  const row = (scenario: number, name: string) => results.scenarios[scenario].rows.find((r) => r.variant === name) as VariantResult

  beforeAll(async () => {
    work = await tempDir()
    const source = await makeSampleTree(join(work.dir, 'src'), IDENTITY)
    results = await runBenchmark({
      scenarios: ['small'],
      trees: [source],
      identity: IDENTITY,
      variants: ['gzip', 'gzip+warm0', 'zstd+warm10', 'none-hardlink+warm10', 'zstd+upgrade5', 'zstd+cache-copy', 'zstd-noverify+cache-hardlink'],
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
  }, 300_000)
  afterAll(() => work?.cleanup())

  it('times every row with an exact first restore, on the scenario and on a tree', () => {
    for (const [i, names] of [[0, ['gzip+warm0', 'zstd+warm10', 'none-hardlink+warm10', 'zstd+upgrade5', 'zstd+cache-copy', 'zstd-noverify+cache-hardlink']], [1, ['gzip+warm0', 'zstd+warm10', 'none-hardlink+warm10', 'zstd+upgrade5', 'zstd+cache-copy', 'zstd-noverify+cache-hardlink']]] as const) {
      for (const name of names) {
        const r = row(i, name)
        expect(r.status, `${name}: ${r.reason}`).toBe('ok')
        expect(r.check?.ok, name).toBe(true)
        expect(r.samples).toHaveLength(2)
      }
    }
  })

  it('an upgrade of a tree upgrades its top-level entries, and says so', () => {
    const r = row(1, 'zstd+upgrade5')
    expect(r.status, r.reason).toBe('ok')
    expect(r.check?.ok).toBe(true)
    expect(r.candidate?.caveat).toMatch(/a real tree has no packages: 1 of its \d+ top-level entries/)
  })

  it('records who reads each row and its full disk cost', () => {
    const zstd = results.scenarios[0].libraries.find((l) => l.codec === 'zstd')!
    expect(row(0, 'zstd+warm10').candidate).toMatchObject({family: 'warm', rcc: {reads: 'zstd-fork'}, storedBytes: zstd.storedBytes})
    expect(row(0, 'gzip+warm0').candidate?.rcc.reads).toBe('upstream')
    const cache = row(0, 'zstd+cache-copy').candidate!
    expect(cache.rcc.reads).toBe('neither')
    // The cache holds every distinct file uncompressed, beside the library.
    const cached = cache.storedBytes - zstd.storedBytes
    expect(cached).toBeGreaterThan(results.scenarios[0].tree.bytes / 2)
    expect(cached).toBeLessThanOrEqual(results.scenarios[0].tree.bytes)
    const upgrade = row(0, 'zstd+upgrade5').candidate!
    expect(upgrade.storedBytes).toBeGreaterThan(zstd.storedBytes)
  })
})
