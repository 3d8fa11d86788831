import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import type {ResultsFile, VariantResult} from '../src/bench/results.js'
import {upgradeResults} from '../src/bench/results.js'
import {candidateEntries, factsOf, hasCandidates, targetSentence} from '../src/report/candidates.js'
import {renderCandidatesText} from '../src/report/candidates-text.js'
import {renderHtml} from '../src/report/html.js'
import {renderMarkdown} from '../src/report/markdown.js'
import {syntheticResults} from './helpers/results-fixture.js'

/** Synthetic results plus a zstd-19 level row and a pack candidate, as `run --candidates` writes them. */
function withCandidates(options: {packSpeed: number; packBytesFactor: number; variantSpeed?: Record<string, number>}): ResultsFile {
  const results = structuredClone(syntheticResults(3, {variantSpeed: options.variantSpeed}))
  results.settings.candidates = true
  for (const scenario of results.scenarios) {
    const zstd = scenario.rows.find((row) => row.variant === 'zstd') as VariantResult
    const zstdLibrary = scenario.libraries.find((library) => library.codec === 'zstd')!
    scenario.libraries.push({...zstdLibrary, level: 19, storedBytes: Math.round(zstdLibrary.storedBytes * 0.8), liftSeconds: zstdLibrary.liftSeconds * 20})
    scenario.rows.push({...structuredClone(zstd), variant: 'zstd-l19', level: 19})
    const scale = (row: VariantResult, factor: number) => ({...structuredClone(row), samples: row.samples.map((s) => s / factor), stats: row.stats && {...row.stats, median: row.stats.median / factor}, ratioToGzip: row.ratioToGzip && {value: row.ratioToGzip.value / factor, low: row.ratioToGzip.low / factor, high: row.ratioToGzip.high / factor}})
    scenario.rows.push({
      ...scale(zstd, options.packSpeed),
      variant: 'pack',
      candidate: {family: 'pack', summary: 'one pack', rcc: {reads: 'neither', takes: 'a new restore path <script>'}, storedBytes: Math.round(zstdLibrary.storedBytes * options.packBytesFactor), rawBytes: zstdLibrary.rawBytes, liftSeconds: 3, caveat: 'written by the main thread'},
    })
  }

  return results
}

describe('the candidates table and chart', () => {
  it('derive facts for the seed rows: gzip is read by released RCC, zstd only by its fork, the floor has none', () => {
    const scenario = withCandidates({packSpeed: 4, packBytesFactor: 0.9}).scenarios[0]
    const row = (name: string) => scenario.rows.find((r) => r.variant === name)!
    expect(factsOf(scenario, row('gzip'))?.rcc.reads).toBe('upstream')
    expect(factsOf(scenario, row('zstd'))?.rcc.reads).toBe('zstd-fork')
    expect(factsOf(scenario, row('zstd-noverify'))?.rcc.takes).toMatch(/RCC_VERIFY_ON_RESTORE/)
    expect(factsOf(scenario, row('floor'))).toBeNull()
    // A level row reports its own library, not the level-1 one.
    const l19 = factsOf(scenario, row('zstd-l19'))!
    expect(l19.family).toBe('level')
    expect(l19.storedBytes).toBe(scenario.libraries.find((library) => library.level === 19)!.storedBytes)
    expect(factsOf(scenario, row('pack'))?.rcc.reads).toBe('neither')
  })

  it('mark as Pareto-optimal only rows nothing else beats on both time and disk', () => {
    const scenario = withCandidates({packSpeed: 4, packBytesFactor: 0.5}).scenarios[0]
    const pareto = candidateEntries(scenario).filter((entry) => entry.pareto).map((entry) => entry.row.variant)
    // Faster than zstd and smaller than every library: it alone dominates… except rows it does not beat on disk.
    expect(pareto).toContain('pack')
    expect(pareto).not.toContain('zstd')
    expect(pareto).not.toContain('gzip')
  })

  it('say whether a row reaches 3× over gzip, and at what disk', () => {
    const fast = withCandidates({packSpeed: 4, packBytesFactor: 0.9}).scenarios[0]
    expect(targetSentence(fast)).toMatch(/3× over gzip reached by .*pack \(\d+\.\d\d× at 0\.\d\d× gzip's disk\)/)
    // The seed's rows slowed to about gzip's speed (the synthetic run has zstd at 3×).
    const slow = withCandidates({packSpeed: 1.01, packBytesFactor: 0.9, variantSpeed: {zstd: 0.3, 'zstd-noverify': 0.25}}).scenarios[0]
    slow.rows = slow.rows.filter((row) => row.variant !== 'none-copy')
    expect(targetSentence(slow)).toMatch(/no row reaches 3× over gzip; the fastest is/)
  })

  it('appear in run\'s text, the Markdown summary and the HTML report, escaped', () => {
    const results = withCandidates({packSpeed: 4, packBytesFactor: 0.9})
    const text = renderCandidatesText(results)
    expect(text).toMatch(/^Beyond the seed/)
    for (const name of ['gzip', 'zstd-l19', 'pack']) expect(text).toMatch(new RegExp(`^${name}\\b`, 'm'))
    expect(text).toContain('pack: RCC neither — a new restore path')
    const markdown = renderMarkdown([results])
    expect(markdown).toContain('### Beyond the seed: candidates')
    expect(markdown).toMatch(/\| pack ◆? \| neither \|/)
    expect(markdown).not.toContain('<script>')
    const html = renderHtml([results])
    expect(html).toContain('data-chart="candidates"')
    expect(html).toMatch(/<tr class="pareto" data-variant="pack">/)
    expect(html).toContain('class="ref ref-target"')
    expect(html).not.toContain('<script>')
    expect(html).toContain('a new restore path &lt;script&gt;')
  })

  it('stay out of runs without candidates, old results files included', () => {
    const plain = syntheticResults(3)
    expect(hasCandidates(plain)).toBe(false)
    expect(renderCandidatesText(plain)).toBe('')
    expect(renderHtml([plain])).not.toContain('data-chart="candidates"')
    expect(renderMarkdown([plain])).not.toContain('Beyond the seed')
    // A schema-1 file from before candidates still renders, without them.
    const v1 = upgradeResults(JSON.parse(readFileSync(fileURLToPath(new URL('fixtures/results-v1.json', import.meta.url)), 'utf8'))) as ResultsFile
    expect(hasCandidates(v1)).toBe(false)
    expect(renderHtml([v1])).not.toContain('data-chart="candidates"')
  })
})

describe('results files with candidates', () => {
  it('load with their candidate facts and levels, and old files still load', async () => {
    const {parseResults} = await import('../src/report/load.js')
    const results = withCandidates({packSpeed: 4, packBytesFactor: 0.9})
    const loaded = parseResults(JSON.stringify(results), 'candidates.json')
    expect(loaded.scenarios[0].rows.find((row) => row.variant === 'pack')?.candidate?.rcc.reads).toBe('neither')
    expect(loaded.scenarios[0].libraries.some((library) => library.level === 19)).toBe(true)
    // A committed results file written before candidates existed.
    const sample = readFileSync(fileURLToPath(new URL('../reports/sample/results.json', import.meta.url)), 'utf8')
    expect(parseResults(sample, 'sample.json').scenarios.length).toBeGreaterThan(0)
  })

  it('refuse a candidate whose RCC reader is not one of upstream, zstd-fork, neither, naming the field', async () => {
    const {parseResults} = await import('../src/report/load.js')
    const results = withCandidates({packSpeed: 4, packBytesFactor: 0.9})
    const pack = results.scenarios[0].rows.find((row) => row.variant === 'pack')!
    ;(pack.candidate!.rcc as {reads: string}).reads = 'maybe'
    expect(() => parseResults(JSON.stringify(results), 'bad.json')).toThrow(/candidate\.rcc\.reads must be one of upstream, zstd-fork, neither/)
  })
})
