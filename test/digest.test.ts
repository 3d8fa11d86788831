import {describe, expect, it} from 'vitest'

import {DIGEST_HEX_LENGTH, RCC_SIPHASH_KEY, createDigester, digestBuffer} from '../src/engine/digest.js'
import {siphash128Hex} from '../src/engine/siphash.js'
import {randomBytes} from './fixtures-codec/helpers.js'

describe('digest', () => {
  it('sha256 is lowercase hex of the content (FIPS 180-2 vectors)', () => {
    expect(digestBuffer('sha256', Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(digestBuffer('sha256', new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })

  it('siphash128 uses RCC key Very_Random-Seed and gives 32 lowercase hex characters', () => {
    expect(Buffer.from(RCC_SIPHASH_KEY).toString('latin1')).toBe('Very_Random-Seed')
    const data = Buffer.from('#!/bin/sh\necho hello\n')
    const hex = digestBuffer('siphash128', data)
    expect(hex).toMatch(/^[0-9a-f]{32}$/)
    expect(hex).toBe(siphash128Hex(RCC_SIPHASH_KEY, data))
    expect(hex).not.toBe(siphash128Hex(new Uint8Array(16), data))
    expect(DIGEST_HEX_LENGTH).toEqual({sha256: 64, siphash128: 32})
  })

  for (const alg of ['sha256', 'siphash128'] as const) {
    it(`${alg} streams: random chunk splits give the whole-buffer digest`, () => {
      const data = randomBytes(100_003, 5)
      const whole = digestBuffer(alg, data)
      expect(whole).toHaveLength(DIGEST_HEX_LENGTH[alg])
      const sizes = randomBytes(500, 8)
      for (let trial = 0; trial < 10; trial++) {
        const d = createDigester(alg)
        let pos = 0
        let i = trial
        while (pos < data.length) {
          const size = sizes[i++ % sizes.length] * (trial + 1)
          d.update(data.subarray(pos, pos + size))
          pos += size
        }
        expect(d.digest()).toBe(whole)
      }
    })
  }

  it('rejects an unknown algorithm with EUSAGE', () => {
    expect(() => createDigester('md5' as 'sha256')).toThrow(expect.objectContaining({code: 'EUSAGE'}))
  })
})
