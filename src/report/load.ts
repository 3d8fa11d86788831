/**
 * Read and check results.json files before rendering. Files come from other machines and other
 * holobench versions, so every field a report touches is checked and the first problem is
 * reported with the file name and a JSON path; rendering code can then trust the types.
 */
import {readFile} from 'node:fs/promises'
import {RCC_READERS, RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION, RUN_MODES, upgradeResults, VARIANT_STATUSES, type ResultsFile} from '../bench/results.js'
import {HoloError} from '../engine/errors.js'

export async function loadResults(path: string): Promise<ResultsFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new HoloError('EUSAGE', `cannot read results file ${path}: ${(error as Error).message}`, {path, cause: error})
  }
  return parseResults(text, path)
}

export function parseResults(text: string, name: string): ResultsFile {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw schemaError(name, `is not valid JSON (${(error as Error).message})`)
  }
  return validateResults(value, name)
}

export function validateResults(original: unknown, name: string): ResultsFile {
  // Version 1 files (in-process only) are read as version 2.
  const value = upgradeResults(original)
  const file = object(value, '', name)
  if (file.schema !== RESULTS_SCHEMA) {
    throw schemaError(name, `is not a holobench results file (schema ${JSON.stringify(file.schema)}, expected ${JSON.stringify(RESULTS_SCHEMA)})`)
  }
  if (file.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw schemaError(name, `has schemaVersion ${JSON.stringify(file.schemaVersion)}; this holobench reads version ${RESULTS_SCHEMA_VERSION}`)
  }
  const check = new Checker(name)
  check.fields(file, 'holobench', {version: 'string', commit: 'string?'})
  check.fields(file, 'environment', {
    date: 'string', node: 'string', platform: 'string', arch: 'string', kernel: 'string', cpuModel: 'string',
    cpuCount: 'number', memoryBytes: 'number', scratchDir: 'string', scratchFs: 'string', libraryFs: 'string', zstdBackends: 'string[]',
  })
  check.fields(file, 'settings', {argv: 'string[]', scenarios: 'string[]', variants: 'string[]', warmupRuns: 'number', minRuns: 'number', minTimeSeconds: 'number', jobs: 'number'})
  check.oneOf((file.settings as Record<string, unknown>).mode, RUN_MODES, 'settings.mode')
  check.array(file.scenarios, 'scenarios').forEach((scenarioValue, s) => {
    const at = `scenarios[${s}]`
    const scenario = check.object(scenarioValue, at)
    check.type(scenario.scenario, 'string', `${at}.scenario`)
    const source = check.object(scenario.source, `${at}.source`)
    if (source.kind === 'scenario') check.shape(source, `${at}.source`, {definitionDigest: 'string', seed: 'number'})
    else if (source.kind === 'tree') check.shape(source, `${at}.source`, {path: 'string'})
    else throw schemaError(name, `${at}.source.kind must be "scenario" or "tree"`)
    check.fields(scenario, 'tree', {files: 'number', dirs: 'number', symlinks: 'number', bytes: 'number', relocatedFiles: 'number'}, at)
    check.array(scenario.libraries, `${at}.libraries`).forEach((library, l) => {
      check.shape(check.object(library, `${at}.libraries[${l}]`), `${at}.libraries[${l}]`, {
        codec: 'string', level: 'number|undefined', zstdBackend: 'string|undefined', rawBytes: 'number', storedBytes: 'number', ratio: 'number', liftSeconds: 'number', catalogBytes: 'number',
      })
    })
    check.array(scenario.rows, `${at}.rows`).forEach((rowValue, r) => {
      const rowAt = `${at}.rows[${r}]`
      const row = check.object(rowValue, rowAt)
      check.shape(row, rowAt, {
        variant: 'string', codec: 'string?', verify: 'boolean', strategy: 'string', zstdBackend: 'string|undefined', reason: 'string|undefined', samples: 'number[]', outliers: 'number[]', level: 'number|undefined',
      })
      if (row.candidate !== undefined) {
        const candidate = check.object(row.candidate, `${rowAt}.candidate`)
        check.shape(candidate, `${rowAt}.candidate`, {family: 'string', summary: 'string', storedBytes: 'number', rawBytes: 'number', liftSeconds: 'number', caveat: 'string|undefined'})
        const rcc = check.object(candidate.rcc, `${rowAt}.candidate.rcc`)
        check.oneOf(rcc.reads, RCC_READERS, `${rowAt}.candidate.rcc.reads`)
        check.type(rcc.takes, 'string', `${rowAt}.candidate.rcc.takes`)
      }
      check.oneOf(row.status, VARIANT_STATUSES, `${rowAt}.status`)
      check.oneOf(row.kind, ['variant', 'floor', 'engine'], `${rowAt}.kind`)
      check.oneOf(row.mode, RUN_MODES, `${rowAt}.mode`)
      if (row.stats !== null || row.status === 'ok') {
        check.shape(check.object(row.stats, `${rowAt}.stats`), `${rowAt}.stats`, {
          runs: 'number', mean: 'number', median: 'number', p75: 'number', p99: 'number', min: 'number', max: 'number', sd: 'number', mad: 'number', rme: 'number', filesPerSecond: 'number', mbPerSecond: 'number',
        })
      }
      for (const key of ['ratioToGzip', 'ratioToFloor']) {
        if (row[key] !== null) check.shape(check.object(row[key], `${rowAt}.${key}`), `${rowAt}.${key}`, {value: 'number', low: 'number', high: 'number'})
      }
      if (row.runSizes !== undefined) {
        check.type(row.runSizes, 'number[]', `${rowAt}.runSizes`)
        const sizes = row.runSizes as number[]
        const total = sizes.reduce((sum, size) => sum + size, 0)
        if (!sizes.every((size) => Number.isInteger(size) && size > 0) || total !== (row.samples as number[]).length) {
          throw schemaError(name, `${rowAt}.runSizes must be positive whole numbers adding up to the ${(row.samples as number[]).length} samples (got ${JSON.stringify(sizes)})`)
        }
      }
      if (row.strategyCounts !== undefined) {
        for (const [key, count] of Object.entries(check.object(row.strategyCounts, `${rowAt}.strategyCounts`))) check.type(count, 'number', `${rowAt}.strategyCounts.${key}`)
      }
    })
  })
  return value as ResultsFile
}

type Kind = 'string' | 'number' | 'boolean' | 'string?' | 'string|undefined' | 'number|undefined' | 'string[]' | 'number[]'

/** Tiny path-aware checker: enough to trust the types, no schema library needed for one file format. */
class Checker {
  constructor(private readonly name: string) {}

  object(value: unknown, at: string): Record<string, unknown> {
    return object(value, at, this.name)
  }

  array(value: unknown, at: string): unknown[] {
    if (!Array.isArray(value)) throw schemaError(this.name, `${at} must be an array`)
    return value
  }

  fields(parent: Record<string, unknown>, key: string, shape: Record<string, Kind>, at = ''): void {
    const path = at ? `${at}.${key}` : key
    this.shape(this.object(parent[key], path), path, shape)
  }

  oneOf(value: unknown, allowed: readonly string[], at: string): void {
    if (!allowed.includes(value as string)) throw schemaError(this.name, `${at} must be one of ${allowed.join(', ')}`)
  }

  shape(value: Record<string, unknown>, at: string, shape: Record<string, Kind>): void {
    for (const [key, kind] of Object.entries(shape)) this.type(value[key], kind, `${at}.${key}`)
  }

  type(value: unknown, kind: Kind, at: string): void {
    const ok =
      kind === 'string?' ? value === null || typeof value === 'string'
      : kind === 'string|undefined' ? value === undefined || typeof value === 'string'
      : kind === 'number|undefined' ? value === undefined || (typeof value === 'number' && Number.isFinite(value))
      : kind === 'string[]' ? Array.isArray(value) && value.every((item) => typeof item === 'string')
      : kind === 'number[]' ? Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item))
      : kind === 'number' ? typeof value === 'number' && Number.isFinite(value)
      : typeof value === kind
    if (!ok) throw schemaError(this.name, `${at} must be ${describe(kind)}`)
  }
}

function describe(kind: Kind): string {
  if (kind === 'string?') return 'a string or null'
  if (kind === 'string|undefined') return 'a string or absent'
  if (kind === 'number|undefined') return 'a finite number or absent'
  if (kind.endsWith('[]')) return `an array of ${kind.slice(0, -2)}s`
  return kind === 'number' ? 'a finite number' : `a ${kind}`
}

function object(value: unknown, at: string, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw schemaError(name, `${at || 'the top level'} must be an object`)
  return value as Record<string, unknown>
}

function schemaError(name: string, problem: string): HoloError {
  return new HoloError('ESCHEMA', `${name}: ${problem}`, {path: name})
}
