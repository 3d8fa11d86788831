/**
 * Settings for measuring "current" when the gate runs the benchmark itself: everything that
 * shapes the workload comes from the baseline (scenarios, trees, seed, variants, run counts,
 * jobs), so the two runs are comparable; only where and how (scratch, progress) is local.
 */
import type {ResultsFile} from '../bench/results.js'
import type {RunOptions} from '../bench/runner.js'
import {HoloError} from '../engine/errors.js'

export type RunOverrides = Partial<Pick<RunOptions, 'variants' | 'scratch' | 'warmupRuns' | 'minRuns' | 'minTimeSeconds' | 'jobs' | 'seed' | 'injectSlowdown' | 'onProgress'>> & {
  argv: string[]
}

export function runOptionsFromBaseline(baseline: ResultsFile, overrides: RunOverrides): RunOptions {
  const {settings} = baseline
  const trees = settings.scenarios.filter((name) => name.startsWith('tree:')).map((name) => name.slice('tree:'.length))
  const scenarios = settings.scenarios.filter((name) => !name.startsWith('tree:'))
  const seeds = new Set(baseline.scenarios.flatMap((scenario) => (scenario.source.kind === 'scenario' ? [scenario.source.seed] : [])))
  if (seeds.size > 1 && overrides.seed === undefined) {
    throw new HoloError('ESCHEMA', `the baseline's scenarios used different seeds (${[...seeds].join(', ')}); one run cannot reproduce it`)
  }
  const definedOnly = <T>(value: T | undefined, fallback: T) => (value === undefined ? fallback : value)
  return {
    scenarios,
    ...(trees.length > 0 ? {trees} : {}),
    variants: overrides.variants?.length ? overrides.variants : settings.variants,
    ...(overrides.scratch === undefined ? {} : {scratch: overrides.scratch}),
    warmupRuns: definedOnly(overrides.warmupRuns, settings.warmupRuns),
    minRuns: definedOnly(overrides.minRuns, settings.minRuns),
    minTimeSeconds: definedOnly(overrides.minTimeSeconds, settings.minTimeSeconds),
    jobs: definedOnly(overrides.jobs, settings.jobs),
    seed: definedOnly(overrides.seed, seeds.values().next().value ?? 1),
    // Not a settings field: the exact flags the baseline ran with say whether RCC's excludes applied.
    ...(settings.rccExcludes || settings.argv.includes('--rcc-excludes') ? {rccExcludes: true} : {}),
    ...(settings.rounds === undefined ? {} : {rounds: settings.rounds}),
    // The baseline's timing mode and engines (version 1 files: in-process, none).
    mode: settings.mode ?? 'in-process',
    ...(settings.engines?.length ? {engines: settings.engines} : {}),
    argv: overrides.argv,
    ...(overrides.onProgress ? {onProgress: overrides.onProgress} : {}),
    ...(overrides.injectSlowdown ? {injectSlowdown: overrides.injectSlowdown} : {}),
  }
}
