import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import pMap from 'p-map'

import {HoloError} from '../engine/errors.js'
import type {ProgressCallback} from '../engine/types.js'
import {renderFile} from './content/index.js'
import {FILE_KINDS, type FileKind, type ScenarioDefinition} from './definition.js'
import {spacePath} from './identity.js'
import {type TreePlan, planTree} from './plan.js'
import {Rng} from './prng.js'
import {findIdentity, relocationProblem} from './relocations.js'
import {TreeDigest} from './tree-digest.js'
import {type UpgradeFacts, planUpgrade} from './upgrade.js'

export interface GenerateOptions {
  definition: ScenarioDefinition
  seed: number
  /** The tree is written to `<outDir>/<identity>`, which must not exist yet. */
  outDir: string
  onProgress?: ProgressCallback
  /** Files being written at once (default 16): rendering is CPU work, writes overlap it. */
  concurrency?: number
  /** Write the same space after this percent of its packages were upgraded (upgrade.ts) instead. */
  upgradePercent?: number
}

export interface KindStats {
  files: number
  bytes: number
  relocatedFiles: number
}

/** What was generated. The counting fields match the results schema's TreeFacts. */
export interface GeneratedTree {
  scenario: string
  definitionDigest: string
  seed: number
  /** Absolute path of the tree: `<outDir>/<identity>`. */
  root: string
  /** The space name (24 characters), also the tree's directory name. */
  identity: string
  /** The absolute path relocated files embed (same on every machine). */
  relocationPath: string
  files: number // regular files
  dirs: number // directories below the root (a symlinked directory counts as a symlink)
  symlinks: number
  bytes: number // raw bytes of regular files
  relocatedFiles: number // files holding the identity at least once
  relocations: number // identity occurrences in all files
  executables: number // files with mode 0755
  emptyFiles: number
  byKind: Record<FileKind, KindStats>
  /** sha256 over every path, mode, content and link target (see TreeDigest). */
  treeDigest: string
  /** Set when the tree is an upgrade of the scenario's (same identity, other bytes). */
  upgrade?: UpgradeFacts
}

/** Generate a scenario's tree on disk. Deterministic: same definition and seed, same bytes. */
export async function generateTree(options: GenerateOptions): Promise<GeneratedTree> {
  const base = planTree(options.definition, options.seed)
  const upgrade = options.upgradePercent === undefined ? undefined : planUpgrade(base, options.upgradePercent)
  const plan = upgrade?.plan ?? base
  const root = join(options.outDir, plan.identity)
  await fsp.mkdir(options.outDir, {recursive: true})
  try {
    await fsp.mkdir(root)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new HoloError('EUSAGE', `${root} already exists: remove it or choose another output directory`, {path: root})
    throw error
  }

  try {
    const tree = await writeTree(plan, root, options)
    return upgrade ? {...tree, upgrade: upgrade.facts} : tree
  } catch (error) {
    // The directory is ours and half-written: leave nothing that looks like a tree behind.
    await fsp.rm(root, {recursive: true, force: true})
    throw error
  }
}

async function writeTree(plan: TreePlan, root: string, options: GenerateOptions): Promise<GeneratedTree> {
  const prefix = spacePath(plan.identity)
  const digest = new TreeDigest()
  const byKind = Object.fromEntries(FILE_KINDS.map((kind) => [kind, {files: 0, bytes: 0, relocatedFiles: 0}])) as Record<FileKind, KindStats>
  const stats = {bytes: 0, relocations: 0, executables: 0, emptyFiles: 0}
  const umask = process.umask()
  const total = plan.files.length + plan.links.length
  let done = 0
  const report = (): void => {
    if (options.onProgress && (++done % 64 === 0 || done === total)) options.onProgress({phase: 'generate', done, total, bytes: stats.bytes})
  }

  for (const dir of plan.dirs) {
    await fsp.mkdir(join(root, dir), {mode: 0o755})
    if (umask & 0o755) await fsp.chmod(join(root, dir), 0o755)
    digest.dir(dir)
  }

  const base = new Rng(`holobench:${plan.definitionDigest}:${plan.seed}`)
  await pMap(
    plan.files,
    async (file) => {
      const content = renderFile({file, rng: base.fork(file.contentKey ?? `file:${file.path}`), plan, prefix})
      const problem = relocationProblem(content, plan.identity, file.relocated)
      if (problem) throw new Error(`generator bug: ${file.path}: ${problem}`)
      const kind = byKind[file.kind]
      kind.files++
      kind.bytes += content.length
      if (file.relocated) kind.relocatedFiles++
      stats.bytes += content.length
      stats.relocations += file.relocated ? findIdentity(content, plan.identity).length : 0
      if (file.mode & 0o111) stats.executables++
      if (content.length === 0) stats.emptyFiles++
      digest.file(file.path, file.mode, content)
      const path = join(root, file.path)
      await fsp.writeFile(path, content, {flag: 'wx', mode: file.mode})
      if (umask & file.mode) await fsp.chmod(path, file.mode)
      report()
    },
    {concurrency: options.concurrency ?? 16},
  )

  for (const link of plan.links) {
    await fsp.symlink(link.target, join(root, link.path), link.dir ? 'dir' : 'file')
    digest.symlink(link.path, link.target)
    report()
  }

  return {
    scenario: plan.definition.name,
    definitionDigest: plan.definitionDigest,
    seed: plan.seed,
    root,
    identity: plan.identity,
    relocationPath: prefix,
    files: plan.files.length,
    dirs: plan.dirs.length,
    symlinks: plan.links.length,
    bytes: stats.bytes,
    relocatedFiles: plan.files.filter((f) => f.relocated).length,
    relocations: stats.relocations,
    executables: stats.executables,
    emptyFiles: stats.emptyFiles,
    byKind,
    treeDigest: digest.digest(),
  }
}
