/**
 * Two results files can only be gated against each other when they measured the same thing:
 * the same results schema, the same scenarios, generated from the same definitions and seeds.
 * Anything else is an input error (ESCHEMA), never a pass or a regression.
 */
import {RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION, upgradeResults, type ResultsFile, type ScenarioResult} from '../bench/results.js'
import {HoloError} from '../engine/errors.js'

const REFRESH = 'regenerate the baseline with `holobench gate --update-baseline`'

export function assertComparable(baseline: ResultsFile, current: ResultsFile): void {
  for (const [role, file] of [['baseline', baseline], ['current', current]] as const) {
    // Version 1 files (all in-process) are read as version 2.
    const {schema, schemaVersion} = upgradeResults(file) as {schema: unknown; schemaVersion: unknown}
    if (schema !== RESULTS_SCHEMA || schemaVersion !== RESULTS_SCHEMA_VERSION) {
      throw mismatch(
        `the ${role} results are ${JSON.stringify(schema)} v${JSON.stringify(schemaVersion)}; ` +
          `this holobench reads ${RESULTS_SCHEMA} v${RESULTS_SCHEMA_VERSION}: ${REFRESH}`,
      )
    }
  }

  // A fresh process per restore and a warmed-up engine are different workloads.
  const modeOf = (file: ResultsFile) => (upgradeResults(file) as ResultsFile).settings?.mode ?? 'in-process'
  if (modeOf(baseline) !== modeOf(current)) {
    throw mismatch(`the baseline was timed in ${modeOf(baseline)} mode, the current run in ${modeOf(current)} mode: gate runs of the same mode or ${REFRESH}`)
  }

  const names = (file: ResultsFile) => file.scenarios.map((scenario) => scenario.scenario)
  const missing = names(baseline).filter((name) => !names(current).includes(name))
  const extra = names(current).filter((name) => !names(baseline).includes(name))
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      missing.length > 0 ? `missing from current: ${missing.join(', ')}` : '',
      extra.length > 0 ? `not in baseline: ${extra.join(', ')}` : '',
    ].filter(Boolean)
    throw mismatch(`baseline and current ran different scenarios (${parts.join('; ')}); gate the same scenarios or ${REFRESH}`)
  }

  for (const base of baseline.scenarios) {
    const other = current.scenarios.find((scenario) => scenario.scenario === base.scenario)!
    const problem = sourceDifference(base, other)
    if (problem) throw mismatch(`scenario ${base.scenario}: ${problem}; the workloads differ, so timings cannot be compared: ${REFRESH}`)
  }
}

function sourceDifference(base: ScenarioResult, other: ScenarioResult): string | null {
  if (base.source.kind !== other.source.kind) return `baseline is a ${base.source.kind}, current a ${other.source.kind}`
  if (base.source.kind === 'scenario' && other.source.kind === 'scenario') {
    if (base.source.definitionDigest !== other.source.definitionDigest) {
      return `its definition changed (digest ${short(base.source.definitionDigest)} → ${short(other.source.definitionDigest)})`
    }
    if (base.source.seed !== other.source.seed) return `generated with seed ${base.source.seed} in the baseline, ${other.source.seed} now`
  }
  // Trees are matched by name only (their paths differ between machines); the exact file-count
  // and byte rows catch a tree whose content changed.
  return null
}

/** `sha256:0123456789abcdef…` → `sha256:01234567`: enough to tell two digests apart. */
function short(digest: string): string {
  const colon = digest.indexOf(':')
  return digest.slice(0, colon + 1 + 8)
}

function mismatch(message: string): HoloError {
  return new HoloError('ESCHEMA', message)
}
