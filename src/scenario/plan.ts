import {HoloError} from '../engine/errors.js'
import {FILE_KINDS, type FileKind, type ScenarioDefinition, definitionDigest} from './definition.js'
import {allocateByRate, apportion, sampleSize} from './distribution.js'
import {spaceIdentity} from './identity.js'
import {planLinks} from './links.js'
import {placeFiles} from './placement.js'
import {Rng} from './prng.js'
import type {PlannedFile, PlannedLink, Role, TreePlan} from './types.js'

export type {PlannedFile, PlannedLink, PlannedPackage, Role, TreePlan} from './types.js'

/** Roles whose real-world counterparts never name the prefix (templates, licences, tables). */
const NEVER_RELOCATED: ReadonlySet<Role> = new Set<Role>(['WHEEL', 'INSTALLER', 'top_level', 'LICENSE', 'entry_points', 'REQUESTED', 'METADATA', 'csv', 'txt', 'dat'])

/** Relocated files are at least this big, so the path always fits whole. */
const MIN_RELOCATED_SIZE: Record<FileKind, number> = {py: 600, pyc: 600, so: 16_384, exe: 16_384, script: 200, config: 200, text: 400, data: 400}

/** Executable bits go to these roles first, as in a real prefix. */
const EXECUTABLE_ORDER: readonly Role[] = ['program', 'entrypoint', 'sharedlib', 'extension', 'module']

/** Exact number of regular files of each kind. Seed-independent. */
export function kindCounts(definition: ScenarioDefinition): Record<FileKind, number> {
  const parts = apportion(definition.files, FILE_KINDS.map((kind) => definition.kinds[kind].weight))
  return Object.fromEntries(FILE_KINDS.map((kind, i) => [kind, parts[i]])) as Record<FileKind, number>
}

/** Decide every path, kind, size, mode, relocation and link of a tree; no I/O. */
export function planTree(definition: ScenarioDefinition, seed: number): TreePlan {
  const digest = definitionDigest(definition)
  const rng = new Rng(`holobench:${digest}:${seed}`)
  const counts = kindCounts(definition)
  const files = placeFiles(rng.fork('place'), definition, counts)
  chooseRelocated(rng.fork('relocate'), definition, files)
  chooseExecutables(definition, files)
  chooseSizes(rng.fork('size'), definition, files)
  const links = planLinks(definition, files)
  return {definition, definitionDigest: digest, seed, identity: spaceIdentity(digest, seed), files, links, dirs: parentDirs(files, links)}
}

/** Exactly round(share × files) relocated files, spread over kinds by relocationWeight. */
function chooseRelocated(rng: Rng, definition: ScenarioDefinition, files: PlannedFile[]): void {
  const target = Math.round(definition.relocationShare * definition.files)
  const candidates = FILE_KINDS.map((kind) => files.filter((f) => f.kind === kind && !NEVER_RELOCATED.has(f.role)))
  let quotas: number[]
  try {
    quotas = allocateByRate(target, FILE_KINDS.map((kind) => definition.kinds[kind].relocationWeight), candidates.map((c) => c.length))
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    const room = FILE_KINDS.filter((kind) => definition.kinds[kind].relocationWeight > 0)
      .map((kind) => `${kind}: ${candidates[FILE_KINDS.indexOf(kind)].length}`)
      .join(', ')
    throw new HoloError('EUSAGE', `scenario ${definition.name}: relocationShare ${definition.relocationShare} needs ${target} relocated files, but only files of kinds with a positive relocationWeight can hold the path (${room || 'none'})`, {data: {field: 'relocationShare'}})
  }
  candidates.forEach((list, i) => {
    for (const file of rng.shuffle([...list]).slice(0, quotas[i])) file.relocated = true
  })
}

/** Exactly round(share × files) files get 0755, programs and entry points first. */
function chooseExecutables(definition: ScenarioDefinition, files: PlannedFile[]): void {
  let left = Math.round(definition.executableShare * definition.files)
  for (const role of EXECUTABLE_ORDER) {
    for (const file of files) {
      if (left === 0) return
      if (file.role === role) {
        file.mode = 0o755
        left--
      }
    }
  }
}

/** Sizes from each kind's distribution; relocated files big enough for the path; some empties. */
function chooseSizes(rng: Rng, definition: ScenarioDefinition, files: PlannedFile[]): void {
  for (const file of files) {
    const size = sampleSize(rng, definition.kinds[file.kind].size)
    file.size = file.relocated ? Math.max(size, MIN_RELOCATED_SIZE[file.kind]) : Math.max(size, 1)
  }
  for (const kind of FILE_KINDS) {
    const plain = files.filter((f) => f.kind === kind && !f.relocated)
    const empties = Math.round(definition.kinds[kind].emptyShare * plain.length)
    // Empty files are mostly __init__.py in real environments.
    const order = rng.shuffle([...plain]).sort((a, b) => Number(b.role === 'init') - Number(a.role === 'init'))
    for (const file of order.slice(0, empties)) file.size = 0
  }
}

/** Every directory holding a file or link, parents first (sorted). */
export function parentDirs(files: PlannedFile[], links: PlannedLink[]): string[] {
  const dirs = new Set<string>()
  for (const {path} of [...files, ...links]) {
    for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) dirs.add(path.slice(0, i))
  }
  return [...dirs].sort()
}
