/**
 * Pool several runs of the same benchmark settings into one results file: each row's samples
 * are concatenated in run order and its statistics recomputed, so the pooled file reads like
 * one longer run, except that `runSizes` keeps where each run's samples start. Used when the gate
 * measures again to settle an unclear verdict, and for baselines of several runs.
 */
import type {ResultsFile, VariantResult} from '../bench/results.js'
import {madOutliers, ratioOfMedians, summarize} from '../bench/stats.js'
import {HoloError} from '../engine/errors.js'

export function poolResults(runs: readonly ResultsFile[]): ResultsFile {
  if (runs.length === 0) throw new HoloError('EUSAGE', 'nothing to pool')
  const [first, ...rest] = runs
  const pooled: ResultsFile = structuredClone(first)
  for (const scenario of pooled.scenarios) {
    for (const row of scenario.rows) {
      // Run boundaries survive pooling, so the gate can see how much runs differ among themselves.
      row.runSizes = row.runSizes ?? [row.samples.length]
      for (const other of rest) {
        const match = other.scenarios.find((s) => s.scenario === scenario.scenario)?.rows.find((r) => r.variant === row.variant)
        if (row.status !== 'ok') continue
        if (!match || match.status !== 'ok') {
          // A variant that stopped working in a later run is no longer "ok" as a whole.
          Object.assign(row, {status: match?.status ?? 'failed', reason: match?.reason ?? 'missing from a pooled run', stats: null})
          continue
        }
        row.samples.push(...match.samples)
        row.runSizes.push(...(match.runSizes ?? [match.samples.length]))
        // CPU times stay only while every pooled run has them, so they keep matching samples.
        if (row.cpuSamples && match.cpuSamples) row.cpuSamples.push(...match.cpuSamples)
        else delete row.cpuSamples
      }
    }
    const gzip = ok(scenario.rows, 'gzip')
    const floor = ok(scenario.rows, 'floor')
    for (const row of scenario.rows) {
      if (row.status !== 'ok') {
        delete row.runSizes
        Object.assign(row, {stats: null, ratioToGzip: null, ratioToFloor: null, outliers: []})
        continue
      }
      row.stats = summarize(row.samples, scenario.tree)
      row.outliers = madOutliers(row.samples)
      row.ratioToGzip = gzip ? ratioOfMedians(row.samples, gzip.samples) : null
      row.ratioToFloor = floor ? ratioOfMedians(row.samples, floor.samples) : null
    }
  }
  return pooled
}

function ok(rows: VariantResult[], variant: string): VariantResult | undefined {
  return rows.find((row) => row.variant === variant && row.status === 'ok')
}
