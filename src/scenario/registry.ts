import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {join, relative, resolve} from 'node:path'

import {HoloError, isHoloError} from '../engine/errors.js'
import {SCENARIO_NAME, type ScenarioDefinition, parseDefinition} from './definition.js'
import {BUILTIN_SCENARIOS_DIR} from './paths.js'

export interface ScenarioLookupOptions {
  /**
   * Directories to search, first match wins. Default: `./scenarios` of the working directory
   * (a user's own definitions, which may shadow built-ins), then holobench's `scenarios/`.
   */
  dirs?: string[]
}

export interface ScenarioInfo {
  name: string
  file: string
  description?: string
  files?: number
  /** Set when the file does not load; the other fields are then absent. */
  error?: string
}

export function scenarioDirs(options: ScenarioLookupOptions = {}): string[] {
  const dirs = options.dirs ?? [join(process.cwd(), 'scenarios'), BUILTIN_SCENARIOS_DIR]
  return [...new Set(dirs.map((dir) => resolve(dir)))]
}

/** Load and validate `scenarios/<name>.json`. Unknown names and bad files are EUSAGE errors. */
export function loadScenario(name: string, options: ScenarioLookupOptions = {}): ScenarioDefinition {
  if (!SCENARIO_NAME.test(name)) throw new HoloError('EUSAGE', `Invalid scenario name "${name}": use letters, digits, ".", "_" and "-"`)
  const dirs = scenarioDirs(options)
  const file = dirs.map((dir) => join(dir, `${name}.json`)).find((path) => existsSync(path))
  if (!file) {
    const available = listScenarios(options).map((s) => s.name)
    throw new HoloError('EUSAGE', `Unknown scenario "${name}". Available: ${available.join(', ') || 'none'} (looked in ${dirs.map(display).join(', ')})`, {data: {available}})
  }
  return readDefinition(file, name)
}

/** Every definition visible from `dirs`, by name; broken files are listed with their error. */
export function listScenarios(options: ScenarioLookupOptions = {}): ScenarioInfo[] {
  const found = new Map<string, ScenarioInfo>()
  for (const dir of scenarioDirs(options)) {
    if (!existsSync(dir)) continue
    for (const entry of readdirSync(dir).sort()) {
      const name = entry.slice(0, -'.json'.length)
      if (!entry.endsWith('.json') || found.has(name) || !SCENARIO_NAME.test(name)) continue
      const file = join(dir, entry)
      try {
        const definition = readDefinition(file, name)
        found.set(name, {name, file, description: definition.description, files: definition.files})
      } catch (error) {
        if (!isHoloError(error)) throw error
        found.set(name, {name, file, error: error.message})
      }
    }
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function readDefinition(file: string, name: string): ScenarioDefinition {
  const shown = display(file)
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new HoloError('EUSAGE', `${shown}: not valid JSON: ${(error as Error).message}`, {path: file, cause: error})
  }
  try {
    return parseDefinition(json, shown, name)
  } catch (error) {
    if (isHoloError(error)) throw new HoloError(error.code, error.message, {path: file, data: error.data})
    throw error
  }
}

/** A path as the user would type it: relative to the working directory when below it. */
function display(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel && !rel.startsWith('..') ? rel : path
}
