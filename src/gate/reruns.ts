/**
 * Power on demand. When the gate measures "current" itself, a verdict the data cannot support
 * yet is settled with more data rather than reported at once: measure again, pool the samples,
 * judge again, until every timing row is decided or the time budget runs out. Pooling shrinks
 * the intervals (roughly with the square root of the restores), and the pooled low quantiles
 * come from the calmest restores of all runs.
 *
 * A first-run fail is confirmed by one more run before it stands: a real regression persists
 * across runs, a burst of contention on a shared machine usually does not.
 */
import type {ResultsFile} from '../bench/results.js'
import {compareResults, type CompareOptions} from './compare.js'
import {poolResults} from './pool.js'
import type {GateReport} from './report.js'

export interface RerunOptions {
  /** At most this many runs after the first. */
  reruns: number
  /** Seconds of measuring after which no further run starts (the first always runs). */
  budgetSeconds: number
  /** Clock in seconds; injectable so the loop can be tested without timing anything. */
  now?: () => number
}

export interface GateRun {
  report: GateReport
  /** The pooled current results: what was judged. */
  current: ResultsFile
  runs: number
}

export async function gateWithReruns(baseline: ResultsFile, measure: () => Promise<ResultsFile>, options: CompareOptions & RerunOptions): Promise<GateRun> {
  const now = options.now ?? (() => performance.now() / 1000)
  const started = now()
  const measured: ResultsFile[] = []
  let longest = 0
  const measureOnce = async () => {
    const before = now()
    measured.push(await measure())
    longest = Math.max(longest, now() - before)
  }

  await measureOnce()
  let current = measured[0]
  let report = compareResults(baseline, current, options)
  let confirmed = false
  let exhausted = false
  while (needsMore(report, confirmed)) {
    if (measured.length > options.reruns) break
    // Start a run only when one as long as the longest so far still fits the budget.
    if (now() - started + longest > options.budgetSeconds) {
      exhausted = true
      break
    }
    confirmed ||= report.verdict === 'fail'
    await measureOnce()
    current = poolResults(measured)
    report = compareResults(baseline, current, options)
  }

  const seconds = now() - started
  if (measured.length > 1) {
    report.notes.push(`current was measured ${measured.length} times (${Math.round(seconds)} s) and judged on the pooled samples: the first run did not decide every timing row`)
  }
  if (report.verdict === 'inconclusive' && exhausted) {
    report.notes.push(`the ${options.budgetSeconds} s measuring budget ran out before every timing row was decided; a longer --time-budget or a quieter machine gives narrower intervals`)
  } else if (report.verdict === 'inconclusive' && measured.length > options.reruns) {
    report.notes.push(`--reruns ${options.reruns} were used up before every timing row was decided`)
  }
  report.currentRuns = measured.length
  report.measuring = {seconds, budgetSeconds: options.budgetSeconds, budgetExhausted: exhausted}
  return {report, current, runs: measured.length}
}

/**
 * Only timing rows can change with more data; deterministic figures are what they are. A fail
 * is measured once more (confirmed) before it stands; an inconclusive row until decided.
 */
function needsMore(report: GateReport, confirmed: boolean): boolean {
  const timing = report.rows.filter((row) => row.interval !== null)
  if (report.rows.some((row) => row.interval === null && row.verdict === 'fail')) return false // a deterministic figure failed
  if (!confirmed && timing.some((row) => row.verdict === 'fail')) return true
  // Once a timing row fails for good, more data cannot save the build.
  if (timing.some((row) => row.verdict === 'fail')) return false
  return timing.some((row) => row.verdict === 'inconclusive')
}
