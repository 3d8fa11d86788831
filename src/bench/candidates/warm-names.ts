/**
 * Names of the rows that restore into an existing space or from a dual cache: `<variant>+warm<P>`,
 * `<variant>+upgrade<P>` (warm.ts) and `<gzip|zstd>[-noverify]+cache-<strategy>` (dual-cache.ts),
 * where the part before the `+` is a seed variant. Parsed without loading the families' modules.
 */
import {HoloError} from '../../engine/errors.js'
import type {CodecName} from '../../engine/types.js'
import type {CandidateSpec} from './types.js'

/** `<codec>[-<strategy>][-noverify]`: the seed variant a warm or upgrade row restores with. */
const BASE = /^(gzip|zstd|none)(?:-(copy|reflink|hardlink))?(-noverify)?$/

/** `<variant>+<family><P>`, e.g. `zstd+warm10`, `gzip-noverify+warm1`, `gzip+upgrade5`. */
export function parseWarm(name: string, family: 'warm' | 'upgrade'): CandidateSpec | undefined {
  const match = new RegExp(`^(.+)\\+${family}(\\d+)$`).exec(name)
  if (!match) return undefined
  const base = BASE.exec(match[1])
  if (!base) throw new HoloError('EUSAGE', `Variant ${name}: ${family} rows take a seed variant before the +: gzip, zstd or none, with -copy, -reflink or -hardlink for none, and -noverify (e.g. zstd+${family}${match[2]})`)
  const codec = base[1] as CodecName
  const strategy = (base[2] ?? 'copy') as 'copy' | 'reflink' | 'hardlink'
  if (strategy !== 'copy' && codec !== 'none') throw new HoloError('EUSAGE', `Variant ${name}: ${strategy} only applies to uncompressed libraries (none-${strategy}+${family}${match[2]})`)
  const percent = Number(match[2])
  if (percent > 100 || (family === 'upgrade' && percent === 0)) throw new HoloError('EUSAGE', `Variant ${name}: ${family === 'warm' ? 'a warm row changes 0 to 100' : 'an upgrade row upgrades 1 to 100'} percent`)
  return {name, codec, verify: !base[3], strategy, candidate: family, options: {percent}}
}

/** `<gzip|zstd>[-noverify]+cache-<copy|hardlink|reflink>`. */
export function parseDualCache(name: string): CandidateSpec | undefined {
  const match = /^(.+)\+cache-([a-z]+)$/.exec(name)
  if (!match) return undefined
  const base = /^(gzip|zstd)(-noverify)?$/.exec(match[1])
  const strategy = match[2]
  if (!base || !['copy', 'hardlink', 'reflink'].includes(strategy)) {
    throw new HoloError('EUSAGE', `Variant ${name}: a dual-cache row is <gzip|zstd>[-noverify]+cache-<copy|hardlink|reflink> (e.g. zstd+cache-hardlink)`)
  }

  return {name, codec: base[1] as CodecName, verify: !base[2], strategy: strategy as 'copy' | 'hardlink' | 'reflink', candidate: 'dual-cache'}
}

