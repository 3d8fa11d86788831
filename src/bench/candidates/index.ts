/**
 * Candidates: restore designs beyond the seed, each a row of `run` timed like the seed's variants
 * (same rounds, same tree check, same statistics), never in the default matrix (`run
 * --candidates` or their names in --variants), and never a change to a real library's format:
 * what a candidate restores from is a private scratch copy built for the benchmark.
 *
 * A family registers here with the names it takes and a lazily loaded plan (variants.ts explains
 * how to add one). Its plan builds what its restores need, once per corpus, outside the timed
 * region, and returns its facts (full disk cost, build cost, who in RCC can read it) and a
 * restore. Level rows (`zstd-l19`, `gzip-l9`) need no family: they are ordinary variants whose
 * library is lifted at another level.
 */
import {HoloError} from '../../engine/errors.js'
import type {CandidateDefinition, CandidateSpec} from './types.js'
import {parseDualCache, parseWarm} from './warm-names.js'

export type {CandidateContext, CandidateDefinition, CandidatePlan, CandidateSpec, LiftedLibrary} from './types.js'

/** `<family>[-l<N>][-noverify]`: the name scheme pack and dict share. */
function levelled(family: string, name: string, defaultLevel: number): CandidateSpec | undefined {
  const match = new RegExp(`^${family}(?:-l(\\d+))?(-noverify)?$`).exec(name)
  if (!match) return undefined
  const level = match[1] === undefined ? defaultLevel : Number(match[1])
  if (level < 1 || level > 22) throw new HoloError('EUSAGE', `Variant ${name}: zstd levels run from 1 to 22`)
  return {name, codec: 'zstd', verify: !match[2], strategy: 'copy', candidate: family, ...(level === 1 ? {} : {level})}
}

export const CANDIDATES: readonly CandidateDefinition[] = [
  {
    family: 'pack',
    pattern: 'pack[-l<N>][-noverify]',
    summary: 'the unrelocated files of one catalog in one pack of zstd frames, decoded in order and written; relocated files from the zstd library as today',
    parse: (name) => levelled('pack', name, 1),
    plan: async (spec, context) => (await import('./pack.js')).planPack(spec, context),
  },
  {
    family: 'dict',
    pattern: 'dict[-l<N>][-noverify]',
    summary: 'a zstd library whose small files are compressed with a dictionary trained on this library (zstd --train)',
    parse: (name) => levelled('dict', name, 1),
    plan: async (spec, context) => (await import('./dict.js')).planDict(spec, context),
  },
  {
    family: 'warm',
    pattern: '<variant>+warm<P>',
    summary: 'RCC\'s everyday restore: into a space restored before from the same catalog (with its .meta), P% of whose files were changed or deleted',
    parse: (name) => parseWarm(name, 'warm'),
    plan: async (spec, context) => (await import('./warm.js')).planWarm(spec, context),
  },
  {
    family: 'upgrade',
    pattern: '<variant>+upgrade<P>',
    summary: 'a newer catalog of the same space, P% of its packages upgraded, restored over a space holding the older one (pixi\'s incremental case; a real tree\'s top-level entries stand in for packages)',
    parse: (name) => parseWarm(name, 'upgrade'),
    plan: async (spec, context) => (await import('./warm.js')).planUpgrade(spec, context),
  },
  {
    family: 'dual-cache',
    pattern: '<gzip|zstd>[-noverify]+cache-<copy|hardlink|reflink>',
    summary: 'uv\'s dual cache: the compressed library plus an uncompressed cache of its files, restored from by copy, hard link or clone (relocated files copied and patched)',
    parse: parseDualCache,
    plan: async (spec, context) => (await import('./dual-cache.js')).planDualCache(spec, context),
  },
]

/** The candidate family that takes `name`, parsed; undefined when none does. */
export function parseCandidate(name: string): CandidateSpec | undefined {
  for (const definition of CANDIDATES) {
    const spec = definition.parse(name)
    if (spec) return spec
  }

  return undefined
}

export function candidateDefinition(family: string): CandidateDefinition {
  const definition = CANDIDATES.find((candidate) => candidate.family === family)
  if (!definition) throw new HoloError('EUSAGE', `No candidate family ${JSON.stringify(family)}`)
  return definition
}

/**
 * What `run --candidates` times: the seed's gzip and zstd as reference points, the levels RCC
 * does not write (zstd 3, 9, 19; gzip 6, 9), a pack and a dictionary library, warm restores
 * (0, 1 and 10% of the space changed) and upgrades (5% of packages) as RCC restores every day,
 * the dual cache by copy, hard link and clone, the floor, and `cp -a` (a plain copy in a fresh process:
 * what a restore process that only copies costs here).
 */
export const CANDIDATE_VARIANTS = [
  'gzip', 'zstd', 'gzip-l6', 'gzip-l9', 'zstd-l3', 'zstd-l9', 'zstd-l19', 'zstd-noverify', 'pack', 'pack-l19', 'pack-noverify', 'dict',
  'gzip+warm0', 'gzip+warm1', 'gzip+warm10', 'zstd+warm1', 'zstd+warm10', 'gzip+upgrade5', 'zstd+upgrade5',
  'zstd+cache-copy', 'zstd+cache-hardlink', 'zstd-noverify+cache-hardlink', 'zstd+cache-reflink', 'floor', 'cp',
] as const
