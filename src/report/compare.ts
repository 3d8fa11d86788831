/**
 * Before/after (or machine A/machine B) comparison of in-run ratios: each run's speed-up over gzip,
 * measured side by side within that run, matched by (scenario, variant). Raw wall times from two
 * runs are never compared: a different day, machine or load moves every time, while a ratio
 * measured in one run cancels most of that out.
 */
import type {ResultsFile, VariantResult} from '../bench/results.js'
import {speedupOf} from './format.js'
import {classify, HEADLINE_BASELINE, type HeadlineVerdict, type Interval} from './verdict.js'

/** better/worse: the two runs' 95% intervals do not overlap; same: they overlap. */
export type Change = 'better' | 'worse' | 'same' | 'unmatched'

export interface ComparisonRow {
  scenario: string
  variant: string
  base?: VariantResult
  other?: VariantResult
  /** Speed-up over gzip in each run (gzip median ÷ variant median, 95% interval); null if not measured. */
  baseSpeedup: Interval | null
  otherSpeedup: Interval | null
  /** Each run's headline verdict for this variant. */
  baseVerdict: HeadlineVerdict
  otherVerdict: HeadlineVerdict
  /** other speed-up ÷ base speed-up − 1: +0.25 means the variant gained 25% on gzip. Null unless both measured. */
  change: number | null
  verdict: Change
}

export function compareRuns(base: ResultsFile, other: ResultsFile): ComparisonRow[] {
  const keys: Array<[string, string]> = []
  const seen = new Set<string>()
  for (const file of [base, other]) {
    for (const scenario of file.scenarios) {
      for (const row of scenario.rows) {
        // gzip against itself is 1× by definition: it has no row of its own here.
        if (row.variant === HEADLINE_BASELINE) continue
        const key = JSON.stringify([scenario.scenario, row.variant])
        if (!seen.has(key)) keys.push([scenario.scenario, row.variant])
        seen.add(key)
      }
    }
  }
  return keys.map(([scenario, variant]) => compareRow(scenario, variant, find(base, scenario, variant), find(other, scenario, variant)))
}

function speedup(row?: VariantResult): Interval | null {
  return row?.status === 'ok' && row.ratioToGzip ? speedupOf(row.ratioToGzip) : null
}

function compareRow(scenario: string, variant: string, base?: VariantResult, other?: VariantResult): ComparisonRow {
  const baseSpeedup = speedup(base)
  const otherSpeedup = speedup(other)
  const verdictOf = (value: Interval | null): HeadlineVerdict => (value ? classify(value) : 'not-measured')
  const common = {scenario, variant, base, other, baseSpeedup, otherSpeedup, baseVerdict: verdictOf(baseSpeedup), otherVerdict: verdictOf(otherSpeedup)}
  if (!baseSpeedup || !otherSpeedup) return {...common, change: null, verdict: 'unmatched'}
  const change = otherSpeedup.value / baseSpeedup.value - 1
  const verdict: Change = otherSpeedup.low > baseSpeedup.high ? 'better' : otherSpeedup.high < baseSpeedup.low ? 'worse' : 'same'
  return {...common, change, verdict}
}

function find(file: ResultsFile, scenario: string, variant: string): VariantResult | undefined {
  return file.scenarios.find((candidate) => candidate.scenario === scenario)?.rows.find((row) => row.variant === variant)
}

export const CHANGE_TEXT: Record<Change, string> = {
  better: 'gained on gzip',
  worse: 'lost ground to gzip',
  same: '(intervals overlap: no change shown)',
  unmatched: 'not comparable',
}
