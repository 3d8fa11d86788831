/**
 * When the gate measures "current" itself, an unclear or alarming first verdict is settled with
 * more data rather than reported at once: measure again, pool the samples, judge again. A real
 * regression persists across runs; a burst of contention on a shared machine usually does not,
 * and pooled low quantiles come from the calmest restores of all runs.
 */
import type {ResultsFile} from '../bench/results.js'
import {compareResults, type CompareOptions} from './compare.js'
import {poolResults} from './pool.js'
import type {GateReport} from './report.js'

export interface GateRun {
  report: GateReport
  /** The pooled current results: what was judged. */
  current: ResultsFile
  runs: number
}

export async function gateWithReruns(
  baseline: ResultsFile,
  measure: () => Promise<ResultsFile>,
  options: CompareOptions & {reruns: number},
): Promise<GateRun> {
  const measured = [await measure()]
  let current = measured[0]
  let report = compareResults(baseline, current, options)
  while (unsettled(report) && measured.length <= options.reruns) {
    measured.push(await measure())
    current = poolResults(measured)
    report = compareResults(baseline, current, options)
  }
  if (measured.length > 1) {
    report.notes.push(`the first run was not a clear pass, so current was measured ${measured.length} times and judged on the pooled samples`)
  }
  report.currentRuns = measured.length
  return {report, current, runs: measured.length}
}

/** Only timing rows can change with more data; deterministic figures are what they are. */
function unsettled(report: GateReport): boolean {
  return report.rows.some((row) => row.interval !== null && (row.verdict === 'fail' || row.verdict === 'warn'))
}
