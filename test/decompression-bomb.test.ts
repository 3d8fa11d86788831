/**
 * Decompression bombs (issue 13 item 8): every decode stops at the size it was promised + 1 byte
 * and fails naming the library file and the catalog entry; catalogs have a cap; a real drop,
 * check and inspect of a bombed library stay in bounded memory (peak RSS of a child process).
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {gzipSync} from 'node:zlib'

import {afterAll, beforeAll, describe, expect, it, onTestFinished} from 'vitest'

import {catalogMaxBytes, DEFAULT_CATALOG_MAX_BYTES, loadCatalog} from '../src/engine/catalog.js'
import {availableZstdBackends, compressBuffer, createDecompressStream, decompressBuffer, type HugeFrameDecoder} from '../src/engine/codec/index.js'
import {fzstdDecompressFrame} from '../src/engine/codec/zstd-fzstd.js'
import {HoloError, isHoloError} from '../src/engine/errors.js'
import {lift} from '../src/engine/lift.js'
import {hasProgram} from './fixtures-codec/helpers.js'
import {REPO, libraryPath} from './helpers/hololib.js'
import {IDENTITY, tempDir} from './helpers/tree.js'

const BACKENDS = availableZstdBackends()
const MiB = 1024 * 1024
const GiB = 1024 * MiB
const PATH = 'library/ab/cd/ef/abcdef'
const ENTRY = 'lib/tiny.txt'
/** Peak RSS a bombed operation may reach: a bare child (tsx, the engine) sits near 150 MB. */
const RSS_LIMIT_MB = 400

/** 1 GiB of zeros as real gzip: 1024 members of 1 MiB each (gzip(1), Go and RCC read them all). */
function gzipBomb(mib = 1024): Buffer {
  const member = gzipSync(Buffer.alloc(MiB), {level: 9})
  return Buffer.concat(Array.from({length: mib}, () => member))
}

/**
 * One zstd frame of `mib` MiB of zeros, as the zstd CLI writes zeros: RLE blocks of 128 KiB, 4
 * bytes each. No content size unless `contentSize` is given (then an 8-byte field says so).
 */
function zstdBomb(mib = 1024, contentSize?: number): Buffer {
  const blocks = mib * 8
  const header = contentSize === undefined ? Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]) : Buffer.alloc(14)
  if (contentSize !== undefined) {
    header.set([0x28, 0xb5, 0x2f, 0xfd, 0xc0, 0x38]) // FCS flag 3 (8 bytes), window 128 KiB
    header.writeBigUInt64LE(BigInt(contentSize), 6)
  }
  const body = Buffer.alloc(4 * blocks)
  for (let i = 0; i < blocks; i++) {
    body.writeUIntLE((i === blocks - 1 ? 1 : 0) | (1 << 1) | ((128 * 1024) << 3), 4 * i, 3)
  }
  return Buffer.concat([header, body])
}

async function rejection(promise: Promise<unknown>): Promise<HoloError> {
  const error = await promise.then(
    () => new Error('expected a failure, but it succeeded'),
    (e: unknown) => e,
  )
  expect(isHoloError(error, 'ECORRUPT'), String(error)).toBe(true)
  return error as HoloError
}

/** Pipes `stored` through a decompress stream; returns how many bytes came out and the error. */
async function streamed(stored: Buffer, options: Parameters<typeof createDecompressStream>[0]): Promise<{passed: number; error: unknown}> {
  let passed = 0
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      passed += chunk.length
      callback()
    },
  })
  const source = async function* () {
    for (let i = 0; i < stored.length; i += 64 * 1024) yield stored.subarray(i, i + 64 * 1024)
  }
  const error = await pipeline(source, createDecompressStream(options), sink).then(
    () => undefined,
    (e: unknown) => e,
  )
  return {passed, error}
}

describe('decompression bomb: whole-buffer decodes', () => {
  const cases: Array<{name: string; stored: () => Buffer; options: Record<string, unknown>}> = [
    {name: 'gzip (node:zlib)', stored: () => gzipBomb(), options: {}},
    {name: 'gzip (pako)', stored: () => gzipBomb(), options: {gzipBackend: 'pako'}},
    ...BACKENDS.map((zstdBackend) => ({name: `zstd without content size (${zstdBackend})`, stored: () => zstdBomb(), options: {zstdBackend}})),
  ]
  for (const c of cases) {
    it(`${c.name}: stops past the declared size and names the file and the entry`, async () => {
      const error = await rejection(decompressBuffer(c.stored(), {path: PATH, entry: ENTRY, expectedSize: 10, ...c.options}))
      expect(error.message).toContain(PATH)
      expect(error.message).toContain(ENTRY)
      expect(error.message).toMatch(/more than the 10 bytes expected/)
      expect(error.data).toMatchObject({limit: 10, entry: ENTRY})
    })
  }

  it('zstd declaring more than expected in its frame header fails before decoding, with every backend', async () => {
    for (const zstdBackend of BACKENDS) {
      const error = await rejection(decompressBuffer(zstdBomb(1024, GiB), {path: PATH, entry: ENTRY, expectedSize: 10, zstdBackend}))
      expect(error.message).toMatch(/frame headers declare 1073741824 bytes, more than the 10 bytes expected/)
    }
  })

  it('zstd whose frame header understates its content is stopped too (napi would decode past it)', async () => {
    const understated = zstdBomb(1024, 8 * MiB)
    for (const zstdBackend of BACKENDS) {
      const error = await rejection(decompressBuffer(understated, {path: PATH, entry: ENTRY, expectedSize: 8 * MiB, zstdBackend}))
      expect(error.message).toMatch(/more than the 8388608 bytes expected|decoded to/)
      const {passed} = await streamed(understated, {path: PATH, entry: ENTRY, expectedSize: 8 * MiB, zstdBackend})
      expect(passed).toBeLessThanOrEqual(8 * MiB)
    }
  })

  it('a frame header declaring more than its blocks can hold is malformed, not allocated', async () => {
    const lying = zstdBomb(1, 2 ** 40) // 1 MiB of blocks, a 1 TiB content size
    for (const zstdBackend of BACKENDS) {
      const error = await rejection(decompressBuffer(lying, {path: PATH, maxSize: 2 ** 41, zstdBackend}))
      expect(error.message).toMatch(/declares 1099511627776 bytes, more than its blocks can hold/)
    }
  })

  it('fzstd, the last-resort decoder, stops at the limit too', () => {
    expect(() => fzstdDecompressFrame(zstdBomb(), 10)).toThrow(/more than 10 bytes/)
    expect(fzstdDecompressFrame(zstdBomb(1), MiB).length).toBe(MiB)
  })

  it('without a declared size, whole buffers stop at maxSize', async () => {
    const error = await rejection(decompressBuffer(gzipBomb(), {path: PATH, maxSize: 3 * MiB}))
    expect(error.message).toMatch(/more than the 3145728-byte limit/)
  })

  it('legitimate data at exactly the declared size still decodes, in every codec', async () => {
    const data = Buffer.from('x'.repeat(300_000) + 'end')
    for (const codec of ['gzip', 'gzip-pure', 'zstd'] as const) {
      const stored = await compressBuffer(codec, data)
      const gzipBackend = codec === 'gzip-pure' ? 'pako' : 'zlib'
      expect((await decompressBuffer(stored, {expectedSize: data.length, gzipBackend})).equals(data)).toBe(true)
    }
  })
})

describe('decompression bomb: streams', () => {
  const declared = 8 * MiB
  const huge: HugeFrameDecoder[] = ['fzstd', ...(hasProgram('zstd') ? (['cli'] as const) : []), ...(BACKENDS.includes('zlib') ? (['zlib'] as const) : [])]
  const cases: Array<{name: string; stored: () => Buffer; options: Record<string, unknown>}> = [
    {name: 'gzip (node:zlib)', stored: () => gzipBomb(), options: {}},
    {name: 'gzip (pako)', stored: () => gzipBomb(), options: {gzipBackend: 'pako'}},
    ...BACKENDS.flatMap((zstdBackend) => huge.map((hugeZstdFrames) => ({name: `zstd (${zstdBackend}, huge frames by ${hugeZstdFrames})`, stored: () => zstdBomb(), options: {zstdBackend, hugeZstdFrames}}))),
  ]
  for (const c of cases) {
    it(`${c.name}: pass on no byte past the declared size, then fail naming the entry`, async () => {
      const {passed, error} = await streamed(c.stored(), {path: PATH, entry: ENTRY, expectedSize: declared, ...c.options})
      expect(isHoloError(error, 'ECORRUPT'), String(error)).toBe(true)
      expect((error as Error).message).toContain(ENTRY)
      expect(passed).toBeLessThanOrEqual(declared)
    })
  }

  it('a zstd frame declaring more than expected fails before any output', async () => {
    const {passed, error} = await streamed(zstdBomb(1024, GiB), {path: PATH, entry: ENTRY, expectedSize: declared})
    expect((error as Error).message).toMatch(/declare 1073741824 bytes/)
    expect(passed).toBe(0)
  })
})

describe('decompression bomb: catalog cap', () => {
  it('is 128 MiB unless HOLOBENCH_MAX_CATALOG_BYTES overrides it; a bad override is a usage error', () => {
    expect(catalogMaxBytes({})).toBe(DEFAULT_CATALOG_MAX_BYTES)
    expect(DEFAULT_CATALOG_MAX_BYTES).toBe(128 * MiB)
    expect(catalogMaxBytes({HOLOBENCH_MAX_CATALOG_BYTES: '1000'})).toBe(1000)
    for (const bad of ['0', '-5', '1e9', 'lots', '1.5']) expect(() => catalogMaxBytes({HOLOBENCH_MAX_CATALOG_BYTES: bad})).toThrow(/positive whole number/)
  })

  it('a catalog that decodes past the cap is refused naming it and the cap', async () => {
    const {dir, cleanup} = await tempDir()
    try {
      const path = join(dir, 'bomb.catalog')
      await fsp.writeFile(path, gzipBomb(256))
      const error = await rejection(loadCatalog(path))
      expect(error.message).toContain(path)
      expect(error.message).toMatch(/catalog cap of 134217728 bytes \(HOLOBENCH_MAX_CATALOG_BYTES raises it\)/)
    } finally {
      await cleanup()
    }
  })
})

/** Runs bench/rss-child.ts: one engine operation in a fresh process, with its peak RSS. */
interface ChildResult {
  maxRssMB: number
  error?: {code?: string; message: string}
  detail?: {unreadable?: Array<{code: string; message: string}>}
}

/**
 * Through `sh`, which forks the child rather than exec'ing it: Linux carries the RSS of the
 * process that execs into the new program's peak (ru_maxrss), so a child spawned straight from
 * this test process would report at least this process's own size.
 */
function child(env: NodeJS.ProcessEnv, ...args: string[]): ChildResult {
  const argv = [process.execPath, '--import', 'tsx', join(REPO, 'bench/rss-child.ts'), ...args]
  const out = execFileSync('sh', ['-c', '"$@"; exit $?', 'sh', ...argv], {cwd: REPO, encoding: 'utf8', env: {...process.env, ...env}})
  return JSON.parse(out.trim().split('\n').pop() as string)
}

describe('decompression bomb: drop, check and inspect in bounded memory', () => {
  let dir = ''
  let cleanup = async () => {}
  const libs: Record<'gzip' | 'zstd', {library: string; catalog: string; tiny: string; big: string}> = {} as never

  beforeAll(async () => {
    ;({dir, cleanup} = await tempDir())
    const tree = join(dir, IDENTITY)
    await fsp.mkdir(join(tree, 'lib'), {recursive: true})
    await fsp.writeFile(join(tree, 'lib', 'tiny.txt'), 'ten bytes\n')
    await fsp.writeFile(join(tree, 'lib', 'big.bin'), Buffer.alloc(8 * MiB, 7))
    for (const codec of ['gzip', 'zstd'] as const) {
      const library = join(dir, `lib-${codec}`)
      const {catalog} = await lift({source: tree, library, codec, fsync: false})
      const files = (await loadCatalog(catalog)).tree.subdirs.lib.files
      const digest = (name: string) => files[name].digest
      libs[codec] = {library, catalog, tiny: libraryPath(library, digest('tiny.txt')), big: libraryPath(library, digest('big.bin'))}
    }
  }, 60_000)
  afterAll(() => cleanup())

  /** Replaces one library file by a bomb; returns what puts the original back. */
  async function bombed(codec: 'gzip' | 'zstd', which: 'tiny' | 'big'): Promise<() => Promise<void>> {
    const path = libs[codec][which]
    const saved = await fsp.readFile(path)
    await fsp.writeFile(path, codec === 'gzip' ? gzipBomb() : zstdBomb())
    return () => fsp.writeFile(path, saved)
  }

  for (const codec of ['gzip', 'zstd'] as const) {
    for (const which of ['tiny', 'big'] as const) {
      it(`drop: a 1 GiB ${codec} bomb behind the ${which} entry fails naming it, in bounded memory, writing nothing past its size`, async () => {
        const restore = await bombed(codec, which)
        onTestFinished(restore)
        const target = join(dir, `out-${codec}-${which}`, IDENTITY)
        const backends = codec === 'zstd' ? BACKENDS : (['napi'] as const)
        for (const backend of backends) {
          await fsp.rm(join(dir, `out-${codec}-${which}`), {recursive: true, force: true})
          const result = child({}, 'drop', libs[codec].catalog, target, backend)
          expect(result.error?.code, JSON.stringify(result)).toBe('ECORRUPT')
          expect(result.error?.message).toContain(`lib/${which === 'tiny' ? 'tiny.txt' : 'big.bin'}`)
          expect(result.maxRssMB).toBeLessThan(RSS_LIMIT_MB)
          const left = await fsp.stat(join(target, 'lib', which === 'tiny' ? 'tiny.txt' : 'big.bin')).catch(() => undefined)
          expect(left === undefined || left.size <= 8 * MiB).toBe(true)
        }
      }, 120_000)
    }
  }

  it('drop: a 1 GiB stored library file behind the tiny entry is refused unread', async () => {
    const path = libs.gzip.tiny
    const saved = await fsp.readFile(path)
    onTestFinished(() => fsp.writeFile(path, saved))
    // Valid gzip of random-looking bytes: only its stored size gives it away before decoding.
    await fsp.writeFile(path, gzipSync(Buffer.from('ten bytes\n')))
    await fsp.truncate(path, GiB + 30) // a sparse tail of zeros: nothing big in this process
    const result = child({}, 'drop', libs.gzip.catalog, join(dir, 'out-stored', IDENTITY))
    expect(result.error?.message, JSON.stringify(result)).toMatch(/lib\/tiny\.txt should be 10 bytes, its library file is 1073741854 bytes/)
    expect(result.maxRssMB, JSON.stringify(result)).toBeLessThan(RSS_LIMIT_MB)
  }, 120_000)

  it('drop, check and inspect: a 1 GiB gzip bomb as the catalog stops at the cap', async () => {
    const catalog = libs.gzip.catalog
    const saved = await fsp.readFile(catalog)
    await fsp.writeFile(catalog, gzipBomb())
    try {
      for (const args of [
        ['drop', catalog, join(dir, 'out-catalog', IDENTITY)],
        ['check', libs.gzip.library],
        ['inspect', catalog],
      ]) {
        const result = child({}, ...args)
        // check reports an unreadable catalog; drop and inspect fail on it.
        const error = args[0] === 'check' ? result.detail?.unreadable?.[0] : result.error
        expect(error?.code, JSON.stringify(result)).toBe('ECORRUPT')
        expect(error?.message).toMatch(/catalog cap/)
        expect(result.maxRssMB, args[0]).toBeLessThan(RSS_LIMIT_MB)
      }
      // The override is honoured: a cap below the real catalog refuses it too.
      const small = child({HOLOBENCH_MAX_CATALOG_BYTES: '1000'}, 'inspect', catalog)
      expect(small.error?.message).toMatch(/catalog cap of 1000 bytes/)
    } finally {
      await fsp.writeFile(catalog, saved)
    }
  }, 120_000)

  it.runIf(hasProgram('zstd'))('drop: a 1 GiB single frame written by the zstd CLI behind the tiny entry', async () => {
    const lib = libs.zstd
    const saved = await fsp.readFile(lib.tiny)
    onTestFinished(() => fsp.writeFile(lib.tiny, saved))
    const made = spawnSync('sh', ['-c', `head -c ${GiB} /dev/zero | zstd -q -1 -c > "$0"`, lib.tiny])
    expect(made.status).toBe(0)
    for (const backend of BACKENDS) {
      const result = child({}, 'drop', lib.catalog, join(dir, 'out-cli', IDENTITY), backend)
      expect(result.error?.message, JSON.stringify(result)).toContain('lib/tiny.txt')
      expect(result.maxRssMB).toBeLessThan(RSS_LIMIT_MB)
      await fsp.rm(join(dir, 'out-cli'), {recursive: true, force: true})
    }
  }, 120_000)
})
