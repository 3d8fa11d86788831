import {pickSkewed} from '../names.js'
import type {Rng} from '../prng.js'
import {CODE_WORDS, ENGLISH} from '../vocabulary.js'

/** An English-looking sentence of `min`–`max` words, capitalised, with a full stop. */
export function sentence(rng: Rng, min = 5, max = 16): string {
  const n = rng.range(min, max)
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    out.push(rng.chance(0.08) ? `\`\`${pickSkewed(rng, CODE_WORDS)}\`\`` : pickSkewed(rng, ENGLISH, 5))
    if (i > 2 && i < n - 2 && rng.chance(0.07)) out[out.length - 1] += ','
  }
  const text = out.join(' ')
  return `${text[0].toUpperCase()}${text.slice(1)}.`
}

/** Sentences joined and wrapped at `width` columns, each line prefixed with `indent`. */
export function paragraph(rng: Rng, sentences: number, indent = '', width = 79): string {
  const words: string[] = []
  for (let i = 0; i < sentences; i++) words.push(...sentence(rng).split(' '))
  const lines: string[] = []
  let line = indent
  for (const word of words) {
    if (line.length + word.length + 1 > width && line.length > indent.length) {
      lines.push(line)
      line = indent
    }
    line += line.length > indent.length ? ` ${word}` : word
  }
  lines.push(line)
  return lines.join('\n')
}
