import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'

import {describe, expect, it} from 'vitest'

import {
  DEFAULT_LEVEL,
  STREAM_THRESHOLD_BYTES,
  availableZstdBackends,
  compressBuffer,
  createCompressStream,
  createDecompressStream,
  decompressBuffer,
  detectFormat,
  gzipBackendFor,
  resolveZstdBackend,
} from '../src/engine/codec/index.js'
import {ZstdFrameWalker, walkZstdFrames} from '../src/engine/codec/zstd-frames.js'
import {HoloError, isHoloError} from '../src/engine/errors.js'
import {CODEC_NAMES, type CodecName, type ZstdBackend} from '../src/engine/types.js'
import {FIXTURES, collect, compressibleText, randomBytes} from './fixtures-codec/helpers.js'

const BACKENDS = availableZstdBackends()
const fixture = (name: string) => readFileSync(join(FIXTURES, name))
const HELLO = fixture('hello.txt')
const LINES = fixture('lines.txt')

/** The codec/backend pairs this process can run: zstd once per available backend. */
const VARIANTS: Array<{codec: CodecName; zstdBackend?: ZstdBackend}> = CODEC_NAMES.flatMap((codec): Array<{codec: CodecName; zstdBackend?: ZstdBackend}> =>
  codec === 'zstd' ? BACKENDS.map((zstdBackend) => ({codec, zstdBackend})) : [{codec}],
)
const label = (v: {codec: CodecName; zstdBackend?: ZstdBackend}) => (v.zstdBackend ? `${v.codec}/${v.zstdBackend}` : v.codec)

async function expectCorrupt(promise: Promise<unknown>, path: string, what?: RegExp): Promise<HoloError> {
  const error = await promise.then(
    () => {
      throw new Error('expected ECORRUPT, but it succeeded')
    },
    (e: unknown) => e,
  )
  expect(isHoloError(error, 'ECORRUPT'), String(error)).toBe(true)
  const holo = error as HoloError
  expect(holo.message).toContain(path)
  expect(holo.path).toBe(path)
  if (what) expect(holo.message).toMatch(what)
  return holo
}

describe('detectFormat', () => {
  it('tells zstd, gzip and raw apart by magic only', () => {
    expect(detectFormat(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x00))).toBe('zstd')
    expect(detectFormat(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd))).toBe('zstd')
    expect(detectFormat(Uint8Array.of(0x1f, 0x8b))).toBe('gzip')
    expect(detectFormat(Uint8Array.of(0x1f, 0x8b, 0x08, 0x00))).toBe('gzip')
    expect(detectFormat(new Uint8Array(0))).toBe('raw')
    expect(detectFormat(Uint8Array.of(0x1f))).toBe('raw')
    expect(detectFormat(Uint8Array.of(0x28, 0xb5, 0x2f))).toBe('raw')
    expect(detectFormat(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfe))).toBe('raw')
    expect(detectFormat(Uint8Array.of(0x50, 0x2a, 0x4d, 0x18))).toBe('zstd') // a skippable frame first, as pzstd writes
    expect(detectFormat(Uint8Array.of(0x5f, 0x2a, 0x4d, 0x18))).toBe('zstd')
    expect(detectFormat(Uint8Array.of(0x60, 0x2a, 0x4d, 0x18))).toBe('raw')
    expect(detectFormat(Uint8Array.of(0x50, 0x2a, 0x4d))).toBe('raw')
    expect(detectFormat(Buffer.from('#!/bin/sh\n'))).toBe('raw')
    expect(detectFormat(fixture('hello.txt.gz'))).toBe('gzip')
    expect(detectFormat(fixture('lines.pipe.zst'))).toBe('zstd')
  })
})

describe('zstd backends', () => {
  it('has napi on every supported platform and zlib exactly when node:zlib has zstd', async () => {
    const zlib = await import('node:zlib')
    expect(BACKENDS).toContain('napi')
    expect(BACKENDS.includes('zlib')).toBe(typeof (zlib as unknown as {zstdCompress?: unknown}).zstdCompress === 'function')
  })

  it('resolves auto to an available backend and rejects unavailable or unknown ones with EUSAGE', () => {
    expect(BACKENDS).toContain(resolveZstdBackend('auto'))
    for (const b of BACKENDS) expect(resolveZstdBackend(b)).toBe(b)
    if (!BACKENDS.includes('zlib')) {
      expect(() => resolveZstdBackend('zlib')).toThrow(/zlib.*not available/)
      try {
        resolveZstdBackend('zlib')
      } catch (e) {
        expect(isHoloError(e, 'EUSAGE')).toBe(true)
      }
    }
    expect(() => resolveZstdBackend('brotli' as ZstdBackend)).toThrow(HoloError)
  })
})

describe('compressBuffer / decompressBuffer round trips', () => {
  const inputs: Array<[string, Buffer]> = [
    ['empty', Buffer.alloc(0)],
    ['one byte', Buffer.from('x')],
    ['hello', HELLO],
    ['random 100 KiB', randomBytes(100 * 1024)],
    ['text 1 MiB', compressibleText(1 << 20)],
  ]
  for (const v of VARIANTS) {
    it(`${label(v)} round-trips every input`, async () => {
      for (const [name, data] of inputs) {
        const stored = await compressBuffer(v.codec, data, {zstdBackend: v.zstdBackend})
        const expected = v.codec === 'none' ? 'raw' : v.codec === 'zstd' ? 'zstd' : 'gzip'
        if (v.codec !== 'none' || data.length > 0) expect(detectFormat(stored), name).toBe(v.codec === 'none' ? detectFormat(data) : expected)
        const back = await decompressBuffer(stored, {zstdBackend: v.zstdBackend, gzipBackend: gzipBackendFor(v.codec), expectedSize: data.length})
        expect(back.equals(data), `${label(v)} ${name}`).toBe(true)
      }
    })
  }

  it('none returns the very buffer it was given', async () => {
    const data = Buffer.from('as is')
    expect(await compressBuffer('none', data)).toBe(data)
    expect(await decompressBuffer(data)).toBe(data)
  })

  it('gzip written by pako reads with node:zlib and the other way round', async () => {
    const data = compressibleText(200_000)
    const pure = await compressBuffer('gzip-pure', data)
    const native = await compressBuffer('gzip', data)
    expect((await decompressBuffer(pure, {gzipBackend: 'zlib'})).equals(data)).toBe(true)
    expect((await decompressBuffer(native, {gzipBackend: 'pako'})).equals(data)).toBe(true)
  })

  it('zstd written by each backend reads with every backend (standard frames)', async () => {
    const data = compressibleText(300_000)
    for (const writer of BACKENDS) {
      const stored = await compressBuffer('zstd', data, {zstdBackend: writer})
      for (const reader of BACKENDS) {
        expect((await decompressBuffer(stored, {zstdBackend: reader})).equals(data), `${writer} -> ${reader}`).toBe(true)
      }
    }
  })

  it('defaults to level 1 (RCC: gzip BestSpeed, zstd SpeedFastest) and honours other levels', async () => {
    expect(DEFAULT_LEVEL).toMatchObject({gzip: 1, 'gzip-pure': 1, zstd: 1})
    const data = compressibleText(512 * 1024)
    const gzDefault = await compressBuffer('gzip', data)
    expect(gzDefault.equals(await compressBuffer('gzip', data, {level: 1}))).toBe(true)
    expect(gzDefault[8]).toBe(4) // gzip XFL 4 = fastest algorithm
    expect((await compressBuffer('gzip', data, {level: 9})).length).toBeLessThan(gzDefault.length)
    for (const zstdBackend of BACKENDS) {
      const z1 = await compressBuffer('zstd', data, {zstdBackend})
      expect(z1.equals(await compressBuffer('zstd', data, {zstdBackend, level: 1})), zstdBackend).toBe(true)
      // The napi wrapper in @mongodb-js/zstd drops the level; the binding we call must not.
      const z19 = await compressBuffer('zstd', data, {zstdBackend, level: 19})
      expect(z19.length, zstdBackend).toBeLessThan(z1.length * 0.95)
    }
  })

  it('rejects bad levels and codecs with EUSAGE', async () => {
    await expect(compressBuffer('gzip', HELLO, {level: 10})).rejects.toMatchObject({code: 'EUSAGE'})
    await expect(compressBuffer('zstd', HELLO, {level: 1.5})).rejects.toMatchObject({code: 'EUSAGE'})
    await expect(compressBuffer('lz4' as CodecName, HELLO)).rejects.toMatchObject({code: 'EUSAGE'})
  })
})

describe('fixtures written by the gzip and zstd programs', () => {
  const cases: Array<[string, Buffer]> = [
    ['hello.txt.gz', HELLO],
    ['hello-lines.multi.gz', Buffer.concat([HELLO, LINES])],
    ['lines.pipe.zst', LINES],
    ['lines.nocheck.zst', LINES],
    ['lines.check19.zst', LINES],
    ['hello-lines.multi.zst', Buffer.concat([HELLO, LINES])],
  ]
  for (const [name, expected] of cases) {
    it(`decodes ${name} whole and streamed, with every backend`, async () => {
      const stored = fixture(name)
      for (const zstdBackend of BACKENDS) {
        for (const gzipBackend of ['zlib', 'pako'] as const) {
          expect((await decompressBuffer(stored, {zstdBackend, gzipBackend})).equals(expected)).toBe(true)
          for (const chunk of [1, 7, 1 << 20]) {
            const out = await collect(stored, createDecompressStream({zstdBackend, gzipBackend}), chunk)
            expect(out.equals(expected), `${name} ${zstdBackend} ${gzipBackend} chunk ${chunk}`).toBe(true)
          }
        }
      }
    })
  }

  it('sees a frame without content size in lines.pipe.zst', () => {
    const [frame] = walkZstdFrames(fixture('lines.pipe.zst'))
    expect(frame.header.contentSize).toBeUndefined()
    expect(frame.header.hasChecksum).toBe(true)
    expect(walkZstdFrames(fixture('lines.nocheck.zst'))[0].header).toMatchObject({contentSize: LINES.length, hasChecksum: false})
  })

  it('skips skippable frames between and before frames', async () => {
    const skippable = Buffer.from([0x5e, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9])
    const a = fixture('lines.pipe.zst')
    const stored = Buffer.concat([a, skippable, a, Buffer.from([0x50, 0x2a, 0x4d, 0x18, 0, 0, 0, 0])])
    for (const zstdBackend of BACKENDS) {
      expect((await decompressBuffer(stored, {zstdBackend})).equals(Buffer.concat([LINES, LINES]))).toBe(true)
      expect((await collect(stored, createDecompressStream({zstdBackend}), 5)).equals(Buffer.concat([LINES, LINES]))).toBe(true)
    }
  })
})

describe('corrupt and truncated input', () => {
  const path = 'library/ab/cd/ef/abcdef0123'
  const text = compressibleText(200_000)

  it('truncated zstd is ECORRUPT naming the path, whole or streamed, at any cut', async () => {
    for (const zstdBackend of BACKENDS) {
      const stored = await compressBuffer('zstd', text, {zstdBackend})
      for (const cut of [5, 6, 12, Math.floor(stored.length / 2), stored.length - 1]) {
        const part = stored.subarray(0, cut)
        await expectCorrupt(decompressBuffer(part, {zstdBackend, path}), path, /zstd/)
        await expectCorrupt(collect(part, createDecompressStream({zstdBackend, path}), 1000), path, /zstd/)
      }
    }
  })

  it('a zstd frame from a pipe cut before its checksum is ECORRUPT', async () => {
    const stored = fixture('lines.pipe.zst')
    for (const zstdBackend of BACKENDS) {
      await expectCorrupt(decompressBuffer(stored.subarray(0, stored.length - 2), {zstdBackend, path}), path)
      await expectCorrupt(collect(stored.subarray(0, stored.length - 2), createDecompressStream({zstdBackend, path})), path, /truncated/)
    }
  })

  it('garbage after zstd frames, damaged headers and damaged checksums are ECORRUPT', async () => {
    const good = fixture('lines.check19.zst')
    const trailing = Buffer.concat([good, Buffer.from('garbage!')])
    const reserved = Buffer.from(good)
    reserved[4] |= 0x08 // reserved bit of the frame header descriptor
    const badChecksum = Buffer.from(good)
    badChecksum[badChecksum.length - 1] ^= 0xff
    for (const zstdBackend of BACKENDS) {
      for (const bad of [trailing, reserved, badChecksum]) {
        await expectCorrupt(decompressBuffer(bad, {zstdBackend, path}), path)
      }
      await expectCorrupt(collect(trailing, createDecompressStream({zstdBackend, path})), path, /unknown magic/)
      await expectCorrupt(collect(reserved, createDecompressStream({zstdBackend, path})), path, /reserved/)
      await expectCorrupt(collect(badChecksum, createDecompressStream({zstdBackend, path})), path)
    }
  })

  it('truncated or damaged gzip is ECORRUPT with both gzip backends', async () => {
    const stored = gzipSync(text)
    const damaged = Buffer.from(stored)
    damaged[damaged.length - 6] ^= 0xff // CRC32
    for (const gzipBackend of ['zlib', 'pako'] as const) {
      for (const bad of [stored.subarray(0, 2), stored.subarray(0, 20), stored.subarray(0, stored.length - 1), damaged]) {
        await expectCorrupt(decompressBuffer(bad, {gzipBackend, path}), path, /gzip/)
        await expectCorrupt(collect(bad, createDecompressStream({gzipBackend, path}), 333), path, /gzip/)
      }
    }
  })

  it('a size other than the expected one is ECORRUPT, for every format', async () => {
    for (const v of VARIANTS) {
      const stored = await compressBuffer(v.codec, text, {zstdBackend: v.zstdBackend})
      await expectCorrupt(decompressBuffer(stored, {zstdBackend: v.zstdBackend, expectedSize: text.length + 1, path}), path, /expected/)
      await expectCorrupt(collect(stored, createDecompressStream({zstdBackend: v.zstdBackend, expectedSize: text.length - 1, path})), path, /expected/)
    }
  })

  it('an empty stream decodes to nothing and a raw stream passes through', async () => {
    expect((await collect(Buffer.alloc(0), createDecompressStream())).length).toBe(0)
    expect((await collect(Buffer.from('ab'), createDecompressStream(), 1)).toString()).toBe('ab')
    expect((await collect(Buffer.from([0x1f]), createDecompressStream())).equals(Buffer.from([0x1f]))).toBe(true)
  })
})

describe('ZstdFrameWalker', () => {
  it('gives the same frames and bytes however the input is split', async () => {
    const frames = await Promise.all([compressBuffer('zstd', compressibleText(300_000)), compressBuffer('zstd', Buffer.alloc(0))])
    const input = Buffer.concat([frames[0], Buffer.from([0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 1, 2]), frames[1], fixture('lines.pipe.zst'), frames[0]])
    const whole = walkZstdFrames(input)
    expect(whole.map((f) => f.end - f.start)).toEqual([frames[0].length, frames[1].length, fixture('lines.pipe.zst').length, frames[0].length])
    const random = randomBytes(4096, 99)
    for (let trial = 0; trial < 20; trial++) {
      const walker = new ZstdFrameWalker()
      const data: Buffer[] = []
      let starts = 0
      let ends = 0
      let pos = 0
      let r = trial
      while (pos < input.length) {
        const size = 1 + (random[r++ % random.length] % (trial < 10 ? 9 : 70_000))
        for (const e of walker.push(input.subarray(pos, pos + size))) {
          if (e.type === 'data') data.push(Buffer.from(e.bytes))
          else if (e.type === 'start') starts++
          else ends++
        }
        pos += size
      }
      walker.end()
      expect([starts, ends]).toEqual([4, 4])
      // Every byte but the skippable frame's is reported, in order.
      expect(Buffer.concat(data).equals(Buffer.concat([frames[0], frames[1], fixture('lines.pipe.zst'), frames[0]]))).toBe(true)
    }
  })

  it('bounds a frame without content size by its blocks', () => {
    const [frame] = walkZstdFrames(fixture('lines.pipe.zst'))
    expect(frame.bound).toBeGreaterThanOrEqual(LINES.length)
    expect(frame.bound).toBeLessThanOrEqual(128 * 1024)
  })
})

describe('streams', () => {
  it('STREAM_THRESHOLD_BYTES is a few MiB', () => {
    expect(STREAM_THRESHOLD_BYTES).toBeGreaterThanOrEqual(1 << 20)
    expect(STREAM_THRESHOLD_BYTES).toBeLessThanOrEqual(64 << 20)
  })

  for (const v of VARIANTS) {
    it(`${label(v)} stream output matches the whole-buffer decoder, for empty and small input`, async () => {
      for (const data of [Buffer.alloc(0), HELLO, compressibleText(5 << 20)]) {
        const stored = await collect(data, createCompressStream(v.codec, {zstdBackend: v.zstdBackend}), 100_000)
        expect((await decompressBuffer(stored, {zstdBackend: v.zstdBackend, gzipBackend: gzipBackendFor(v.codec)})).equals(data)).toBe(true)
        const back = await collect(stored, createDecompressStream({zstdBackend: v.zstdBackend, gzipBackend: gzipBackendFor(v.codec)}), 65_536)
        expect(back.equals(data)).toBe(true)
      }
    })
  }

  it('zstd streams are several independent frames', async () => {
    const data = compressibleText(9 << 20)
    for (const zstdBackend of BACKENDS) {
      const stored = await collect(data, createCompressStream('zstd', {zstdBackend}))
      expect(walkZstdFrames(stored).length).toBe(3)
    }
  })
})

describe('gunzip into one buffer of the expected size', () => {
  const data = compressibleText(300_000)
  const members = Buffer.concat([gzipSync(data.subarray(0, 100_000)), gzipSync(data.subarray(100_000))])

  it('gives the same bytes, multi-member included, at the expected size', async () => {
    expect((await decompressBuffer(members, {expectedSize: data.length})).equals(data)).toBe(true)
    expect((await decompressBuffer(gzipSync(Buffer.alloc(0)), {expectedSize: 0})).length).toBe(0)
  })

  it('still stops one byte past an expected size that is too small, and says so', async () => {
    const error = await decompressBuffer(members, {expectedSize: data.length - 1, path: 'lib/x'}).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(isHoloError(error) && error.code === 'ECORRUPT' && /more than the 299999 bytes expected/.test(error.message)).toBe(true)
  })

  it('an expected size larger than the content is ECORRUPT (decoded to fewer bytes)', async () => {
    const error = await decompressBuffer(members, {expectedSize: data.length + 10, path: 'lib/x'}).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(isHoloError(error) && error.code === 'ECORRUPT').toBe(true)
  })
})
