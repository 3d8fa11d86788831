import {createHash} from 'node:crypto'
import {createReadStream, promises as fsp} from 'node:fs'
import type {Stats} from 'node:fs'
import {join} from 'node:path'

import pMap from 'p-map'

import {RCC_EXCLUDED_NAMES} from '../engine/lift.js'
import type {TreeCheck} from './results.js'

export interface TreeCheckOptions {
  /** The tree that was lifted (the corpus). */
  source: string
  /** Where a restore wrote it. */
  target: string
  /** The name relocations hold in the source (its identity) and the one a restore must write there: same length. */
  identity: string
  targetName: string
  /** The source as RCC lifts it: without __pycache__, *.pyc, .git, … */
  rccExcludes?: boolean
  /** Top-level files the restorer adds (RCC's identity.yaml): ignored when present. */
  extraFiles?: readonly string[]
}

interface Entry {
  kind: 'file' | 'dir' | 'symlink' | 'other'
  mode: number
  size: number
  link?: string
}

const SHOWN = 10
const WHOLE_FILE = 1024 * 1024

/**
 * Compare a restored tree with the tree it must equal, independently of any restorer: the same
 * directories, files and symlinks; file content equal to the source's with every occurrence of
 * the identity replaced by the target's name (relocations rewritten); file permission bits
 * equal; symlink targets equal as written (RCC restores them raw). Directory modes are not
 * compared: RCC creates every directory 0750 (htfs/library.go). Memory stays bounded: files
 * larger than 1 MiB are streamed through hashes, 8 files at a time.
 */
export async function checkRestoredTree(options: TreeCheckOptions): Promise<TreeCheck> {
  if (Buffer.byteLength(options.identity) !== Buffer.byteLength(options.targetName)) throw new RangeError('identity and target name must have the same length')
  const [expected, actual] = await Promise.all([listTree(options.source, options.rccExcludes === true), listTree(options.target, false)])
  const problems: string[] = []
  const problem = (text: string) => problems.push(text)
  const check: TreeCheck = {ok: true, files: 0, dirs: 0, symlinks: 0, problems: [], problemCount: 0}
  const contentChecks: string[] = []
  for (const [path, want] of expected) {
    const got = actual.get(path)
    if (!got) {
      problem(`missing ${want.kind} ${path}`)
      continue
    }

    if (got.kind !== want.kind) {
      problem(`${path} is a ${got.kind}, expected a ${want.kind}`)
      continue
    }

    if (want.kind === 'dir') check.dirs++
    else if (want.kind === 'symlink') {
      check.symlinks++
      if (got.link !== want.link) problem(`symlink ${path} points to ${JSON.stringify(got.link)}, expected ${JSON.stringify(want.link)}`)
    } else if (want.kind === 'file') {
      check.files++
      if ((got.mode & 0o777) !== (want.mode & 0o777)) problem(`${path} has mode ${octal(got.mode)}, expected ${octal(want.mode)}`)
      if (got.size !== want.size) problem(`${path} has ${got.size} bytes, expected ${want.size}`)
      else contentChecks.push(path)
    }
  }

  const extras = new Set(options.extraFiles ?? [])
  for (const [path, got] of actual) {
    if (!expected.has(path) && !extras.has(path)) problem(`unexpected ${got.kind} ${path}`)
  }

  const identity = Buffer.from(options.identity)
  const name = Buffer.from(options.targetName)
  const contents = await pMap(contentChecks, (path) => compareContent(join(options.source, path), join(options.target, path), identity, name), {concurrency: 8})
  for (const [i, outcome] of contents.entries()) {
    if (outcome === 'unrewritten') problem(`${contentChecks[i]}: a relocation is not rewritten (still holds ${options.identity})`)
    else if (outcome === 'differs') problem(`${contentChecks[i]}: content differs`)
  }

  check.problemCount = problems.length
  check.problems = problems.slice(0, SHOWN)
  check.ok = problems.length === 0
  return check
}

/** One line for a table cell: the count and the first problem. */
export function describeCheck(check: TreeCheck): string {
  if (check.ok) return 'tree matches'
  return `restored a wrong tree: ${check.problemCount} problem${check.problemCount === 1 ? '' : 's'}, first: ${check.problems[0]}`
}

async function listTree(root: string, rccExcludes: boolean): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>()
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const name of (await fsp.readdir(dir)).sort()) {
      if (rccExcludes && excludedByRcc(name)) continue
      const path = prefix ? `${prefix}/${name}` : name
      const stat = await fsp.lstat(join(dir, name))
      const entry: Entry = {kind: kindOf(stat), mode: stat.mode, size: stat.size}
      if (entry.kind === 'symlink') entry.link = await fsp.readlink(join(dir, name))
      entries.set(path, entry)
      if (entry.kind === 'dir') await walk(join(dir, name), path)
    }
  }

  await walk(root, '')
  return entries
}

function kindOf(stat: Stats): Entry['kind'] {
  if (stat.isSymbolicLink()) return 'symlink'
  if (stat.isDirectory()) return 'dir'
  return stat.isFile() ? 'file' : 'other'
}

/** htfs/directory.go: the names RCC never lifts, and names ending in one of them (*.pyc). */
function excludedByRcc(name: string): boolean {
  const dot = name.lastIndexOf('.')
  return RCC_EXCLUDED_NAMES.has(name) || (dot > 0 && RCC_EXCLUDED_NAMES.has(name.slice(dot)))
}

type Outcome = 'same' | 'unrewritten' | 'differs'

async function compareContent(source: string, restored: string, identity: Buffer, name: Buffer): Promise<Outcome> {
  const size = (await fsp.stat(source)).size
  if (size <= WHOLE_FILE) {
    const [raw, got] = await Promise.all([fsp.readFile(source), fsp.readFile(restored)])
    if (replaceAll(raw, identity, name).equals(got)) return 'same'
    return raw.includes(identity) && got.includes(identity) ? 'unrewritten' : 'differs'
  }

  const [want, raw, got] = await Promise.all([digest(source, identity, name), digest(source), digest(restored)])
  if (want === got) return 'same'
  return want !== raw && raw === got ? 'unrewritten' : 'differs'
}

function replaceAll(data: Buffer, from: Buffer, to: Buffer): Buffer {
  return replaceAllFrom(data, from, to).data
}

/** Every non-overlapping `from` replaced by `to` (same length), and where the last replacement ends (0: none). */
function replaceAllFrom(data: Buffer, from: Buffer, to: Buffer): {data: Buffer; end: number} {
  let at = data.indexOf(from)
  if (at < 0) return {data, end: 0}
  const out = Buffer.from(data)
  let end = 0
  while (at >= 0) {
    to.copy(out, at)
    end = at + from.length
    at = data.indexOf(from, end)
  }

  return {data: out, end}
}

/** SHA-256 of a file, streamed; with `from`/`to`, of its content with every `from` replaced (same length). */
async function digest(path: string, from?: Buffer, to?: Buffer): Promise<string> {
  const hash = createHash('sha256')
  let carry: Buffer = Buffer.alloc(0)
  for await (const chunk of createReadStream(path, {highWaterMark: 1024 * 1024})) {
    if (!from || !to) {
      hash.update(chunk as Buffer)
      continue
    }

    const {data, end} = replaceAllFrom(Buffer.concat([carry, chunk as Buffer]), from, to)
    // Keep the tail that could start an occurrence split across chunks, never replaced bytes.
    const cut = Math.max(0, end, data.length - (from.length - 1))
    hash.update(data.subarray(0, cut))
    carry = data.subarray(cut)
  }

  hash.update(carry)
  return hash.digest('hex')
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, '0')
}
