import {describe, expect, it} from 'vitest'

import {RelocationScanner, findRelocations} from '../src/engine/relocate.js'
import {Rng} from '../src/scenario/prng.js'

// Replay a failure: HOLOBENCH_SCANNER_SEED=<seed> (printed in the test's name).
const SEED = Number(process.env.HOLOBENCH_SCANNER_SEED ?? Date.now() % 100_000)

/** Data over a two-letter alphabet with the needle planted often: matches overlap and straddle chunks. */
function plantedData(rng: Rng, needle: Buffer, length: number): Buffer {
  const data = Buffer.alloc(length)
  for (let i = 0; i < length; i++) data[i] = rng.chance(0.5) ? needle[0] : needle[needle.length - 1]
  for (let k = rng.int(20); k > 0; k--) {
    const at = rng.int(Math.max(1, length - needle.length))
    if (at + needle.length <= length) needle.copy(data, at)
  }
  return data
}

describe('streaming relocation scan (lift of files too big to hold)', () => {
  it(`finds exactly the offsets of a whole-buffer search, however the stream is chunked: matches across chunk boundaries, in tiny chunks, overlapping (seed ${SEED})`, () => {
    const rng = new Rng(`scanner/${SEED}`)
    for (let round = 0; round < 300; round++) {
      const needle = Buffer.from(['aab', 'abab', 'a', 'aaaa', 'ab'.repeat(12)][rng.int(5)])
      const data = plantedData(rng, needle, rng.int(400))
      const scanner = new RelocationScanner(needle)
      for (let at = 0; at < data.length; ) {
        const size = rng.chance(0.3) ? rng.int(3) : rng.int(needle.length * 3 + 1)
        scanner.push(data.subarray(at, at + size))
        at += size
      }

      expect(scanner.offsets, `round ${round}: needle ${needle}, data ${data}`).toEqual(findRelocations(data, needle))
    }
  })

  it('copies the tail it carries: a reader that reuses its chunk buffer does not change what was pushed', () => {
    const needle = Buffer.from('identity')
    const scanner = new RelocationScanner(needle)
    const chunk = Buffer.alloc(1 << 20, 'x')
    chunk.write('iden', chunk.length - 4)
    scanner.push(chunk)
    chunk.fill('x') // the reader refills its buffer for the next read
    scanner.push(Buffer.from('tity'))
    expect(scanner.offsets).toEqual([chunk.length - 4])
  })
})
