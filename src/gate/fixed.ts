/**
 * Deterministic figures: the same scenario gives the same tree anywhere, so file counts and raw
 * bytes must match exactly. Stored bytes and compression ratios get a small tolerance because
 * compressed output may differ between codec library versions (zlib, zstd builds).
 */
import type {FixedMetric, Verdict} from './report.js'

export interface FixedJudgement {
  change: number
  verdict: Verdict
}

export function judgeFixed(metric: FixedMetric, baseline: number, current: number, tolerance: number): FixedJudgement {
  const change = baseline === 0 ? (current === 0 ? 0 : Number.POSITIVE_INFINITY) : current / baseline - 1
  if (metric === 'files' || metric === 'rawBytes') return {change, verdict: current === baseline ? 'pass' : 'fail'}
  // Bigger stored bytes is worse; a lower compression ratio is worse.
  const worse = metric === 'storedBytes' ? change : -change
  if (worse > tolerance) return {change, verdict: 'fail'}
  if (worse < -tolerance) return {change, verdict: 'improved'}
  return {change, verdict: 'pass'}
}
