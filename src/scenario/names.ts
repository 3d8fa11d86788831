import type {Rng} from './prng.js'
import {CODE_WORDS, ENGLISH} from './vocabulary.js'

/** Pick with a skew towards the front of the list (common words come first). */
export function pickSkewed<T>(rng: Rng, items: readonly T[], skew = 2): T {
  let u = rng.float()
  for (let i = 1; i < skew; i++) u *= rng.float()
  return items[Math.floor(u * items.length)]
}

/** A snake_case identifier of one to three code words, e.g. `parse_header`. */
export function identifier(rng: Rng): string {
  const parts = [pickSkewed(rng, CODE_WORDS, 3)]
  if (rng.chance(0.55)) parts.push(pickSkewed(rng, CODE_WORDS, 3))
  if (rng.chance(0.12)) parts.push(pickSkewed(rng, CODE_WORDS, 3))
  return parts.join('_')
}

/** A CamelCase class-like name, e.g. `RequestHandler`. */
export function className(rng: Rng): string {
  const n = rng.chance(0.6) ? 2 : rng.chance(0.5) ? 1 : 3
  let name = ''
  for (let i = 0; i < n; i++) {
    const word = pickSkewed(rng, CODE_WORDS)
    name += word[0].toUpperCase() + word.slice(1)
  }
  return name
}

/** A distribution-style package name, e.g. `fastconfig` or `robot_parser`. */
export function packageName(rng: Rng): string {
  const a = rng.pick(CODE_WORDS)
  const b = rng.pick(rng.chance(0.5) ? CODE_WORDS : ENGLISH)
  const joiner = rng.pick(['', '', '_', ''])
  const name = rng.chance(0.2) ? `py${a}` : rng.chance(0.2) ? `${a}lib` : `${a}${joiner}${b}`
  return name.replace(/[^a-z0-9_]/g, '')
}

/** Keeps names unique within a scope by appending a counter on collision. */
export class NameScope {
  private readonly used = new Set<string>()

  claim(name: string, ext = ''): string {
    let candidate = name + ext
    for (let n = 2; this.used.has(candidate); n++) candidate = `${name}${n}${ext}`
    this.used.add(candidate)
    return candidate
  }
}

/** A short hex string, for build ids and fake hashes. */
export function hex(rng: Rng, length: number): string {
  let out = ''
  while (out.length < length) out += (rng.next() >>> 0).toString(16).padStart(8, '0')
  return out.slice(0, length)
}

export function version(rng: Rng): string {
  return `${rng.range(0, 4)}.${rng.range(0, 24)}.${rng.range(0, 12)}`
}
