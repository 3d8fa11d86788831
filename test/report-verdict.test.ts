import {describe, expect, it} from 'vitest'
import type {ResultsFile} from '../src/bench/results.js'
import {renderMarkdown} from '../src/report/markdown.js'
import {renderAnswer} from '../src/report/text.js'
import {classify, EQUIVALENCE_MARGIN, headlinesFor, headlineText, scenarioCaveats} from '../src/report/verdict.js'
import {verdictCaseResults, type VerdictCase} from './helpers/results-fixture.js'

const CASES: VerdictCase[] = ['faster', 'no-difference', 'slower', 'inconclusive']

function candidates(file: ResultsFile) {
  return headlinesFor(file, file.scenarios[0]).filter((headline) => headline.variant !== 'none-reflink')
}

describe('headline verdicts', () => {
  it('classify intervals: one side of 1×, within the margin, or too wide to say', () => {
    expect(classify({value: 1.32, low: 1.21, high: 1.47})).toBe('faster')
    expect(classify({value: 0.8, low: 0.7, high: 0.9})).toBe('slower')
    expect(classify({value: 1.01, low: 0.95, high: 1.06})).toBe('no-difference')
    expect(classify({value: 1.1, low: 0.69, high: 1.96})).toBe('inconclusive')
    // The margin's edges: exactly ±10% still counts as no difference, a hair past it does not.
    expect(classify({value: 1, low: 1 / EQUIVALENCE_MARGIN, high: EQUIVALENCE_MARGIN})).toBe('no-difference')
    expect(classify({value: 1, low: 0.95, high: EQUIVALENCE_MARGIN + 1e-9})).toBe('inconclusive')
  })

  it.each(CASES)('fixture case %s gives that verdict for every candidate, and unsupported reflink is not measured', (kind) => {
    const file = verdictCaseResults(kind)
    expect(candidates(file).map((headline) => headline.verdict)).toEqual(['zstd', 'zstd-noverify', 'none-copy'].map(() => kind))
    const reflink = headlinesFor(file, file.scenarios[0]).find((headline) => headline.variant === 'none-reflink')
    expect(reflink?.verdict).toBe('not-measured')
    expect(headlineText(reflink!)).toMatch(/cow-scratch\.sh/)
  })

  it('word the headline from the interval: faster with the library change, slower as a time factor', () => {
    const faster = candidates(verdictCaseResults('faster'))[0]
    expect(headlineText(faster)).toMatch(/^zstd vs gzip: \d\.\d\d× faster \(\d\.\d\d–\d\.\d\d\), library [+−]\d/)
    const slower = candidates(verdictCaseResults('slower'))[0]
    const [, factor, low, high] = /(\d\.\d\d)× slower \((\d\.\d\d)–(\d\.\d\d)\)/.exec(headlineText(slower))!.map(Number)
    expect(factor).toBeCloseTo(1 / slower.speedup!.value, 2)
    expect(low).toBeLessThanOrEqual(factor)
    expect(high).toBeGreaterThanOrEqual(factor)
  })

  it('an inconclusive one carries the advice that would settle it, more runs estimated from its width', () => {
    const disk = verdictCaseResults('inconclusive', {scratchFs: 'ext4'})
    const headline = candidates(disk)[0]
    expect(headline.advice.join(' ')).toMatch(/more runs: about (\d+) per variant \(--runs \1; this run had 6\)/)
    const needed = Number(/about (\d+)/.exec(headline.advice[0])![1])
    expect(needed).toBeGreaterThan(6)
    expect(headline.advice.join(' ')).toMatch(/--scratch \/dev\/shm/)
    expect(headline.advice.join(' ')).toMatch(/quieter machine/)
    // On tmpfs already, tmpfs is not advised.
    expect(candidates(verdictCaseResults('inconclusive'))[0].advice.join(' ')).not.toMatch(/dev\/shm/)
  })

  it('the run table and the Markdown summary use the same words', () => {
    for (const kind of CASES) {
      const file = verdictCaseResults(kind, {scratchFs: 'ext4'})
      const text = renderAnswer(file)
      const markdown = renderMarkdown([file])
      for (const headline of headlinesFor(file, file.scenarios[0])) {
        expect(text).toContain(headlineText(headline))
        // Markdown escapes its special characters; compare with them removed.
        expect(markdown.replaceAll('\\', '')).toContain(headlineText(headline))
      }
      expect(text).toContain('file-system metadata dominates every ratio')
      expect(text.indexOf('expected by the proposal')).toBeGreaterThan(text.indexOf(headlineText(headlinesFor(file, file.scenarios[0])[0])))
    }
  })

  it('label the mode beside the numbers, and answer external engines against their own reference', () => {
    const file = verdictCaseResults('faster')
    file.settings.mode = 'process'
    const scenario = file.scenarios[0]
    expect(scenarioCaveats(file, scenario).join(' ')).toMatch(/process mode: each restore is a fresh process timed from spawn to exit/)
    file.settings.mode = 'in-process'
    expect(scenarioCaveats(file, scenario).join(' ')).toMatch(/in-process mode: .*process start-up excluded/)

    // Two engines: released RCC against holobench's gzip, the zstd fork against released RCC.
    const zstd = scenario.rows.find((row) => row.variant === 'zstd')!
    const gzip = scenario.rows.find((row) => row.variant === 'gzip')!
    scenario.rows.push(
      {...structuredClone(gzip), variant: 'rcc-main', kind: 'engine', mode: 'process', strategy: 'engine'},
      {...structuredClone(zstd), variant: 'rcc-fork', kind: 'engine', mode: 'process', strategy: 'engine', gzipReference: 'rcc-main'},
      {...structuredClone(zstd), variant: 'broken', kind: 'engine', mode: 'process', strategy: 'engine', status: 'wrong', reason: 'lib/a.py differs', stats: null, ratioToGzip: null},
    )
    const texts = headlinesFor(file, scenario).map(headlineText)
    expect(texts).toContainEqual(expect.stringMatching(/^rcc-fork vs rcc-main: \d\.\d\d× faster/))
    expect(texts).toContainEqual(expect.stringMatching(/^rcc-main vs gzip: /))
    expect(texts).toContainEqual('broken vs gzip: not measured (restored a wrong tree, so not timed: lib/a.py differs)')
  })
})
