/** Interoperability with the real `zstd` and `gzip` programs, spawned live. */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {
  availableZstdBackends,
  compressBuffer,
  createCompressStream,
  createDecompressStream,
  decompressBuffer,
} from '../src/engine/codec/index.js'
import {walkZstdFrames} from '../src/engine/codec/zstd-frames.js'
import {NATIVE_FRAME_MAX_BYTES} from '../src/engine/codec/zstd-stream.js'
import {collect, compressibleText, hasProgram, randomBytes, run, sha256, throughStream} from './fixtures-codec/helpers.js'

const BACKENDS = availableZstdBackends()
const HAS_ZSTD = hasProgram('zstd')
const HAS_GZIP = hasProgram('gzip')
const dir = mkdtempSync(join(tmpdir(), 'holobench-codec-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const TEXT = compressibleText(3 << 20, 11)
const MIXED = Buffer.concat([randomBytes(300_000, 5), compressibleText(700_000, 12)])

/** Decodes `stored` whole and streamed with every backend and expects `expected`. */
async function expectDecodes(stored: Buffer, expected: Buffer, what: string): Promise<void> {
  for (const zstdBackend of BACKENDS) {
    expect((await decompressBuffer(stored, {zstdBackend})).equals(expected), `${what} whole ${zstdBackend}`).toBe(true)
    expect((await collect(stored, createDecompressStream({zstdBackend}), 100_003)).equals(expected), `${what} stream ${zstdBackend}`).toBe(true)
  }
}

describe.runIf(HAS_ZSTD)('zstd program -> holobench', () => {
  it('reads a frame written from a pipe (no content size), with and without checksum', async () => {
    for (const args of [['-c'], ['-c', '--no-check'], ['-c', '--check', '-19'], ['-c', '-1', '--single-thread']]) {
      const input = args.includes('-19') ? MIXED : TEXT // -19 is slow
      const stored = run('zstd', ['-q', ...args], input)
      expect(walkZstdFrames(stored)[0].header.contentSize, args.join(' ')).toBeUndefined()
      await expectDecodes(stored, input, `pipe ${args.join(' ')}`)
    }
  })

  it('reads files written with a content size, and concatenated frames (cat a.zst b.zst)', async () => {
    writeFileSync(join(dir, 'a'), TEXT)
    writeFileSync(join(dir, 'b'), MIXED)
    run('zstd', ['-q', '-f', '--no-check', join(dir, 'a'), '-o', join(dir, 'a.zst')])
    run('zstd', ['-q', '-f', '--check', '-3', join(dir, 'b'), '-o', join(dir, 'b.zst')])
    const a = readFileSync(join(dir, 'a.zst'))
    const b = readFileSync(join(dir, 'b.zst'))
    expect(walkZstdFrames(a)[0].header.contentSize).toBe(TEXT.length)
    await expectDecodes(a, TEXT, 'a.zst')
    const cat = run('cat', [join(dir, 'a.zst'), join(dir, 'b.zst'), join(dir, 'a.zst')])
    expect(cat.equals(Buffer.concat([a, b, a]))).toBe(true)
    await expectDecodes(cat, Buffer.concat([TEXT, MIXED, TEXT]), 'cat')
  })

  it('streams a single CLI frame bigger than the whole-frame limit, with and without content size', async () => {
    const big = compressibleText(NATIVE_FRAME_MAX_BYTES + (2 << 20), 13)
    const bigSha = sha256(big)
    writeFileSync(join(dir, 'big'), big)
    run('zstd', ['-q', '-f', '-1', '--single-thread', join(dir, 'big'), '-o', join(dir, 'big.zst')])
    const withSize = readFileSync(join(dir, 'big.zst'))
    const fromPipe = run('zstd', ['-q', '-c', '-1'], big)
    expect(walkZstdFrames(withSize)).toHaveLength(1)
    expect(walkZstdFrames(fromPipe)).toHaveLength(1)
    for (const stored of [withSize, fromPipe]) {
      for (const zstdBackend of BACKENDS) {
        const out = await throughStream(stored, createDecompressStream({zstdBackend}), 1 << 20)
        expect(out.sha256).toBe(bigSha)
      }
      if (BACKENDS.includes('zlib')) {
        const pure = await throughStream(stored, createDecompressStream({hugeZstdFrames: 'fzstd'}), 1 << 20)
        expect(pure.sha256).toBe(bigSha)
      }
    }
  })
})

describe.runIf(HAS_ZSTD)('holobench -> zstd program', () => {
  it('zstd -d reads what every backend writes, whole and streamed (multi-frame)', async () => {
    const data = compressibleText(9 << 20, 21)
    for (const zstdBackend of BACKENDS) {
      for (const level of [1, 3, 19]) {
        const stored = await compressBuffer('zstd', MIXED, {zstdBackend, level})
        expect(run('zstd', ['-d', '-c', '-q'], stored).equals(MIXED), `${zstdBackend} L${level}`).toBe(true)
      }
      const streamed = await collect(data, createCompressStream('zstd', {zstdBackend}))
      expect(walkZstdFrames(streamed).length).toBeGreaterThan(1)
      expect(sha256(run('zstd', ['-d', '-c', '-q'], streamed))).toBe(sha256(data))
      const empty = await compressBuffer('zstd', Buffer.alloc(0), {zstdBackend})
      expect(run('zstd', ['-d', '-c', '-q'], empty).length).toBe(0)
    }
  })
})

describe.runIf(HAS_GZIP)('gzip program <-> holobench', () => {
  it('reads gzip -1/-9 output and concatenated members with both gzip backends', async () => {
    const g1 = run('gzip', ['-1', '-c'], TEXT)
    const g9 = run('gzip', ['-9', '-c', '-n'], MIXED)
    for (const gzipBackend of ['zlib', 'pako'] as const) {
      for (const [stored, expected] of [[g1, TEXT], [g9, MIXED], [Buffer.concat([g1, g9, g1]), Buffer.concat([TEXT, MIXED, TEXT])]] as const) {
        expect((await decompressBuffer(stored, {gzipBackend})).equals(expected)).toBe(true)
        expect((await collect(stored, createDecompressStream({gzipBackend}), 65_537)).equals(expected)).toBe(true)
      }
    }
  })

  it('gzip -d reads what gzip and gzip-pure write, whole and streamed', async () => {
    for (const codec of ['gzip', 'gzip-pure'] as const) {
      expect(run('gzip', ['-d', '-c'], await compressBuffer(codec, MIXED)).equals(MIXED), codec).toBe(true)
      expect(run('gzip', ['-d', '-c'], await collect(TEXT, createCompressStream(codec))).equals(TEXT), codec).toBe(true)
    }
  })
})
