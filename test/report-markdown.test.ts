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
  it('has the claims table and one row per (scenario, variant)', () => {
    const results = syntheticResults(1)
    const markdown = renderMarkdown([results], {labels: ['ci']})
    const [claims, ...scenarios] = tables(markdown)
    expect(claims).toHaveLength(2 + 3)
    expect(claims[0]).toContain('python-ml')
    expect(claims.slice(2).map((line) => line.split('|')[1].trim())).toEqual(['zstd', 'zstd + skip-verify', 'uncompressed + reflink'])
    expect(markdown).toMatch(/➖ not measured \(unsupported: ext4 cannot clone\)/)
    expect(markdown).toMatch(/(✅ .*held|❌ .*not held|⚠️ .*not held)/)
    expect(scenarios).toHaveLength(results.scenarios.length)
    scenarios.forEach((table, index) => {
      expect(table).toHaveLength(2 + results.scenarios[index].rows.length)
      expect(table[0]).toBe(`| ${columnsFor('md').map((column) => column.header).join(' | ')} |`)
    })
  })

  it('adds a comparison table per additional run', () => {
    const markdown = renderMarkdown([syntheticResults(1), syntheticResults(2, {speed: 1.5})], {labels: ['before', 'after']})
    expect(markdown).toContain('### Comparison: after against before')
    const comparison = tables(markdown)[0]
    expect(markdown.indexOf('### Comparison')).toBeLessThan(markdown.indexOf('## holobench: before'))
    expect(comparison).toHaveLength(2 + 12)
    expect(comparison.join('\n')).toMatch(/−\d+(\.\d)?% faster/)
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
