import {setTimeout as sleep} from 'node:timers/promises'
import {gzipSync} from 'node:zlib'
import type {Transform} from 'node:stream'

import {describe, expect, it} from 'vitest'

import {
  availableZstdBackends,
  compressBuffer,
  createCompressStream,
  createDecompressStream,
  gzipBackendFor,
  type HugeFrameDecoder,
} from '../src/engine/codec/index.js'
import {FzstdFrameDecoder} from '../src/engine/codec/zstd-fzstd.js'
import {ZstdFrameWalker, walkZstdFrames} from '../src/engine/codec/zstd-frames.js'
import {NATIVE_FRAME_MAX_BYTES} from '../src/engine/codec/zstd-stream.js'
import {napiCompress} from '../src/engine/codec/zstd-napi.js'
import {CODEC_NAMES, type CodecName, type ZstdBackend} from '../src/engine/types.js'
import {compressibleText, hasProgram, sha256, throughStream} from './fixtures-codec/helpers.js'

const BACKENDS = availableZstdBackends()
const BIG = compressibleText(64 << 20, 3)
const BIG_SHA = sha256(BIG)

/** Streaming decoders for huge frames that work here: fzstd always, the zstd CLI and node:zlib where present. */
const HUGE_DECODERS: HugeFrameDecoder[] = ['fzstd', ...(hasProgram('zstd') ? (['cli'] as const) : []), ...(BACKENDS.includes('zlib') ? (['zlib'] as const) : [])]

const VARIANTS: Array<{codec: CodecName; zstdBackend?: ZstdBackend}> = CODEC_NAMES.flatMap((codec): Array<{codec: CodecName; zstdBackend?: ZstdBackend}> =>
  codec === 'zstd' ? BACKENDS.map((zstdBackend) => ({codec, zstdBackend})) : [{codec}],
)

/** A zstd frame of `blocks` RLE blocks of 128 KiB of one byte: 4 bytes in, 128 KiB out each. */
function zstdBomb(blocks: number): Buffer {
  const out = Buffer.alloc(6 + 4 * blocks)
  out.set([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]) // no content size, no checksum, 128 KiB window
  for (let i = 0; i < blocks; i++) {
    const last = i === blocks - 1 ? 1 : 0
    out.writeUIntLE(last | (1 << 1) | ((128 * 1024) << 3), 6 + 4 * i, 3)
    out[6 + 4 * i + 3] = 0x61
  }
  return out
}

/** Writes `stored` into a decompress stream, reads `readBytes`, then checks what piles up unread. */
async function unreadAfterPartialRead(stream: Transform, stored: Buffer, readBytes: number): Promise<number> {
  let read = 0
  const error: unknown[] = []
  stream.on('error', (e) => error.push(e))
  stream.end(stored)
  while (read < readBytes) {
    const chunk = stream.read() as Buffer | null
    if (chunk === null) await new Promise((resolve) => stream.once('readable', resolve))
    else read += chunk.length
  }
  await sleep(150) // give a runaway decoder time to run away
  const unread = stream.readableLength
  stream.destroy()
  expect(error).toEqual([])
  return unread
}

describe('streaming 64 MiB of compressible data', () => {
  for (const v of VARIANTS) {
    it(`${v.codec}${v.zstdBackend ? '/' + v.zstdBackend : ''} compresses and decompresses it intact`, async () => {
      const parts: Buffer[] = []
      const compress = createCompressStream(v.codec, {zstdBackend: v.zstdBackend})
      compress.on('data', (chunk: Buffer) => parts.push(chunk))
      const done = new Promise((resolve, reject) => {
        compress.on('end', resolve)
        compress.on('error', reject)
      })
      for (let i = 0; i < BIG.length; i += 1 << 20) {
        if (!compress.write(BIG.subarray(i, i + (1 << 20)))) await new Promise((resolve) => compress.once('drain', resolve))
      }
      compress.end()
      await done
      const stored = Buffer.concat(parts)
      if (v.codec !== 'none') expect(stored.length).toBeLessThan(BIG.length / 1.8)
      const back = await throughStream(stored, createDecompressStream({zstdBackend: v.zstdBackend, gzipBackend: gzipBackendFor(v.codec)}), 256 * 1024)
      expect(back.size).toBe(BIG.length)
      expect(back.sha256).toBe(BIG_SHA)
    })
  }
})

describe('zstd frames too big to decode whole', () => {
  // Just above the whole-decode cap (64 MiB), so these frames must be streamed.
  const huge = Buffer.concat([BIG, BIG.subarray(0, 8 << 20)])
  const hugeSha = sha256(huge)

  it('a napi single frame without content size switches to streaming mid-frame', async () => {
    // The binding's own frame: holobench's lift adds the content size (withContentSize), others' frames may lack it.
    const stored = await napiCompress(huge, 1)
    const [frame] = walkZstdFrames(stored)
    expect(frame.header.contentSize).toBeUndefined()
    expect(frame.bound).toBeGreaterThan(NATIVE_FRAME_MAX_BYTES)
    expect(huge.length).toBeGreaterThan(NATIVE_FRAME_MAX_BYTES)
    for (const hugeZstdFrames of HUGE_DECODERS) {
      for (const zstdBackend of BACKENDS) {
        const out = await throughStream(stored, createDecompressStream({zstdBackend, hugeZstdFrames}), 1 << 20)
        expect(out.sha256, `${zstdBackend} ${hugeZstdFrames}`).toBe(hugeSha)
        expect(out.chunks).toBeGreaterThan(10) // streamed, not one whole buffer
      }
    }
  })

  it.runIf(BACKENDS.includes('zlib'))('a zlib single frame with a big content size streams from its start', async () => {
    const stored = await compressBuffer('zstd', huge, {zstdBackend: 'zlib'})
    expect(walkZstdFrames(stored)[0].header.contentSize).toBe(huge.length)
    for (const hugeZstdFrames of HUGE_DECODERS) {
      const out = await throughStream(stored, createDecompressStream({zstdBackend: 'napi', hugeZstdFrames}), 1 << 20)
      expect(out.sha256).toBe(hugeSha)
    }
  })
})

describe('fzstd fed block by block', () => {
  it('decodes correctly and pins no fed chunk (fzstd 0.1.1 leftover-list workaround)', async () => {
    const data = BIG.subarray(0, 3 << 20)
    const stored = await compressBuffer('zstd', data, {zstdBackend: 'napi'})
    const out: Buffer[] = []
    const decoder = new FzstdFrameDecoder(async (chunk) => void out.push(Buffer.from(chunk)))
    const walker = new ZstdFrameWalker()
    let pending: Uint8Array[] = []
    let blocks = 0
    for (const event of walker.push(stored)) {
      if (event.type !== 'data') continue
      pending.push(event.bytes)
      if (!event.blockEnd) continue
      await decoder.write(Buffer.concat(pending))
      pending = []
      blocks++
      expect(decoder.leftoverViews).toBe(0)
    }
    await decoder.end()
    expect(blocks).toBeGreaterThan(20)
    expect(Buffer.concat(out).equals(data)).toBe(true)
  })
})

describe('output is paced by the reader (bounded memory for any ratio)', () => {
  it('a 1 GiB zstd bomb of 32 KiB does not pile up unread output', async () => {
    const bomb = zstdBomb(8192)
    for (const zstdBackend of BACKENDS) {
      const unread = await unreadAfterPartialRead(createDecompressStream({zstdBackend}), bomb, 8 << 20)
      expect(unread, zstdBackend).toBeLessThan(16 << 20)
    }
  })

  it('a small zstd bomb decodes whole, to the right bytes', async () => {
    const out = await throughStream(zstdBomb(100), createDecompressStream())
    expect(out.size).toBe(100 * 128 * 1024)
    expect(out.sha256).toBe(sha256(Buffer.alloc(100 * 128 * 1024, 0x61)))
  })

  it('a 128 MiB gzip bomb does not pile up unread output, with either gzip backend', async () => {
    const bomb = gzipSync(Buffer.alloc(128 << 20), {level: 9})
    for (const gzipBackend of ['zlib', 'pako'] as const) {
      const unread = await unreadAfterPartialRead(createDecompressStream({gzipBackend}), bomb, 8 << 20)
      expect(unread, gzipBackend).toBeLessThan(16 << 20)
    }
  })
})
