import {describe, expect, it} from 'vitest'
import {renderHtml} from '../src/report/html.js'
import {syntheticResults} from './helpers/results-fixture.js'

describe('HTML report (static checks; the browser test checks rendering)', () => {
  it('is one self-contained file: CSP, no script, no external URL', () => {
    const html = renderHtml([syntheticResults(1)])
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/)
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i)
    expect(html).not.toMatch(/@import|url\(/i)
    expect(html).not.toMatch(/https?:\/\//)
  })

  it('escapes text from results files', () => {
    const results = syntheticResults(1)
    results.scenarios[0].scenario = '<script>alert(1)</script>'
    results.scenarios[0].rows[4].reason = '"><img src=x onerror=alert(2)>'
    results.environment.cpuModel = '<b>cpu</b> & co'
    const html = renderHtml([results], {labels: ['<i>label</i>']})
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<b>cpu</b>')
    expect(html).not.toContain('<i>label</i>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&lt;b&gt;cpu&lt;/b&gt; &amp; co')
  })

  it('has a comparison view for two or more files, with the change per row', () => {
    // Another machine (every time 1.5× or 0.5×) changes no in-run ratio; zstd alone gaining or losing does.
    const fast = syntheticResults(2, {speed: 1.5, variantSpeed: {zstd: 1.6}})
    const slow = syntheticResults(3, {speed: 0.5, variantSpeed: {zstd: 0.6}})
    const html = renderHtml([syntheticResults(1), fast, slow], {labels: ['base', 'fast', 'slow']})
    expect(html).toContain('Comparison: fast against base')
    expect(html).toContain('Comparison: slow against base')
    expect(html.match(/data-compare-row/g)).toHaveLength(2 * 10) // gzip has no row: it is 1× in every run
    expect(html.match(/data-change="better"/g)).toHaveLength(2) // zstd in both scenarios of `fast`
    expect(html.match(/data-change="worse"/g)).toHaveLength(2) // zstd in both scenarios of `slow`
    expect(html.match(/data-change="same"/g)).toHaveLength(2 * 2 * 3) // zstd-noverify, none-copy, floor
    expect(html.match(/data-change="unmatched"/g)).toHaveLength(2 * 2) // none-reflink is unsupported in every run
  })

  it('mixed timing modes: says the modes differ, judges no change, lists the mode in the environment', () => {
    const slow = syntheticResults(2, {variantSpeed: {zstd: 0.6}})
    slow.settings = {...slow.settings, mode: 'process'}
    const html = renderHtml([syntheticResults(1), slow], {labels: ['base', 'proc']})
    expect(html).toContain('Timing modes differ.')
    expect(html).toContain('base was timed in in-process mode, proc in process mode')
    expect(html).not.toMatch(/data-change="(better|worse|same)"/)
    expect(html.match(/data-change="other-mode"/g)).toHaveLength(10)
    expect(html).not.toContain('lost ground to gzip')
    expect(html).toMatch(/<tr class="differs"><th scope="row">Timing mode<\/th><td class="wrap">in-process<\/td><td class="wrap">process<\/td>/)
    // Each run's own speed-up still shows.
    expect(html.match(/class="interval"/g)?.length ?? 0).toBeGreaterThan(0)
    // The same mode: no note, the mode folds among the identical fields.
    expect(renderHtml([syntheticResults(1), syntheticResults(2)])).not.toContain('Timing modes differ')
  })

  it('renders a run with no scenarios and a run without gzip without failing', () => {
    const empty = {...syntheticResults(1), scenarios: []}
    expect(renderHtml([empty])).toContain('This run has no scenarios')
    const noGzip = syntheticResults(1)
    for (const scenario of noGzip.scenarios) {
      scenario.rows = scenario.rows.filter((row) => row.variant !== 'gzip')
      for (const row of scenario.rows) row.ratioToGzip = null
    }
    const html = renderHtml([noGzip])
    expect(html).toContain('no gzip row to compare with')
  })
})
