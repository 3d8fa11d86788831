/**
 * Small zstd frames decoded in groups (src/engine/codec/zstd-coalesce.ts): a group's output is
 * split back by each frame's declared content size, so a wrong split would hand one file another
 * file's bytes (misattribution), and one bad frame must not fail or shift its neighbours.
 * The frames are built here by the format's own rules (RFC 8878 §3.1.1: raw and RLE blocks, a
 * 4-byte Frame_Content_Size), independent of any compressor, as the zstd fork's frames declare
 * their sizes and holobench's own do not. Sizes come from a seeded generator (seed printed).
 */
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'

import {loadCatalog} from '../src/engine/catalog.js'
import {availableZstdBackends, decompressBuffer} from '../src/engine/codec/index.js'
import {seededRandom} from '../src/bench/random.js'
import {decodeCoalesced} from '../src/engine/codec/zstd-coalesce.js'
import * as napi from '../src/engine/codec/zstd-napi.js'
import {drop} from '../src/engine/drop.js'
import {isHoloError} from '../src/engine/errors.js'
import {lift} from '../src/engine/lift.js'
import {libraryPath} from './helpers/hololib.js'
import {IDENTITY, tempDir} from './helpers/tree.js'

vi.mock('../src/engine/codec/zstd-napi.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/engine/codec/zstd-napi.js')>()
  return {...original, napiDecompress: vi.fn(original.napiDecompress)}
})

const HAVE_NAPI = availableZstdBackends().includes('napi')
const SEED = Number(process.env.HOLOBENCH_TEST_SEED ?? 20261130)
console.log(`zstd-coalesce: seed ${SEED} (replay with HOLOBENCH_TEST_SEED=${SEED})`)

/**
 * One zstd frame of `content`: single segment, Frame_Content_Size in 4 bytes (declaring
 * `declared`, the true size unless a test lies), no checksum; blocks of at most 128 KiB, raw, or
 * RLE where a block is one repeated byte.
 */
function frame(content: Buffer, declared = content.length): Buffer {
  const head = Buffer.alloc(9)
  head.writeUInt32LE(0xfd2fb528, 0)
  head[4] = 0xa0 // FCS field 4 bytes (flag 2), Single_Segment_flag
  head.writeUInt32LE(declared, 5)
  const parts: Uint8Array[] = [head]
  let at = 0
  do {
    const block = content.subarray(at, at + 128 * 1024)
    at += block.length
    const last = at >= content.length ? 1 : 0
    const rle = block.length > 0 && block.every((b) => b === block[0])
    const header = Buffer.alloc(3)
    header.writeUIntLE(last | ((rle ? 1 : 0) << 1) | (block.length << 3), 0, 3)
    parts.push(header, rle ? block.subarray(0, 1) : block)
  } while (at < content.length)
  return Buffer.concat(parts)
}

/** `count` contents of seeded sizes (0 to ~70 KiB), some of one repeated byte (RLE blocks). */
function contents(count: number, seed: number): Buffer[] {
  const next = seededRandom(seed)
  return Array.from({length: count}, (_, i) => {
    const size = i === 0 ? 0 : Math.floor(next() ** 3 * 70_000)
    if (next() < 0.2) return Buffer.alloc(size, i & 0xff)
    return Buffer.from(Array.from({length: size}, () => Math.floor(next() * 256)))
  })
}

describe.runIf(HAVE_NAPI)('zstd frames decoded in groups', () => {
  it('misattribution: every frame of a group gets exactly its own content, in fewer native calls', async () => {
    const expected = contents(48, SEED)
    const calls = vi.mocked(napi.napiDecompress).mock.calls.length
    const decoded = await Promise.all(expected.map((c) => decodeCoalesced(frame(c), c.length)))
    for (let i = 0; i < expected.length; i++) expect(decoded[i].equals(expected[i]), `frame ${i} (${expected[i].length} bytes)`).toBe(true)
    const used = vi.mocked(napi.napiDecompress).mock.calls.length - calls
    expect(used).toBeGreaterThan(0)
    expect(used).toBeLessThan(expected.length / 4)
  })

  it('a frame that lies about its size fails alone: its neighbours in the group still decode', async () => {
    const expected = contents(12, SEED + 1).map((c, i) => (c.length === 0 ? Buffer.alloc(100, i) : c))
    for (const lie of [-1, +1]) {
      const liar = 5
      const results = await Promise.allSettled(expected.map((c, i) => decodeCoalesced(frame(c, i === liar ? c.length + lie : c.length), i === liar ? c.length + lie : c.length)))
      for (let i = 0; i < expected.length; i++) {
        const result = results[i]
        if (i === liar) expect(result.status, `declared ${lie > 0 ? 'more' : 'less'}`).toBe('rejected')
        else expect(result.status === 'fulfilled' && result.value.equals(expected[i]), `frame ${i}`).toBe(true)
      }
    }
  })

  it('decompressBuffer with the catalog size: a lying header is ECORRUPT, a true one decodes', async () => {
    const content = contents(3, SEED + 2)[2]
    expect((await decompressBuffer(frame(content), {zstdBackend: 'napi', expectedSize: content.length})).equals(content)).toBe(true)
    const error = await decompressBuffer(frame(content, content.length + 3), {zstdBackend: 'napi', expectedSize: content.length, path: 'lib/x', entry: 'a.py'}).catch((e: unknown) => e)
    expect(isHoloError(error) && error.code === 'ECORRUPT' && error.message.includes('a.py')).toBe(true)
  })

  describe('a hololib whose small files declare their sizes (as the zstd fork writes them)', () => {
    let dir = ''
    let cleanup = async () => {}
    const files = contents(120, SEED + 3)
    let catalog = ''
    let library = ''
    beforeAll(async () => {
      ;({dir, cleanup} = await tempDir())
      const tree = join(dir, IDENTITY)
      await fsp.mkdir(join(tree, 'pkg'), {recursive: true})
      await Promise.all(files.map((c, i) => fsp.writeFile(join(tree, 'pkg', `f${i}.bin`), c)))
      library = join(dir, 'lib')
      ;({catalog} = await lift({source: tree, library, codec: 'zstd', fsync: false}))
      const entries = (await loadCatalog(catalog)).tree.subdirs.pkg.files
      await Promise.all(files.map((c, i) => fsp.writeFile(libraryPath(library, entries[`f${i}.bin`].digest), frame(c))))
    })
    afterAll(() => cleanup())

    it('misattribution: drops with one lane and with several restore every file byte for byte', async () => {
      for (const jobs of [1, 3]) {
        const target = join(dir, `out-${jobs}`, IDENTITY)
        const result = await drop({catalog, target, jobs, durable: false})
        expect(result.formats.zstd).toBeGreaterThan(100)
        for (let i = 0; i < files.length; i++) expect((await fsp.readFile(join(target, 'pkg', `f${i}.bin`))).equals(files[i]), `f${i}.bin, jobs ${jobs}`).toBe(true)
      }
    }, 60_000)

    it('a library file whose header lies about its size fails the drop, naming its entry', async () => {
      const entries = (await loadCatalog(catalog)).tree.subdirs.pkg.files
      const victim = files.findIndex((c) => c.length > 1000)
      await fsp.writeFile(libraryPath(library, entries[`f${victim}.bin`].digest), frame(files[victim], files[victim].length - 1))
      for (const verify of [true, false]) {
        const error = await drop({catalog, target: join(dir, `bad-${verify}`, IDENTITY), verify, durable: false}).catch((e: unknown) => e)
        expect(isHoloError(error) && error.code === 'ECORRUPT', String(error)).toBe(true)
        expect((error as Error).message).toContain(`pkg/f${victim}.bin`)
      }
    }, 60_000)
  })
})
