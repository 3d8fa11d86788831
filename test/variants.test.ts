import {describe, expect, it} from 'vitest'

import {CANDIDATE_VARIANTS} from '../src/bench/candidates/index.js'
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

describe('level and candidate variant names', () => {
  it('parse a level into the spec, leaving RCC\'s level 1 implicit', () => {
    expect(parseVariant('zstd-l19')).toEqual({name: 'zstd-l19', codec: 'zstd', verify: true, strategy: 'copy', level: 19})
    expect(parseVariant('gzip-l9-noverify')).toMatchObject({codec: 'gzip', level: 9, verify: false})
    expect(parseVariant('zstd@zlib-l3')).toMatchObject({codec: 'zstd', zstdBackend: 'zlib', level: 3})
    expect(parseVariant('zstd-l1')).not.toHaveProperty('level')
    // gzip-pure is a codec, not gzip at level "pure".
    expect(parseVariant('gzip-pure')).toMatchObject({codec: 'gzip-pure'})
    expect(parseVariant('gzip-pure-l6')).toMatchObject({codec: 'gzip-pure', level: 6})
  })

  it('parse the candidate families with their level and verification', () => {
    expect(parseVariant('pack')).toEqual({name: 'pack', codec: 'zstd', verify: true, strategy: 'copy', candidate: 'pack'})
    expect(parseVariant('pack-l19-noverify')).toMatchObject({candidate: 'pack', level: 19, verify: false})
    expect(parseVariant('dict-l3')).toMatchObject({candidate: 'dict', level: 3, verify: true})
    for (const name of CANDIDATE_VARIANTS) expect(parseVariant(name).name).toBe(name)
  })

  it.each(['gzip-l10', 'gzip-l0', 'zstd-l23', 'zstd-l0', 'none-l3', 'pack-l0', 'pack-l23', 'pack-copy', 'dict-reflink', 'zstd-lx'])('refuses %j with a usage error', (name) => {
    try {
      parseVariant(name)
      expect.unreachable()
    } catch (error) {
      expect((error as HoloError).code).toBe('EUSAGE')
    }
  })

  it('keep candidates out of the default matrix', () => {
    for (const name of defaultVariants(availableZstdBackends())) expect(parseVariant(name)).not.toHaveProperty('candidate')
    for (const name of defaultVariants(availableZstdBackends())) expect(parseVariant(name)).not.toHaveProperty('level')
  })
})
