/**
 * zstd frames other tools write (issue 14 item 3): skippable frames (pzstd starts every file
 * with one) are skipped wherever they stand, and a frame that needs a dictionary gets an error
 * that says so, with the dictionary id. Real `pzstd` and `zstd --train`/`-D` output.
 */
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadCatalog} from '../src/engine/catalog.js'
import {availableZstdBackends, createDecompressStream, decompressBuffer, detectFormat} from '../src/engine/codec/index.js'
import {drop} from '../src/engine/drop.js'
import {isHoloError} from '../src/engine/errors.js'
import {lift} from '../src/engine/lift.js'
import {collect, compressibleText, hasProgram, run} from './fixtures-codec/helpers.js'
import {libraryPath} from './helpers/hololib.js'
import {IDENTITY, tempDir} from './helpers/tree.js'

const BACKENDS = availableZstdBackends()
const HAVE_TOOLS = hasProgram('pzstd') && hasProgram('zstd')
/** Several MiB, so that pzstd cuts it into several frames (each after a skippable frame). */
const TEXT = compressibleText(9 << 20, 11)
const SMALL = compressibleText(50_000, 12)

/** A skippable frame (magic 0x184D2A50 + n) holding `bytes`. */
function skippable(n: number, bytes: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32LE(0x184d2a50 + n, 0)
  head.writeUInt32LE(bytes.length, 4)
  return Buffer.concat([head, bytes])
}

describe.runIf(HAVE_TOOLS)('skippable zstd frames', () => {
  let pz: Buffer
  let pzSmall: Buffer
  beforeAll(() => {
    pz = run('pzstd', ['-q', '-p', '2', '-1', '-c'], TEXT)
    pzSmall = run('pzstd', ['-q', '-1', '-c'], SMALL)
  })

  it('a pzstd file starts with a skippable frame and is detected as zstd', () => {
    expect(pz.readUInt32LE(0)).toBe(0x184d2a50)
    expect(detectFormat(pz)).toBe('zstd')
    expect(detectFormat(pzSmall)).toBe('zstd')
  })

  it('pzstd output decodes whole and streamed with every backend', async () => {
    for (const zstdBackend of BACKENDS) {
      expect((await decompressBuffer(pzSmall, {zstdBackend, expectedSize: SMALL.length})).equals(SMALL)).toBe(true)
      expect((await decompressBuffer(pz, {zstdBackend, expectedSize: TEXT.length})).equals(TEXT)).toBe(true)
      expect((await collect(pz, createDecompressStream({zstdBackend, expectedSize: TEXT.length}), 100_000)).equals(TEXT)).toBe(true)
    }
  })

  it('skippable frames at the start, between frames and at the end are skipped', async () => {
    const zstd = run('zstd', ['-q', '-1', '-c'], SMALL)
    const stored = Buffer.concat([skippable(0, Buffer.from('seekable index?')), zstd, skippable(7, Buffer.alloc(0)), zstd, skippable(15, Buffer.from([1, 2, 3]))])
    const expected = Buffer.concat([SMALL, SMALL])
    for (const zstdBackend of BACKENDS) {
      expect((await decompressBuffer(stored, {zstdBackend})).equals(expected)).toBe(true)
      expect((await collect(stored, createDecompressStream({zstdBackend}), 7)).equals(expected)).toBe(true)
    }
  })

  it('a file of skippable frames only is empty zstd data', async () => {
    const stored = skippable(3, Buffer.from('nothing else'))
    for (const zstdBackend of BACKENDS) {
      expect((await decompressBuffer(stored, {zstdBackend, expectedSize: 0})).length).toBe(0)
      expect((await collect(stored, createDecompressStream({zstdBackend}), 5)).length).toBe(0)
    }
  })

  describe('a hololib whose files pzstd rewrote', () => {
    let dir = ''
    let cleanup = async () => {}
    beforeAll(async () => {
      ;({dir, cleanup} = await tempDir())
    })
    afterAll(() => cleanup())

    it('restores byte for byte, small files and streamed big ones', async () => {
      const tree = join(dir, IDENTITY)
      await fsp.mkdir(tree)
      await fsp.writeFile(join(tree, 'big.txt'), TEXT)
      await fsp.writeFile(join(tree, 'small.txt'), SMALL)
      const library = join(dir, 'lib')
      const {catalog} = await lift({source: tree, library, codec: 'zstd', fsync: false})
      const files = (await loadCatalog(catalog)).tree.files
      await fsp.writeFile(libraryPath(library, files['big.txt'].digest), pz)
      await fsp.writeFile(libraryPath(library, files['small.txt'].digest), pzSmall)
      for (const zstdBackend of BACKENDS) {
        const target = join(dir, `out-${zstdBackend}`, IDENTITY)
        const result = await drop({catalog, target, zstdBackend})
        expect(result.formats.zstd).toBe(2)
        expect((await fsp.readFile(join(target, 'big.txt'))).equals(TEXT)).toBe(true)
        expect((await fsp.readFile(join(target, 'small.txt'))).equals(SMALL)).toBe(true)
      }
    }, 60_000)
  })
})

describe.runIf(HAVE_TOOLS)('zstd frames that need a dictionary', () => {
  let dir = ''
  let cleanup = async () => {}
  let framed: Buffer
  let dictionaryId = 0
  beforeAll(async () => {
    ;({dir, cleanup} = await tempDir())
    const samples = join(dir, 'samples')
    await fsp.mkdir(samples)
    for (let i = 0; i < 300; i++) {
      await fsp.writeFile(join(samples, `s${i}.json`), JSON.stringify({name: `pkg${i}`, version: `1.${i}.0`, deps: [`a${i % 7}`, `b${i % 11}`], description: `package number ${i}`}))
    }
    const dictionary = join(dir, 'dict')
    run('zstd', ['-q', '--train', '--maxdict=4096', '-o', dictionary, ...Array.from({length: 300}, (_, i) => join(samples, `s${i}.json`))])
    const bytes = await fsp.readFile(dictionary)
    expect(bytes.readUInt32LE(0)).toBe(0xec30a437) // a zstd dictionary
    dictionaryId = bytes.readUInt32LE(4)
    framed = run('zstd', ['-q', '-D', dictionary, '-c', join(samples, 's5.json')])
  }, 60_000)
  afterAll(() => cleanup())

  it('is an error that says a dictionary is required, with its id, whole and streamed, with every backend', async () => {
    const path = 'library/ab/cd/ef/abcdef'
    for (const zstdBackend of BACKENDS) {
      for (const attempt of [decompressBuffer(framed, {path, zstdBackend}), collect(framed, createDecompressStream({path, zstdBackend}), 16)]) {
        const error = await attempt.then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(isHoloError(error, 'ECORRUPT'), String(error)).toBe(true)
        const holo = error as {message: string; data?: Record<string, unknown>}
        expect(holo.message).toContain(path)
        expect(holo.message).toContain(`needs dictionary ${dictionaryId}`)
        expect(holo.message).not.toMatch(/corrupt or truncated/)
        expect(holo.data?.dictionaryId).toBe(dictionaryId)
      }
    }
  })

  it('drop names the catalog entry whose library file needs the dictionary', async () => {
    const tree = join(dir, IDENTITY)
    await fsp.mkdir(tree, {recursive: true})
    await fsp.copyFile(join(dir, 'samples', 's5.json'), join(tree, 's5.json'))
    const library = join(dir, 'lib')
    const {catalog} = await lift({source: tree, library, codec: 'zstd', fsync: false})
    await fsp.writeFile(libraryPath(library, (await loadCatalog(catalog)).tree.files['s5.json'].digest), framed)
    const error = await drop({catalog, target: join(dir, 'out', IDENTITY)}).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect((error as Error).message).toMatch(new RegExp(`s5\\.json.*needs dictionary ${dictionaryId}`))
  })
})
