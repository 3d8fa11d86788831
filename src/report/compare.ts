/**
 * Before/after (or machine A/machine B) comparison of in-run ratios: each run's speed-up over gzip,
 * measured side by side within that run, matched by (scenario, variant). Raw wall times from two
 * runs are never compared: a different day, machine or load moves every time, while a ratio
 * measured in one run cancels most of that out.
 */
import type {ResultsFile, VariantResult} from '../bench/results.js'
import {speedupOf} from './format.js'
import {classify, HEADLINE_BASELINE, type HeadlineVerdict, type Interval} from './verdict.js'

/**
 * better/worse: the two runs' 95% intervals do not overlap; same: they overlap; other-mode: the
 * runs were timed in different modes, so their ratios are not judged against each other.
 */
export type Change = 'better' | 'worse' | 'same' | 'unmatched' | 'other-mode'

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

/** How a run was timed (`run --mode`); files from before the field were in-process. */
export function modeOf(file: ResultsFile): string {
  return file.settings?.mode ?? 'in-process'
}

/**
 * Why two runs' speed-ups must not be judged against each other, or undefined when they may be.
 * In-process and process mode time different work (process start-up, module loading), so their
 * ratios differ without any code change; `gate` refuses the same pair (gate/compatibility.ts).
 */
export function modeMismatch(base: ResultsFile, other: ResultsFile, baseLabel = 'the first run', otherLabel = 'the other'): string | undefined {
  if (modeOf(base) === modeOf(other)) return undefined
  return `not compared: ${baseLabel} was timed in ${modeOf(base)} mode, ${otherLabel} in ${modeOf(other)} mode; the two modes time different work, so each run's own speed-up is shown without judging a change (re-run one with --mode ${modeOf(base)} to compare)`
}

export function compareRuns(base: ResultsFile, other: ResultsFile): ComparisonRow[] {
  const sameMode = modeOf(base) === modeOf(other)
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
  return keys.map(([scenario, variant]) => compareRow(scenario, variant, find(base, scenario, variant), find(other, scenario, variant), sameMode))
}

function speedup(row?: VariantResult): Interval | null {
  return row?.status === 'ok' && row.ratioToGzip ? speedupOf(row.ratioToGzip) : null
}

function compareRow(scenario: string, variant: string, base: VariantResult | undefined, other: VariantResult | undefined, sameMode: boolean): ComparisonRow {
  const baseSpeedup = speedup(base)
  const otherSpeedup = speedup(other)
  const verdictOf = (value: Interval | null): HeadlineVerdict => (value ? classify(value) : 'not-measured')
  const common = {scenario, variant, base, other, baseSpeedup, otherSpeedup, baseVerdict: verdictOf(baseSpeedup), otherVerdict: verdictOf(otherSpeedup)}
  if (!sameMode) return {...common, change: null, verdict: 'other-mode'}
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
  'other-mode': 'not compared: timed in different modes',
}
