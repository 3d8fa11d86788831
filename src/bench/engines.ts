import {accessSync, constants, readFileSync, statSync} from 'node:fs'
import {delimiter, isAbsolute, join, resolve} from 'node:path'

import {parse} from 'shell-quote'

import {HoloError} from '../engine/errors.js'
import type {EngineSpec} from './results.js'

/**
 * External restore engines, timed beside holobench's variants. A template is a command line,
 * split into words as a shell would (quotes, backslashes, $VAR from the environment) but run
 * without a shell; `{placeholder}`s are filled in inside each word, as hyperfine writes them.
 * Pipes, redirections and globs are refused: put those in a script.
 */
export const RESTORE_PLACEHOLDERS = ['catalog', 'library', 'target', 'codec', 'identity'] as const
export const LIFT_PLACEHOLDERS = ['tree', 'library', 'codec', 'identity'] as const

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/
const ENGINE_CODECS = ['gzip', 'zstd', 'none']

/** `NAME=COMMAND` from --engine. */
export function parseEngineFlag(value: string): EngineSpec {
  const [name, command] = splitAssignment(value, '--engine')
  return {name, restore: command}
}

/** `NAME=COMMAND` from --engine-lift: the lift command of the engine NAME. */
export function parseEngineLiftFlag(value: string): {name: string; lift: string} {
  const [name, lift] = splitAssignment(value, '--engine-lift')
  return {name, lift}
}

function splitAssignment(value: string, flag: string): [string, string] {
  const equals = value.indexOf('=')
  if (equals <= 0 || value.slice(equals + 1).trim() === '') throw new HoloError('EUSAGE', `${flag} ${JSON.stringify(value)}: expected NAME=COMMAND, e.g. 'my-rcc=rcc-restore {catalog} {target}'`)
  return [value.slice(0, equals).trim(), value.slice(equals + 1).trim()]
}

/**
 * An engine file: `{"engines": [{"name", "restore", "lift"?, "libraryOf"?, "codec"?, "verify"?,
 * "engineTime"?, "extraFiles"?, "rccExcludes"?, "gzipReference"?}]}` (or the bare array).
 * Errors (EUSAGE) name the file and the entry.
 */
export function loadEngineFile(path: string): EngineSpec[] {
  let value: unknown
  try {
    value = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new HoloError('EUSAGE', `engine file ${path}: ${(error as Error).message}`, {path})
  }

  const list = Array.isArray(value) ? value : (value as {engines?: unknown})?.engines
  if (!Array.isArray(list)) throw new HoloError('EUSAGE', `engine file ${path}: expected {"engines": [...]}`, {path})
  return list.map((entry, i) => engineFromJson(entry, `engine file ${path}: engines[${i}]`))
}

const FIELDS: Record<keyof EngineSpec, 'string' | 'boolean' | 'string[]'> = {
  name: 'string', restore: 'string', lift: 'string', libraryOf: 'string', codec: 'string', verify: 'boolean',
  engineTime: 'string', extraFiles: 'string[]', rccExcludes: 'boolean', gzipReference: 'string',
}

function engineFromJson(entry: unknown, at: string): EngineSpec {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new HoloError('EUSAGE', `${at} must be an object`)
  for (const [key, value] of Object.entries(entry)) {
    const kind = FIELDS[key as keyof EngineSpec]
    if (!kind) throw new HoloError('EUSAGE', `${at}: unknown field ${JSON.stringify(key)} (known: ${Object.keys(FIELDS).join(', ')})`)
    const ok = kind === 'string[]' ? Array.isArray(value) && value.every((item) => typeof item === 'string') : typeof value === kind
    if (!ok) throw new HoloError('EUSAGE', `${at}.${key} must be a ${kind === 'string[]' ? 'list of strings' : kind}`)
  }

  const spec = entry as EngineSpec
  if (spec.name === undefined || spec.restore === undefined) throw new HoloError('EUSAGE', `${at}: "name" and "restore" are required`)
  return spec
}

/** Merge --engine, --engine-lift and engine files into one list; a lift for an unknown engine is an error. */
export function collectEngines(fromFiles: EngineSpec[], fromFlags: EngineSpec[], lifts: Array<{name: string; lift: string}>): EngineSpec[] {
  const engines = [...fromFiles, ...fromFlags].map((engine) => ({...engine}))
  for (const {name, lift} of lifts) {
    const engine = engines.find((candidate) => candidate.name === name)
    if (!engine) throw new HoloError('EUSAGE', `--engine-lift ${name}: no --engine named ${name}`)
    engine.lift = lift
  }

  return engines
}

/**
 * Check every engine before any work (EUSAGE, exit 2, naming the engine): names unique and not a
 * variant's, templates parse with known placeholders and a {target}, executables exist,
 * libraryOf names an engine that lifts, engineTime is a regular expression with a group.
 */
export function validateEngines(engines: readonly EngineSpec[], variantNames: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const seen = new Set<string>()
  for (const engine of engines) {
    const what = `engine ${JSON.stringify(engine.name)}`
    if (!NAME.test(engine.name)) throw new HoloError('EUSAGE', `${what}: a name is letters, digits and . _ @ + - (at most 64)`)
    if (seen.has(engine.name) || variantNames.includes(engine.name)) throw new HoloError('EUSAGE', `${what}: the name is already used by ${seen.has(engine.name) ? 'another engine' : 'a variant'}`)
    seen.add(engine.name)
    const restore = templateWords(engine.restore, `${what} restore`, RESTORE_PLACEHOLDERS, env)
    if (!engine.restore.includes('{target}')) throw new HoloError('EUSAGE', `${what}: the restore command must name {target}, where it restores to`)
    requireExecutable(restore[0], `${what} restore`, env)
    if (engine.lift !== undefined) requireExecutable(templateWords(engine.lift, `${what} lift`, LIFT_PLACEHOLDERS, env)[0], `${what} lift`, env)
    if (engine.codec !== undefined && !ENGINE_CODECS.includes(engine.codec)) throw new HoloError('EUSAGE', `${what}: codec ${JSON.stringify(engine.codec)} is not one of ${ENGINE_CODECS.join(', ')}`)
    if (engine.libraryOf !== undefined) {
      if (engine.lift !== undefined) throw new HoloError('EUSAGE', `${what}: give either a lift command or libraryOf, not both`)
      const owner = engines.find((candidate) => candidate.name === engine.libraryOf)
      if (!owner?.lift) throw new HoloError('EUSAGE', `${what}: libraryOf ${JSON.stringify(engine.libraryOf)} must name an engine with a lift command`)
    }
    if (engine.engineTime !== undefined) {
      let pattern: RegExp
      try {
        pattern = new RegExp(engine.engineTime)
      } catch (error) {
        throw new HoloError('EUSAGE', `${what}: engineTime is not a regular expression: ${(error as Error).message}`)
      }
      if (new RegExp(`${pattern.source}|`).exec('')!.length < 2) throw new HoloError('EUSAGE', `${what}: engineTime needs a group around the seconds, e.g. "took ([0-9.]+)s"`)
    }
    for (const extra of engine.extraFiles ?? []) {
      if (extra === '' || extra.includes('/') || extra === '.' || extra === '..') throw new HoloError('EUSAGE', `${what}: extraFiles names files at the top of the tree, not ${JSON.stringify(extra)}`)
    }
  }

  for (const engine of engines) {
    if (engine.gzipReference !== undefined && !seen.has(engine.gzipReference) && !variantNames.includes(engine.gzipReference)) {
      throw new HoloError('EUSAGE', `engine ${JSON.stringify(engine.name)}: gzipReference ${JSON.stringify(engine.gzipReference)} is not a variant or engine of this run`)
    }
  }
}

/** The words of a template, placeholders unfilled; EUSAGE on shell syntax, unknown placeholders or unset variables. */
function templateWords(template: string, what: string, allowed: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const unset: string[] = []
  const words = parse(template, (key) => {
    if (env[key] === undefined) unset.push(key)
    return env[key] ?? ''
  })
  if (unset.length > 0) throw new HoloError('EUSAGE', `${what}: $${unset[0]} is not set`)
  const strings = words.map((word) => {
    if (typeof word === 'string') return word
    const shown = 'op' in word ? (word.op === 'glob' ? (word as {pattern: string}).pattern : word.op) : 'a comment'
    throw new HoloError('EUSAGE', `${what}: ${JSON.stringify(shown)} needs a shell; quote it, or put the command in a script`)
  })
  if (strings.length === 0) throw new HoloError('EUSAGE', `${what}: the command is empty`)
  for (const word of strings) {
    for (const [, name] of word.matchAll(/\{([^{}]*)\}/g)) {
      if (!allowed.includes(name)) throw new HoloError('EUSAGE', `${what}: unknown placeholder {${name}} (use ${allowed.map((p) => `{${p}}`).join(' ')})`)
    }
  }

  return strings
}

/** The command as argv, placeholders filled in. Call validateEngines first. */
export function engineArgv(template: string, values: Record<string, string>, env: NodeJS.ProcessEnv = process.env): string[] {
  const words = parse(template, (key) => env[key] ?? '') as string[]
  return words.map((word) => word.replaceAll(/\{([a-z]+)\}/g, (whole, name: string) => values[name] ?? whole))
}

function requireExecutable(command: string, what: string, env: NodeJS.ProcessEnv): void {
  if (!resolveExecutable(command, env)) {
    throw new HoloError('EUSAGE', `${what}: ${JSON.stringify(command)} is not an executable file${command.includes('/') ? '' : ' on PATH'}`)
  }
}

/** The executable a command word runs: a path (with a slash), or the first match on PATH; null when none. */
export function resolveExecutable(command: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = command.includes('/') ? [resolve(command)] : (env.PATH ?? '').split(delimiter).filter((dir) => isAbsolute(dir)).map((dir) => join(dir, command))
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK)
        return candidate
      }
    } catch {
      // Not here.
    }
  }

  return null
}
