/** The run's text table (`renderSummary`): what `holobench run` prints under its answer. */
import {describe, expect, it} from 'vitest'

import {renderSummary} from '../src/bench/summary.js'
import {syntheticResults} from './helpers/results-fixture.js'

describe('run summary table', () => {
  it('an untimed row with a long name keeps the name column and a gap before its status (column fault)', () => {
    const results = syntheticResults(1)
    const rows = results.scenarios[0].rows
    const timed = rows.find((row) => row.status === 'ok')!
    const name = 'zstd+cache-reflink'
    rows.push({...timed, variant: name, status: 'unsupported', reason: 'reflink is not possible on tmpfs', samples: [], stats: null, ratioToGzip: null, ratioToFloor: null, outliers: []})
    const lines = renderSummary(results).split('\n')
    const header = lines.find((line) => line.startsWith('variant'))!
    const untimed = lines.find((line) => line.startsWith(name))!
    expect(untimed).toMatch(new RegExp(`^${name.replace('+', '\\+')}\\s{2,}unsupported: reflink is not possible on tmpfs$`))
    // The longest name sets the column: its status starts right after it and the two-space gap.
    expect(untimed.indexOf('unsupported')).toBe(name.length + 2)
    expect(header.indexOf('median')).toBeGreaterThan(name.length)
  })
})
