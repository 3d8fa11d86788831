import {HoloError} from '../engine/errors.js'
import type {Strategy} from '../engine/strategy.js'
import type {CodecName, ZstdBackend} from '../engine/types.js'
import {CODEC_NAMES} from '../engine/types.js'

/**
 * A restore variant, named `<codec>[@<zstd backend>][-<strategy>][-noverify]`, e.g. `gzip`,
 * `zstd-noverify`, `zstd@zlib`, `none-reflink`; or `floor`, a plain recursive copy of the tree
 * in-process with a restore's parallelism, or `cp`, the same copy by `cp -a` (process start included).
 */
export interface VariantSpec {
  name: string
  codec: CodecName | null
  verify: boolean
  strategy: Exclude<Strategy, 'auto'> | 'floor'
  zstdBackend?: ZstdBackend
}

/** The seed's four columns (gzip, zstd, zstd + skip verify, uncompressed + reflink) plus the floor. */
export const DEFAULT_VARIANTS = ['gzip', 'zstd', 'zstd-noverify', 'none-reflink', 'floor'] as const

export const KNOWN_VARIANTS = ['gzip', 'gzip-pure', 'zstd', 'zstd-noverify', 'none-copy', 'none-reflink', 'none-hardlink', 'floor', 'cp'] as const

export function parseVariant(name: string): VariantSpec {
  if (name === 'floor' || name === 'cp') return {name, codec: null, verify: false, strategy: 'floor'}
  const match = /^(gzip-pure|gzip|zstd|none)(?:@(napi|zlib))?(?:-(copy|reflink|hardlink))?(-noverify)?$/.exec(name)
  if (!match || !(CODEC_NAMES as readonly string[]).includes(match[1])) {
    throw new HoloError('EUSAGE', `Unknown variant ${JSON.stringify(name)}: use ${KNOWN_VARIANTS.join(', ')} (zstd may take @napi or @zlib; any may end in -noverify)`)
  }

  const codec = match[1] as CodecName
  if (match[2] && codec !== 'zstd') throw new HoloError('EUSAGE', `Variant ${name}: only zstd has backends`)
  const strategy = (match[3] ?? 'copy') as VariantSpec['strategy']
  if (strategy !== 'copy' && codec !== 'none') {
    throw new HoloError('EUSAGE', `Variant ${name}: ${strategy} only applies to uncompressed libraries (none-${strategy})`)
  }

  return {name, codec, verify: !match[4], strategy, ...(match[2] ? {zstdBackend: match[2] as ZstdBackend} : {})}
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
