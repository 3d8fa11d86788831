import {describe, expect, it} from 'vitest'

import {goKeyOrder} from '../src/engine/names.js'

/** Go's order by definition: the UTF-8 bytes. */
const byBytes = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))

describe('goKeyOrder (Go map key order without allocating)', () => {
  it('orders as UTF-8 bytes do, surrogate pairs beside U+E000–U+FFFF included (ordering fault)', () => {
    const seed = 12
    console.log(`goKeyOrder seed ${seed}`)
    let x = seed
    const next = () => (x = (x * 1103515245 + 12345) & 0x7fffffff)
    // Units chosen where orders differ: ASCII, Latin, U+E000–U+FFFF, astral (surrogate pairs).
    const pool = ['a', 'b', 'Z', '1', '10', 'é', '\uE000', '\uFFFD', '\uFF21', '😀', '𝄞', '\u{10FFFF}', '\u0000', '_']
    const words = Array.from({length: 400}, () => Array.from({length: 1 + (next() % 4)}, () => pool[next() % pool.length]).join(''))
    for (const a of words.slice(0, 60)) for (const b of words.slice(340)) expect(Math.sign(goKeyOrder(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(byBytes(a, b))
    expect([...words].sort(goKeyOrder)).toEqual([...words].sort((a, b) => byBytes(a, b)))
    // UTF-16 order would put the astral character first here; bytes put U+FFFD first.
    expect(goKeyOrder('\uFFFD', '😀')).toBeLessThan(0)
  })
})
