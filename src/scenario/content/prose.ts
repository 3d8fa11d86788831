import {pickSkewed} from '../names.js'
import type {Rng} from '../prng.js'
import {ADJECTIVES, CODE_WORDS, ENGLISH, NOUNS, PARTICIPLES, PREPOSITIONS, VERBS} from '../vocabulary.js'

/**
 * An English-looking sentence of roughly `min`–`max` words, built from docstring-like clauses
 * ("Return the current value of the session.") so word order and frequency resemble real docs.
 */
export function sentence(rng: Rng, min = 5, max = 16): string {
  const target = rng.range(min, max)
  let text = clause(rng)
  while (text.split(' ').length < target) text += rng.chance(0.5) ? `, ${rng.pick(JOINERS)} ${clause(rng)}` : ` ${pickSkewed(rng, PREPOSITIONS)} the ${noun(rng)}`
  return `${text[0].toUpperCase()}${text.slice(1)}.`
}

const JOINERS = ['and', 'or', 'if', 'when', 'unless', 'so', 'because', 'while', 'otherwise']

function noun(rng: Rng): string {
  return rng.chance(0.12) ? `\`\`${pickSkewed(rng, CODE_WORDS)}\`\`` : pickSkewed(rng, NOUNS)
}

function clause(rng: Rng): string {
  switch (rng.int(8)) {
    case 0:
      return `return the ${pickSkewed(rng, ADJECTIVES)} ${noun(rng)} ${pickSkewed(rng, PREPOSITIONS)} the ${noun(rng)}`
    case 1:
      return `this ${noun(rng)} ${pickSkewed(rng, VERBS)} a ${pickSkewed(rng, ADJECTIVES)} ${noun(rng)}`
    case 2:
      return `the ${noun(rng)} is ${pickSkewed(rng, PARTICIPLES)} ${pickSkewed(rng, PREPOSITIONS)} the ${noun(rng)}`
    case 3:
      return `the ${noun(rng)} must be a ${pickSkewed(rng, ADJECTIVES)} ${noun(rng)}`
    case 4:
      return `if the ${noun(rng)} is ${pickSkewed(rng, ADJECTIVES)}, the ${noun(rng)} is ${pickSkewed(rng, PARTICIPLES)}`
    case 5:
      return `${pickSkewed(rng, ENGLISH)} ${pickSkewed(rng, NOUNS)} ${pickSkewed(rng, VERBS)} the ${noun(rng)}`
    case 6:
      return `defaults to the ${pickSkewed(rng, ADJECTIVES)} ${noun(rng)}`
    default:
      return `the ${pickSkewed(rng, ADJECTIVES)} ${noun(rng)} ${pickSkewed(rng, VERBS)} the ${noun(rng)} ${pickSkewed(rng, PREPOSITIONS)} ${pickSkewed(rng, ADJECTIVES)} ${noun(rng)}s`
  }
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
