import {HoloError} from '../engine/errors.js'
import type {Strategy} from '../engine/strategy.js'
import type {CodecName, ZstdBackend} from '../engine/types.js'
import {CODEC_NAMES} from '../engine/types.js'
import {CANDIDATES, parseCandidate} from './candidates/index.js'

/*
 * Rows of `run`, three kinds:
 * - the seed's variants, `<codec>[@<zstd backend>][-l<level>][-<strategy>][-noverify]` (`gzip`,
 *   `zstd-noverify`, `none-reflink`); `-l<level>` lifts its library at another level than RCC's 1
 *   (`zstd-l19`, `gzip-l9`: the level candidates);
 * - `floor` and `cp`, plain copies of the tree (the time no restore can beat);
 * - candidates (src/bench/candidates/): designs beyond the seed, `run --candidates` or by name.
 *
 * Adding a candidate family (a pack, a dual cache, a warm restore, …):
 * 1. In candidates/index.ts, add a CandidateDefinition to CANDIDATES: `family`, the `pattern` of its
 *    names, a `parse(name)` that returns a CandidateSpec (undefined for names not its own), and a
 *    `plan` that imports its module lazily.
 * 2. Its plan(spec, context) runs once per corpus, before anything is timed. It builds what its
 *    restores need under `context.scratch` (never in a library a user owns), from
 *    `context.library(codec, level)` (lifted once per corpus, shared by rows), and returns:
 *    - `facts`: a one-line `summary`, `storedBytes` (EVERY byte its restores need on disk: a
 *      library plus its cache, a pack plus the library files it still reads), `rawBytes`,
 *      `liftSeconds` (the build's wall time), `rcc: {reads: 'upstream'|'zstd-fork'|'neither',
 *      takes: 'what RCC would need, naming its source file'}`, and a `caveat` where its restore
 *      differs from a real one;
 *    - `restore`: usually `context.dropRestore({catalog, …, extraArgs, extraOptions})`, i.e. a
 *      fresh `holobench drop` per restore in process mode (a hidden drop flag where it needs one),
 *      so every row pays the same process start and verifies the same way;
 *    - optionally `prepare(target)`: untimed work before each restore (fill the target for a warm
 *      restore), and `checkSource`: the tree the first restore must equal when not the corpus;
 *    - or `unsupported: 'why'` where this machine or Node cannot restore it (facts still shown).
 * 3. Add its default names to CANDIDATE_VARIANTS if `run --candidates` should time it.
 * The runner records the facts on the row (`candidate` in results.json); the candidates table and
 * the Pareto chart (src/report/candidates*.ts) read them, for every format, with no other change.
 */

/**
 * A restore variant (see above), or `floor`, a plain recursive copy of the tree in-process with
 * a restore's parallelism, or `cp`, the same copy by `cp -a` (process start included).
 */
export interface VariantSpec {
  name: string
  codec: CodecName | null
  verify: boolean
  strategy: Exclude<Strategy, 'auto'> | 'floor'
  zstdBackend?: ZstdBackend
  /** The library's compression level when not RCC's 1 (`zstd-l19`). */
  level?: number
  /** The candidate family that builds and restores this row (candidates/index.ts); absent for the seed's variants. */
  candidate?: string
}

/** The seed's four columns (gzip, zstd, zstd + skip verify, uncompressed + reflink) plus the floor. */
export const DEFAULT_VARIANTS = ['gzip', 'zstd', 'zstd-noverify', 'none-reflink', 'floor'] as const

export const KNOWN_VARIANTS = ['gzip', 'gzip-pure', 'zstd', 'zstd-noverify', 'none-copy', 'none-reflink', 'none-hardlink', 'floor', 'cp'] as const

export function parseVariant(name: string): VariantSpec {
  if (name === 'floor' || name === 'cp') return {name, codec: null, verify: false, strategy: 'floor'}
  const candidate = parseCandidate(name)
  if (candidate) return candidate
  const match = /^(gzip-pure|gzip|zstd|none)(?:@(napi|zlib))?(?:-l(\d+))?(?:-(copy|reflink|hardlink))?(-noverify)?$/.exec(name)
  if (!match || !(CODEC_NAMES as readonly string[]).includes(match[1])) {
    throw new HoloError(
      'EUSAGE',
      `Unknown variant ${JSON.stringify(name)}: use ${KNOWN_VARIANTS.join(', ')} (zstd may take @napi or @zlib; gzip and zstd may take -l<level>; any may end in -noverify), or a candidate: ${CANDIDATES.map((c) => c.pattern).join(', ')}`,
    )
  }

  const codec = match[1] as CodecName
  if (match[2] && codec !== 'zstd') throw new HoloError('EUSAGE', `Variant ${name}: only zstd has backends`)
  const level = match[3] === undefined ? undefined : Number(match[3])
  if (level !== undefined) {
    const [min, max] = codec === 'zstd' ? [1, 22] : codec === 'none' ? [0, -1] : [1, 9]
    if (level < min || level > max) throw new HoloError('EUSAGE', codec === 'none' ? `Variant ${name}: an uncompressed library has no level` : `Variant ${name}: ${codec} levels run from ${min} to ${max}`)
  }

  const strategy = (match[4] ?? 'copy') as VariantSpec['strategy']
  if (strategy !== 'copy' && codec !== 'none') {
    throw new HoloError('EUSAGE', `Variant ${name}: ${strategy} only applies to uncompressed libraries (none-${strategy})`)
  }

  return {name, codec, verify: !match[5], strategy, ...(match[2] ? {zstdBackend: match[2] as ZstdBackend} : {}), ...(level !== undefined && level !== 1 ? {level} : {})}
}

/**
 * The default variants, plus a row for each zstd backend other than the one `zstd` (auto) uses,
 * when this Node has more than one, so users see which backend to use on their Node.
 * `backends` lists the fastest (auto's choice) first, as availableZstdBackends does.
 */
export function defaultVariants(backends: readonly ZstdBackend[]): string[] {
  const variants: string[] = [...DEFAULT_VARIANTS]
  variants.splice(2, 0, ...backends.slice(1).map((backend) => `zstd@${backend}`))
  return variants
}
