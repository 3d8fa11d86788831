import {readFileSync, writeFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {COLUMNS, columnsFor} from '../src/report/columns.js'
import {renderColumnsDoc} from '../src/report/columns-doc.js'

const README = new URL('../src/report/README.md', import.meta.url)
const START = '<!-- columns:start -->'
const END = '<!-- columns:end -->'

describe('report column table', () => {
  it('has unique, stable snake_case CSV headers', () => {
    const ids = COLUMNS.map((column) => column.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9_]*$/)
  })

  it('gives every format its columns from the one table', () => {
    expect(columnsFor('csv')).toHaveLength(COLUMNS.length)
    expect(columnsFor('html').map((column) => column.id)).toContain('median_s')
    expect(columnsFor('md').map((column) => column.id)).toEqual(expect.arrayContaining(['variant', 'status', 'median_s', 'speedup_vs_gzip']))
  })

  it('is documented in src/report/README.md', () => {
    const readme = readFileSync(README, 'utf8')
    const start = readme.indexOf(START)
    const end = readme.indexOf(END)
    expect(start, 'README lacks the columns markers').toBeGreaterThan(-1)
    const expected = `${START}\n${renderColumnsDoc()}\n${END}`
    const actual = readme.slice(start, end + END.length)
    if (process.env.HOLOBENCH_UPDATE_DOCS === '1' && actual !== expected) {
      writeFileSync(README, readme.slice(0, start) + expected + readme.slice(end + END.length))
      return
    }
    expect(actual, 'CSV column docs are stale: run HOLOBENCH_UPDATE_DOCS=1 npx vitest run test/report-columns.test.ts').toBe(expected)
  })
})
