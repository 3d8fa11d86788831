/**
 * The seed's expected speed-ups over gzip, and whether a run supports them. A claim is `held`
 * only when the whole 95% interval of the measured speed-up reaches the claimed factor: a point
 * estimate above the line with an interval straddling it is not evidence.
 */
import type {ScenarioResult} from '../bench/results.js'
import {formatFactor, sig3, speedupOf} from './format.js'

export interface Claim {
  variant: string // the results row the claim is about
  title: string
  atLeast: number // speed-up over gzip the claim promises
  upTo?: number // upper end of a claimed range, for context only
}

export const CLAIMS: readonly Claim[] = [
  {variant: 'zstd', title: 'zstd', atLeast: 3},
  {variant: 'zstd-noverify', title: 'zstd + skip-verify', atLeast: 4},
  {variant: 'none-reflink', title: 'uncompressed + reflink', atLeast: 10, upTo: 60},
]

export type Verdict = 'held' | 'not-held' | 'not-measured'

export interface ClaimOutcome {
  claim: Claim
  scenario: string
  verdict: Verdict
  /** Measured speed-up over gzip (gzip time / variant time) with its 95% interval. */
  speedup: {value: number; low: number; high: number} | null
  /** Set when not held although the interval reaches the claim: more runs could decide it. */
  inconclusive: boolean
  note: string
}

export function claimText(claim: Claim): string {
  return claim.upTo === undefined ? `${claim.atLeast}×` : `${claim.atLeast}–${claim.upTo}×`
}

export function evaluateClaim(claim: Claim, scenario: ScenarioResult): ClaimOutcome {
  const base = {claim, scenario: scenario.scenario, speedup: null, inconclusive: false}
  const row = scenario.rows.find((candidate) => candidate.variant === claim.variant)
  if (!row) return {...base, verdict: 'not-measured', note: `${claim.variant} was not run`}
  if (row.status !== 'ok') return {...base, verdict: 'not-measured', note: row.reason ? `${row.status}: ${row.reason}` : row.status}
  if (!row.ratioToGzip) return {...base, verdict: 'not-measured', note: 'no gzip row to compare with'}

  const speedup = speedupOf(row.ratioToGzip)
  const range = `${sig3(speedup.low)}–${sig3(speedup.high)}×`
  if (speedup.low >= claim.atLeast) {
    const above = claim.upTo !== undefined && speedup.low > claim.upTo
    return {...base, speedup, verdict: 'held', note: above ? `above the claimed range (95% interval ${range})` : `95% interval ${range} reaches ${claimText(claim)}`}
  }
  if (speedup.high >= claim.atLeast) {
    return {...base, speedup, verdict: 'not-held', inconclusive: true, note: `inconclusive: 95% interval ${range} straddles ${formatFactor(claim.atLeast)}`}
  }
  return {...base, speedup, verdict: 'not-held', note: `95% interval ${range} is below ${formatFactor(claim.atLeast)}`}
}

/**
 * The seed's zstd claims for external engines too: an engine row with a zstd library and a
 * gzipReference (its own gzip counterpart, e.g. RCC's fork against RCC main) is judged against
 * it, 3× when it verifies, 4× when it does not.
 */
export function engineClaims(scenario: ScenarioResult): Claim[] {
  return scenario.rows
    .filter((row) => row.kind === 'engine' && row.codec === 'zstd' && row.gzipReference)
    .map((row) => ({variant: row.variant, title: `${row.variant} (zstd${row.verify ? '' : ' + skip-verify'}) vs ${row.gzipReference}`, atLeast: row.verify ? 3 : 4}))
}

/** Every claim against every scenario of a run, claim-major. */
export function evaluateClaims(scenarios: readonly ScenarioResult[]): ClaimOutcome[] {
  return CLAIMS.flatMap((claim) => scenarios.map((scenario) => evaluateClaim(claim, scenario)))
}

/** Neutral words: the proposal's expectations are context for the measured answer, not a test it fails. */
export const VERDICT_TEXT: Record<Verdict, string> = {
  held: 'reached',
  'not-held': 'not reached',
  'not-measured': 'not measured',
}

/** "zstd: expected 3×, measured 1.32× (1.21–1.47), not reached" — one line per claim and scenario. */
export function expectationText(outcome: ClaimOutcome): string {
  const measured = outcome.speedup ? `measured ${sig3(outcome.speedup.value)}× (${sig3(outcome.speedup.low)}–${sig3(outcome.speedup.high)})` : `not measured (${outcome.note})`
  const verdict = outcome.verdict === 'not-measured' ? '' : `, ${outcome.inconclusive ? 'undecided' : VERDICT_TEXT[outcome.verdict]}`
  return `${outcome.claim.title}: expected ${claimText(outcome.claim)}, ${measured}${verdict}`
}
