/**
 * A library file's path (RCC's ExactDefaultLocation, `library/ab/cd/ef/<digest>`) is built by
 * concatenation with the last root remembered: it must equal path.join's answer for any root,
 * relative, with trailing slashes or dot segments, and never keep a previous root (stale cache).
 */
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {libraryFilePath} from '../src/engine/library.js'

const SHA = 'ab' + 'cd' + 'ef' + '0123456789abcdef'.repeat(3) + '0123456789'
const SIP = '0123456789abcdef0123456789abcdef'

describe('libraryFilePath', () => {
  it('path normalisation: equals path.join for absolute, relative, trailing-slash and dot-segment roots', () => {
    for (const root of ['/srv/hololib', '/srv/hololib/', 'hololib', './hololib/', '/srv/x/../hololib', '/', '.']) {
      for (const digest of [SHA, SIP]) {
        expect(libraryFilePath(root, digest)).toBe(join(root, 'library', digest.slice(0, 2), digest.slice(2, 4), digest.slice(4, 6), digest))
      }
    }
  })

  it('stale cache: alternating roots each get their own path', () => {
    for (let i = 0; i < 3; i++) {
      expect(libraryFilePath('/a', SHA)).toBe(join('/a/library/ab/cd/ef', SHA))
      expect(libraryFilePath('/b', SHA)).toBe(join('/b/library/ab/cd/ef', SHA))
    }
  })

  it('an invalid digest is still refused before any path is made', () => {
    for (const digest of ['../../etc/passwd', 'AB' + SHA.slice(2), SHA.slice(1), '']) expect(() => libraryFilePath('/a', digest)).toThrow(/Invalid digest/)
  })
})
