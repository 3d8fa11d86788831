import {createHash} from 'node:crypto'

import {HoloError} from '../engine/errors.js'
import type {SizeDistribution} from './distribution.js'

/**
 * What a generated file imitates. `exe` is an ELF program in bin/, `script` a text entry point
 * with a shebang, `config` small text that names the prefix (pyvenv.cfg, .pth, conda-meta JSON,
 * pkg-config), `text` package metadata and docs (METADATA, RECORD, LICENSE, README).
 */
export const FILE_KINDS = ['py', 'pyc', 'so', 'exe', 'script', 'config', 'text', 'data'] as const
export type FileKind = (typeof FILE_KINDS)[number]

export interface KindDefinition {
  /** Share of the regular files (weights are normalised over all kinds). */
  weight: number
  size: SizeDistribution
  /** Relative chance, per file, that a file of this kind embeds the space path (0 = never). */
  relocationWeight: number
  /** Share of this kind's non-relocated files that are empty (an empty `__init__.py`). */
  emptyShare: number
}

export interface LayoutDefinition {
  /** Regular files per installed package, on average: sets how many packages there are. */
  filesPerPackage: number
  /** Deepest sub-package nesting inside a package (0 = flat packages). */
  maxDepth: number
  /** Most sub-packages directly inside one package. */
  fanout: number
}

export interface ScenarioDefinition {
  name: string
  description: string
  /** Regular files, exactly. */
  files: number
  /** Target share of regular files whose content holds the space identity. */
  relocationShare: number
  /** Symlinks, as a share of the regular files (they come on top of `files`). */
  symlinkShare: number
  /** Share of regular files with mode 0755. */
  executableShare: number
  layout: LayoutDefinition
  kinds: Record<FileKind, KindDefinition>
}

/**
 * Bumped whenever the generator's output for a given definition and seed changes, so cached
 * corpora and recorded digests never describe bytes the current code would not produce.
 */
export const GENERATOR_VERSION = 2

/** Identifies the bytes a definition generates: canonical JSON of the definition + generator version. */
export function definitionDigest(definition: ScenarioDefinition): string {
  return createHash('sha256')
    .update(canonicalJson({generator: GENERATOR_VERSION, definition}))
    .digest('hex')
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value)
}

export const SCENARIO_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i

/** Validation failures name the file and the field, e.g. `scenarios/x.json: kinds.py.size.median: …`. */
function fail(file: string, field: string, problem: string): never {
  throw new HoloError('EUSAGE', `${file}: ${field}: ${problem}`, {path: file, data: {field}})
}

type Json = Record<string, unknown>

function object(file: string, field: string, value: unknown, allowed: readonly string[]): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(file, field || '(top level)', 'must be an object')
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(file, field ? `${field}.${key}` : key, `unknown field (expected one of ${allowed.join(', ')})`)
  }
  return value as Json
}

function number(file: string, field: string, value: unknown, min: number, max: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(file, field, `must be a number (got ${JSON.stringify(value)})`)
  if (integer && !Number.isInteger(value)) fail(file, field, `must be an integer (got ${value})`)
  if (value < min || value > max) fail(file, field, `must be between ${min} and ${max} (got ${value})`)
  return value
}

function sizeOf(file: string, field: string, value: unknown): SizeDistribution {
  const o = object(file, field, value, ['median', 'sigma', 'min', 'max'])
  const size = {
    median: number(file, `${field}.median`, o.median, 1, 1e9),
    sigma: number(file, `${field}.sigma`, o.sigma, 0, 4),
    min: number(file, `${field}.min`, o.min, 0, 1e9, true),
    max: number(file, `${field}.max`, o.max, 1, 1e9, true),
  }
  if (size.min > size.max) fail(file, `${field}.min`, `must not exceed max (${size.min} > ${size.max})`)
  return size
}

function kindOf(file: string, field: string, value: unknown): KindDefinition {
  const o = object(file, field, value, ['weight', 'size', 'relocationWeight', 'emptyShare'])
  return {
    weight: number(file, `${field}.weight`, o.weight, 0, 1e6),
    size: sizeOf(file, `${field}.size`, o.size),
    relocationWeight: number(file, `${field}.relocationWeight`, o.relocationWeight ?? 0, 0, 1e6),
    emptyShare: number(file, `${field}.emptyShare`, o.emptyShare ?? 0, 0, 1),
  }
}

const TOP_FIELDS = ['$comment', 'name', 'description', 'files', 'relocationShare', 'symlinkShare', 'executableShare', 'layout', 'kinds']

/**
 * Check parsed JSON against the schema and return a complete definition. `file` is used in error
 * messages; `defaultName` (the file's stem) is the name when the JSON has none.
 */
export function parseDefinition(json: unknown, file: string, defaultName: string): ScenarioDefinition {
  const o = object(file, '', json, TOP_FIELDS)
  const name = o.name ?? defaultName
  if (typeof name !== 'string' || !SCENARIO_NAME.test(name)) fail(file, 'name', `must match ${SCENARIO_NAME} (got ${JSON.stringify(name)})`)
  if (name !== defaultName) fail(file, 'name', `must equal the file name "${defaultName}" (got "${name}")`)
  if (o.description !== undefined && typeof o.description !== 'string') fail(file, 'description', 'must be a string')
  const layout = object(file, 'layout', o.layout, ['filesPerPackage', 'maxDepth', 'fanout'])
  const kindsJson = object(file, 'kinds', o.kinds, FILE_KINDS)
  const kinds = {} as Record<FileKind, KindDefinition>
  for (const kind of FILE_KINDS) {
    kinds[kind] = kindsJson[kind] === undefined
      ? {weight: 0, size: {median: 1, sigma: 0, min: 1, max: 1}, relocationWeight: 0, emptyShare: 0}
      : kindOf(file, `kinds.${kind}`, kindsJson[kind])
  }
  if (FILE_KINDS.every((kind) => kinds[kind].weight === 0)) fail(file, 'kinds', 'at least one kind needs a positive weight')
  return {
    name,
    description: (o.description as string | undefined) ?? '',
    files: number(file, 'files', o.files, 1, 1_000_000, true),
    relocationShare: number(file, 'relocationShare', o.relocationShare, 0, 1),
    symlinkShare: number(file, 'symlinkShare', o.symlinkShare ?? 0, 0, 1),
    executableShare: number(file, 'executableShare', o.executableShare ?? 0, 0, 1),
    layout: {
      filesPerPackage: number(file, 'layout.filesPerPackage', layout.filesPerPackage, 1, 1e6),
      maxDepth: number(file, 'layout.maxDepth', layout.maxDepth, 0, 12, true),
      fanout: number(file, 'layout.fanout', layout.fanout, 0, 64, true),
    },
    kinds,
  }
}
