import {randomBytes} from 'node:crypto'
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {writeFileAtomic} from '../engine/fs/atomic.js'
import type {ProgressCallback} from '../engine/types.js'
import {GENERATOR_VERSION, definitionDigest} from './definition.js'
import {type GeneratedTree, generateTree} from './generate.js'
import {DEFAULT_CORPORA_DIR} from './paths.js'
import {loadScenario} from './registry.js'
import {UPGRADE_VERSION} from './upgrade.js'

export interface EnsureCorpusOptions {
  /** Scenario name (`scenarios/<name>.json`). */
  name: string
  seed?: number // default 1
  /** Cache directory; default: holobench's `corpora/`. */
  corporaDir?: string
  /** Where to look for the definition (see loadScenario). */
  dirs?: string[]
  onProgress?: ProgressCallback
  /** The scenario's space after this percent of its packages were upgraded (upgrade.ts), cached apart. */
  upgradePercent?: number
}

export interface CorpusTree extends GeneratedTree {
  /** True when an existing complete corpus was reused. */
  cached: boolean
  /** The cache entry: `<corporaDir>/<name>-<digest12>-<seed>`; the tree is its `<identity>/`. */
  corpusDir: string
}

/** Written last, atomically: a corpus directory without it is incomplete. */
export const CORPUS_MARKER = 'holobench-corpus.json'

/**
 * The scenario's tree from the cache, generated first if needed. Entries are keyed by definition
 * digest (which covers the generator version) and seed, so an edited definition or a new
 * generator never reuses stale bytes. A tree is generated in a private `.partial-` directory and
 * renamed into place with its marker, so a crash leaves no entry that looks complete; a
 * directory without a valid marker is removed and regenerated.
 */
export async function ensureCorpus(options: EnsureCorpusOptions): Promise<CorpusTree> {
  const seed = options.seed ?? 1
  const definition = loadScenario(options.name, {dirs: options.dirs})
  const digest = definitionDigest(definition)
  const corporaDir = options.corporaDir ?? DEFAULT_CORPORA_DIR
  const upgrade = options.upgradePercent
  const corpusDir = join(corporaDir, `${definition.name}-${digest.slice(0, 12)}-${seed}${upgrade === undefined ? '' : `-upgrade${upgrade}v${UPGRADE_VERSION}`}`)

  const cached = await readMarker(corpusDir, digest, seed, upgrade)
  if (cached) return {...cached, root: join(corpusDir, cached.identity), cached: true, corpusDir}
  await fsp.rm(corpusDir, {recursive: true, force: true})
  await removeAbandoned(corporaDir, corpusDir)

  const partial = `${corpusDir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    const tree = await generateTree({definition, seed, outDir: partial, onProgress: options.onProgress, upgradePercent: upgrade})
    const {root: _root, ...stored} = tree
    await writeFileAtomic(join(partial, CORPUS_MARKER), `${JSON.stringify({generator: GENERATOR_VERSION, ...stored}, null, 2)}\n`)
    try {
      await fsp.rename(partial, corpusDir)
    } catch (error) {
      // Another process finished the same corpus first: theirs is identical, use it.
      const theirs = await readMarker(corpusDir, digest, seed, upgrade)
      if (!theirs) throw error
      return {...theirs, root: join(corpusDir, theirs.identity), cached: true, corpusDir}
    }
    return {...tree, root: join(corpusDir, tree.identity), cached: false, corpusDir}
  } finally {
    await fsp.rm(partial, {recursive: true, force: true})
  }
}

/** The stored description of a complete corpus, or undefined when absent, stale or unreadable. */
async function readMarker(corpusDir: string, digest: string, seed: number, upgrade: number | undefined): Promise<Omit<GeneratedTree, 'root'> | undefined> {
  let stored: Omit<GeneratedTree, 'root'> & {generator?: number}
  try {
    stored = JSON.parse(await fsp.readFile(join(corpusDir, CORPUS_MARKER), 'utf8'))
  } catch {
    return undefined // missing or half-written: the entry is incomplete, whatever the reason
  }
  if (stored.generator !== GENERATOR_VERSION || stored.definitionDigest !== digest || stored.seed !== seed) return undefined
  if (stored.upgrade?.percent !== upgrade) return undefined
  if (typeof stored.identity !== 'string' || typeof stored.treeDigest !== 'string' || typeof stored.files !== 'number') return undefined
  const root = await fsp.stat(join(corpusDir, stored.identity)).catch(() => undefined)
  if (!root?.isDirectory()) return undefined
  const {generator: _generator, ...tree} = stored
  return tree
}

/** Remove `.partial-<pid>-…` directories of this entry whose process is gone (a crash). */
async function removeAbandoned(corporaDir: string, corpusDir: string): Promise<void> {
  const prefix = `${corpusDir.slice(corporaDir.length).replace(/^[/\\]/, '')}.partial-`
  const entries = await fsp.readdir(corporaDir).catch(() => [] as string[])
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue
    const pid = Number(entry.slice(prefix.length).split('-')[0])
    if (!processAlive(pid)) await fsp.rm(join(corporaDir, entry), {recursive: true, force: true})
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
