/**
 * Before/after (or machine A/machine B) comparison: rows matched by (scenario, variant), change
 * of the median restore time per row. A change smaller than the larger relative margin of error
 * of the two runs is reported as noise rather than as a win or a loss.
 */
import type {ResultsFile, VariantResult} from '../bench/results.js'

export type Change = 'faster' | 'slower' | 'noise' | 'unmatched'

export interface ComparisonRow {
  scenario: string
  variant: string
  base?: VariantResult
  other?: VariantResult
  /** other median / base median − 1: −0.25 means 25% less time. Null unless both are ok. */
  change: number | null
  /** The noise threshold used, as a fraction (max of both rme values). */
  noise: number | null
  verdict: Change
}

export function compareRuns(base: ResultsFile, other: ResultsFile): ComparisonRow[] {
  const keys: Array<[string, string]> = []
  const seen = new Set<string>()
  for (const file of [base, other]) {
    for (const scenario of file.scenarios) {
      for (const row of scenario.rows) {
        const key = JSON.stringify([scenario.scenario, row.variant])
        if (!seen.has(key)) keys.push([scenario.scenario, row.variant])
        seen.add(key)
      }
    }
  }
  return keys.map(([scenario, variant]) => compareRow(scenario, variant, find(base, scenario, variant), find(other, scenario, variant)))
}

function compareRow(scenario: string, variant: string, base?: VariantResult, other?: VariantResult): ComparisonRow {
  if (!base?.stats || !other?.stats || base.status !== 'ok' || other.status !== 'ok') return {scenario, variant, base, other, change: null, noise: null, verdict: 'unmatched'}
  const change = other.stats.median / base.stats.median - 1
  const noise = Math.max(base.stats.rme, other.stats.rme) / 100
  const verdict: Change = Math.abs(change) <= noise ? 'noise' : change < 0 ? 'faster' : 'slower'
  return {scenario, variant, base, other, change, noise, verdict}
}

function find(file: ResultsFile, scenario: string, variant: string): VariantResult | undefined {
  return file.scenarios.find((candidate) => candidate.scenario === scenario)?.rows.find((row) => row.variant === variant)
}
