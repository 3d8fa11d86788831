/**
 * holobench's zstd frames declare their content size (codec/zstd-frames.ts withContentSize), as
 * the zstd CLI and the RCC fork's encoder write them: the binding writes none, so the header is
 * rewritten. Faults this catches: a header field at the wrong place or of the wrong width (the
 * frame no longer decodes, or declares another size), and frames that already carry a size or
 * are not the binding's shape being changed. The CLI (an independent decoder) reads them too.
 */
import {execFileSync} from 'node:child_process'

import {describe, expect, it} from 'vitest'

import {compressBuffer, decompressBuffer} from '../src/engine/codec/index.js'
import {walkZstdFrames, withContentSize} from '../src/engine/codec/zstd-frames.js'
import {napiAvailable, napiCompress} from '../src/engine/codec/zstd-napi.js'
import {hasProgram} from './fixtures-codec/helpers.js'

/** Sizes at the edges of the 2-byte (256..65791) and 4-byte fields. */
const SIZES = [0, 1, 255, 256, 257, 65_791, 65_792, 300_000]

function content(size: number): Buffer {
  const data = Buffer.alloc(size)
  for (let i = 0; i < size; i++) data[i] = (i * 31 + (i >> 7)) & 0xff
  return data
}

describe.runIf(napiAvailable())('zstd frames with their content size', () => {
  it('field width and place: every size is declared exactly and decodes back, by holobench and by the zstd CLI', async () => {
    for (const size of SIZES) {
      const data = content(size)
      const stored = await compressBuffer('zstd', data, {zstdBackend: 'napi'})
      const frames = walkZstdFrames(stored)
      expect(frames.length).toBe(1)
      expect(frames[0].header.contentSize, `size ${size}`).toBe(size)
      expect((await decompressBuffer(stored, {zstdBackend: 'napi', expectedSize: size})).equals(data)).toBe(true)
      if (hasProgram('zstd')) expect(execFileSync('zstd', ['-q', '-d', '-c'], {input: stored, maxBuffer: 1 << 24}).equals(data), `CLI, size ${size}`).toBe(true)
    }
  })

  it('the field costs 2 bytes from 256 to 65,791 and 4 bytes otherwise; the blocks are untouched', async () => {
    for (const size of SIZES) {
      const raw = await napiCompress(content(size), 1)
      const added = withContentSize(raw, size)
      if (walkZstdFrames(raw)[0].header.contentSize !== undefined) {
        expect(added).toBe(raw) // already declared (the binding's empty frame): left as it is
        continue
      }
      expect(added.length - raw.length, `size ${size}`).toBe(size >= 256 && size <= 65_791 ? 2 : 4)
      expect(added.subarray(added.length - (raw.length - 6)).equals(raw.subarray(6))).toBe(true)
    }
  })

  it('frames that are not the binding’s shape come back unchanged', async () => {
    const raw = await napiCompress(content(1000), 1)
    const declared = withContentSize(raw, 1000)
    expect(withContentSize(declared, 1000)).toBe(declared) // has a size already
    const singleSegment = Buffer.from(raw)
    singleSegment[4] |= 0x20
    expect(withContentSize(singleSegment, 1000)).toBe(singleSegment)
    const dictionary = Buffer.from(raw)
    dictionary[4] |= 0x01
    expect(withContentSize(dictionary, 1000)).toBe(dictionary)
    const notZstd = Buffer.from('plain text, not a frame')
    expect(withContentSize(notZstd, notZstd.length)).toBe(notZstd)
  })
})
