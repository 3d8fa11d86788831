/**
 * Warm restores, RCC's everyday path: a restore into a space an earlier restore of the same
 * catalog left (with its `.meta`), in which some files were changed or deleted since
 * (`<variant>+warm<P>`), or a restore of a newer catalog of the same space over the older one
 * (`<variant>+upgrade<P>`: P% of the packages upgraded, pixi's incremental case). The space is
 * prepared outside the timed region before every restore: restored from the (old) catalog with
 * the row's own strategy, then mutated (scenario/mutate.ts). The timed restore is the row's
 * ordinary `holobench drop`, and the first one is checked exact against the tree it must equal.
 */
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {drop} from '../../engine/drop.js'
import {HoloError} from '../../engine/errors.js'
import {inspect} from '../../engine/inspect.js'
import {excluded, lift} from '../../engine/lift.js'
import type {CodecName} from '../../engine/types.js'
import {ensureCorpus} from '../../scenario/corpus.js'
import {applyMutation, listRegularFiles, planMutation} from '../../scenario/mutate.js'
import {upgradeTreeCopy} from '../../scenario/upgrade-tree.js'
import type {MutationPlan} from '../../scenario/mutate.js'
import type {CandidateFacts, RccReadability} from '../results.js'
import type {CandidateContext, CandidatePlan, CandidateSpec} from './types.js'

/** The seed of every mutation: the same files change in every run and on every machine. */
export const MUTATION_SEED = 1

/** Who reads the library a warm row restores: RestoreTo is the same warm path upstream and in the fork. */
function readers(codec: CodecName, what: string): RccReadability {
  const reads = codec === 'zstd' ? 'zstd-fork' : 'upstream'
  return {
    reads,
    takes: `nothing: RestoreTo (htfs/library.go) ${what}${codec === 'zstd' ? ' (zstd: the fork)' : ''}; RCC keeps a same-size edit (no mtime test, htfs/functions.go RestoreDirectory), holobench rewrites it`,
  }
}

/** Restore `catalog` into the fresh `target` as the row would (its strategy), unflushed: the untimed preparation. */
async function restoreInto(catalog: string, target: string, spec: CandidateSpec, context: CandidateContext): Promise<void> {
  await drop({catalog, target, strategy: spec.strategy as 'copy' | 'reflink' | 'hardlink', verify: false, durable: false, jobs: context.jobs})
}

/** A warm row: the corpus's library; before each restore, a space restored from it with P% of its files changed. */
export async function planWarm(spec: CandidateSpec, context: CandidateContext): Promise<CandidatePlan> {
  const percent = spec.options?.percent as number
  const library = await context.library(spec.codec as CodecName)
  let mutation: MutationPlan | undefined
  const facts: CandidateFacts = {
    family: 'warm',
    summary: `restore into a space restored before from the same catalog, with ${percent}% of its files changed (same size or not) or deleted and stray files added`,
    rcc: readers(spec.codec as CodecName, 'restores into an existing space'),
    storedBytes: library.facts.storedBytes,
    rawBytes: library.facts.rawBytes,
    liftSeconds: library.facts.liftSeconds,
    caveat: 'the space is restored and mutated outside the timed region; the time is the repair alone',
  }
  return {
    facts,
    restore: context.dropRestore({catalog: library.catalog, codec: spec.codec as CodecName, verify: spec.verify, strategy: spec.strategy as 'copy' | 'reflink' | 'hardlink'}),
    prepare: async (target) => {
      await restoreInto(library.catalog, target, spec, context)
      // The plan is drawn once from the first space: every restore repairs the same files.
      mutation ??= planMutation(await listRegularFiles(target), percent, MUTATION_SEED)
      await applyMutation(target, mutation)
    },
  }
}

/**
 * An upgrade row: the scenario's tree and the same space with P% of its packages upgraded
 * (scenario/upgrade.ts), both lifted into one library of the row's codec (shared files stored
 * once, as in a real hololib); before each restore, a space restored from the old catalog. A
 * --tree corpus has no packages: its top-level entries are upgraded generically (upgrade-tree.ts).
 */
export async function planUpgrade(spec: CandidateSpec, context: CandidateContext): Promise<CandidatePlan> {
  const percent = spec.options?.percent as number
  const codec = spec.codec as CodecName
  const rcc = readers(codec, 'restores a newer catalog over an older space')
  const scenario = context.corpus.scenario
  // A scenario upgrades packages it generated; a real tree gets a generic upgrade of its top-level entries.
  const upgraded = scenario
    ? await ensureCorpus({name: scenario.name, seed: scenario.seed, upgradePercent: percent})
    : await upgradeTreeCopy({source: context.corpus.root, out: join(context.scratch, 'upgraded'), percent, exclude: context.rccExcludes ? excluded : undefined})
  const root = join(context.scratch, `lib-${codec}`)
  const options = {library: root, codec, fsync: false, rccExcludes: context.rccExcludes, identity: context.corpus.identity}
  const old = await lift({...options, source: context.corpus.root})
  const next = await lift({...options, source: upgraded.root})
  const [oldFacts, nextFacts] = await Promise.all([inspect({path: old.catalog}), inspect({path: next.catalog})])
  const u = 'facts' in upgraded ? upgraded.facts : upgraded.upgrade
  return {
    facts: {
      family: 'upgrade',
      summary: `restore the catalog of the same space with ${percent}% of its ${scenario ? 'packages' : 'top-level entries'} upgraded (${u ? `${u.upgraded} of ${u.packages}: ${u.changed} files changed, ${u.moved} moved, ${u.removed} removed, ${u.added} added` : 'upgraded'}) over a space restored from the old one`,
      rcc,
      // Both catalogs' files, the shared ones once: what the hololib holds for old and new.
      storedBytes: await storedBytesOf(join(root, 'library')),
      rawBytes: nextFacts.rawBytes,
      liftSeconds: next.seconds,
      caveat: `${scenario ? '' : `a real tree has no packages: ${u?.upgraded} of its ${u?.packages} top-level entries got a new last line in 70% of their files, a tenth removed and a tenth added; `}the old space is restored outside the timed region; lift cost is the new catalog's alone (the old one's: ${old.seconds.toFixed(2)} s); disk is both catalogs' files (old alone: ${(oldFacts.storedBytes / 1e6).toFixed(1)} MB)`,
    },
    restore: context.dropRestore({catalog: next.catalog, codec, verify: spec.verify, strategy: spec.strategy as 'copy' | 'reflink' | 'hardlink'}),
    prepare: (target) => restoreInto(old.catalog, target, spec, context),
    checkSource: upgraded.root,
  }
}

async function storedBytesOf(dir: string): Promise<number> {
  let bytes = 0
  for (const entry of await fsp.readdir(dir, {recursive: true, withFileTypes: true})) {
    if (entry.isFile()) bytes += (await fsp.lstat(join(entry.parentPath, entry.name))).size
  }

  return bytes
}
