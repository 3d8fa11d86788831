import {describe, expect, it} from 'vitest'

import {DEFAULT_VARIANTS, defaultVariants, parseVariant} from '../src/bench/variants.js'
import {availableZstdBackends} from '../src/engine/codec/index.js'
import type {HoloError} from '../src/engine/errors.js'

describe('variant names', () => {
  it('parse into codec, backend, strategy and verification', () => {
    expect(parseVariant('gzip')).toEqual({name: 'gzip', codec: 'gzip', verify: true, strategy: 'copy'})
    expect(parseVariant('zstd-noverify')).toMatchObject({codec: 'zstd', verify: false, strategy: 'copy'})
    expect(parseVariant('zstd@zlib')).toMatchObject({codec: 'zstd', zstdBackend: 'zlib', verify: true})
    expect(parseVariant('none-reflink-noverify')).toMatchObject({codec: 'none', strategy: 'reflink', verify: false})
    expect(parseVariant('gzip-pure')).toMatchObject({codec: 'gzip-pure', strategy: 'copy'})
    expect(parseVariant('floor')).toMatchObject({codec: null, strategy: 'floor'})
    expect(parseVariant('cp')).toMatchObject({codec: null, strategy: 'floor'})
  })

  it.each(['brotli', 'gzip-reflink', 'gzip@napi', 'zstd@lz4', ''])('refuses %j with a usage error', (name) => {
    try {
      parseVariant(name)
      expect.unreachable()
    } catch (error) {
      expect((error as HoloError).code).toBe('EUSAGE')
    }
  })

  it('default to the seed\'s four columns and the floor, plus a row per zstd backend where there are several', () => {
    expect(defaultVariants(['napi'])).toEqual([...DEFAULT_VARIANTS])
    expect(defaultVariants(['napi', 'zlib'])).toEqual(['gzip', 'zstd', 'zstd@zlib', 'zstd-noverify', 'none-reflink', 'floor'])
    // Whatever this Node has, every default parses.
    for (const name of defaultVariants(availableZstdBackends())) expect(parseVariant(name).name).toBe(name)
  })
})
