import {describe, expect, it} from 'vitest'
import {columnsFor} from '../src/report/columns.js'
import {renderMarkdown} from '../src/report/markdown.js'
import {syntheticResults} from './helpers/results-fixture.js'

/** Table blocks: consecutive lines starting with `|`. */
function tables(markdown: string): string[][] {
  const blocks: string[][] = []
  let current: string[] = []
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) current.push(line)
    else if (current.length > 0) {
      blocks.push(current)
      current = []
    }
  }
  if (current.length > 0) blocks.push(current)
  return blocks
}

describe('Markdown summary', () => {
  it('answers first, then the expectations table and one row per (scenario, variant)', () => {
    const results = syntheticResults(1)
    const markdown = renderMarkdown([results], {labels: ['ci']})
    const [claims, ...scenarios] = tables(markdown)
    expect(markdown.indexOf('**The answer for python-ml**')).toBeLessThan(markdown.indexOf('Expected by the proposal'))
    expect(markdown).toMatch(/- \*\*faster\*\* — zstd vs gzip: \d\.\d\d× faster \(\d\.\d\d–\d\.\d\d\), library −\d/)
    expect(markdown).toMatch(/_caveat:_ scratch on ext4 \(a disk, not tmpfs\): file-system metadata dominates every ratio/)
    expect(claims).toHaveLength(2 + 3)
    expect(claims[0]).toContain('python-ml')
    expect(claims.slice(2).map((line) => line.split('|')[1].trim())).toEqual(['zstd', 'zstd + skip-verify', 'uncompressed + reflink'])
    expect(markdown).toMatch(/not measured \(unsupported: ext4 cannot clone\)/)
    // Expectations are context, not failures: no crosses or warning signs.
    expect(markdown).not.toMatch(/❌|⚠️|✅/)
    expect(scenarios).toHaveLength(results.scenarios.length)
    scenarios.forEach((table, index) => {
      expect(table).toHaveLength(2 + results.scenarios[index].rows.length)
      expect(table[0]).toBe(`| ${columnsFor('md').map((column) => column.header).join(' | ')} |`)
    })
  })

  it('adds a comparison of in-run ratios per additional run: a faster machine alone is no change', () => {
    const markdown = renderMarkdown([syntheticResults(1), syntheticResults(2, {speed: 1.5, variantSpeed: {zstd: 1.6}})], {labels: ['before', 'after']})
    expect(markdown).toContain('### Comparison: after against before')
    const comparison = tables(markdown)[0]
    expect(markdown.indexOf('### Comparison')).toBeLessThan(markdown.indexOf('## holobench: before'))
    expect(comparison).toHaveLength(2 + 10) // every row but gzip, which is the 1× of both runs
    const zstd = comparison.filter((line) => line.includes('| zstd |'))
    for (const line of zstd) expect(line).toMatch(/\+\d+(\.\d)?% gained on gzip/)
    const others = comparison.slice(2).filter((line) => !line.includes('| zstd |') && !line.includes('none-reflink'))
    for (const line of others) expect(line).toMatch(/intervals overlap/)
  })

  it('mixed timing modes: the comparison says so first and judges no change', () => {
    const other = syntheticResults(2, {variantSpeed: {zstd: 0.6}})
    other.settings = {...other.settings, mode: 'process'}
    const markdown = renderMarkdown([syntheticResults(1), other], {labels: ['before', 'after']})
    const heading = markdown.indexOf('### Comparison')
    const note = markdown.indexOf('**Timing modes differ:**')
    expect(note).toBeGreaterThan(heading)
    expect(note).toBeLessThan(markdown.indexOf('| Scenario'))
    expect(markdown).toContain('before was timed in in-process mode, after in process mode')
    expect(markdown).not.toMatch(/lost ground|gained on gzip|intervals overlap/)
    const rows = tables(markdown)[0].slice(2)
    expect(rows).toHaveLength(10)
    for (const line of rows) expect(line).toContain('not compared: timed in different modes')
  })

  it('escapes table-breaking and HTML text from results files', () => {
    const results = syntheticResults(1)
    results.scenarios[0].scenario = 'a|b <img src=x onerror=alert(1)> *bold*'
    const markdown = renderMarkdown([results])
    expect(markdown).toContain('### a\\|b &lt;img src=x onerror=alert(1)&gt; \\*bold\\*')
    expect(markdown).not.toContain('<img')
    for (const table of tables(markdown)) {
      const cells = table.map((line) => line.replaceAll('\\|', '').split('|').length)
      expect(new Set(cells).size, table.join('\n')).toBe(1)
    }
  })
})
