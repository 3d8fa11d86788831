/**
 * Per-call cost of decompressing small files, as a restore does it: thousands of 1-16 KiB files,
 * 8 in flight. Compares the raw primitives (gunzipSync vs async gunzip, pako, zstd napi, zstd
 * zlib sync vs async where node:zlib has zstd) and holobench's decompressBuffer, then finds where
 * sync stops beating the pool as files grow, and where streaming catches up with whole buffers.
 *
 *   npx tsx bench/codec-small.ts [--files N] [--concurrency N] [--rounds N]
 *
 * The corpus is the project's own node_modules (*.js, *.json, *.md of 1-16 KiB): real text,
 * cycled up to --files. Methods run round-robin, ROUNDS times each; the median is reported.
 */
import {createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {promisify} from 'node:util'
import zlib from 'node:zlib'
import {createRequire} from 'node:module'

import {ungzip} from 'pako'

import {availableZstdBackends, compressBuffer, createDecompressStream, decompressBuffer} from '../src/engine/codec/index.js'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : fallback
}
const FILES = option('files', 3000)
const CONCURRENCY = option('concurrency', 8)
const ROUNDS = option('rounds', 7)

interface Napi {
  compress(data: Buffer, level: number): Promise<Buffer>
  decompress(data: Buffer): Promise<Buffer>
}
const napi = createRequire(import.meta.url)('@mongodb-js/zstd/bindings') as Napi
const z = zlib as unknown as {
  zstdDecompressSync?: (b: Buffer) => Buffer
  zstdDecompress?: (b: Buffer, cb: (e: Error | null, r: Buffer) => void) => void
}
const gunzipAsync = promisify(zlib.gunzip)
const zstdZlibAsync = z.zstdDecompress ? promisify(z.zstdDecompress) : undefined

function corpus(root: string, limit: number, min = 1024, max = 16 * 1024): Buffer[] {
  const out: Buffer[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      if (out.length >= limit) return
      const p = join(dir, entry.name)
      if (entry.isDirectory()) walk(p)
      else if (entry.isFile() && /\.(js|json|md|ts|map)$/.test(entry.name)) {
        const size = statSync(p).size
        if (size >= min && size <= max) out.push(readFileSync(p))
      }
    }
  }
  walk(root)
  return out
}

/** One pass of fn over all inputs with `concurrency` in flight, in µs per call. */
async function pass(inputs: Buffer[], concurrency: number, fn: (b: Buffer) => Promise<unknown> | unknown): Promise<number> {
  let next = 0
  const start = process.hrtime.bigint()
  await Promise.all(Array.from({length: concurrency}, async () => {
    while (next < inputs.length) await fn(inputs[next++])
  }))
  return Number(process.hrtime.bigint() - start) / 1000 / inputs.length
}

interface Method {
  name: string
  inputs: Buffer[]
  fn: (b: Buffer) => Promise<unknown> | unknown
  concurrency?: number
}

/** Runs the methods round-robin (so drift and GC hit all alike); median µs per call of each. */
async function compare(methods: Method[]): Promise<number[]> {
  const samples = methods.map(() => [] as number[])
  for (const m of methods) await pass(m.inputs.slice(0, 200), m.concurrency ?? CONCURRENCY, m.fn) // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, m] of methods.entries()) samples[i].push(await pass(m.inputs, m.concurrency ?? CONCURRENCY, m.fn))
  }
  return samples.map((s) => s.sort((a, b) => a - b)[s.length >> 1])
}

const found = corpus(new URL('../node_modules', import.meta.url).pathname, FILES)
const files = Array.from({length: FILES}, (_, i) => found[i % found.length])
const totalBytes = files.reduce((n, f) => n + f.length, 0)
const median = [...files].sort((a, b) => a.length - b.length)[files.length >> 1].length
console.log(`node ${process.version}, ${files.length} calls over ${found.length} distinct files of 1-16 KiB (median ${median} B), ${CONCURRENCY} in flight, median of ${ROUNDS} rounds`)

const gz = files.map((f) => zlib.gzipSync(f, {level: 1}))
const zs = await Promise.all(files.map((f) => napi.compress(f, 1)))
const backends = availableZstdBackends()

const methods: Method[] = [
  {name: 'gzip  zlib gunzipSync', inputs: gz, fn: (b) => zlib.gunzipSync(b)},
  {name: 'gzip  zlib gunzip (async, pool)', inputs: gz, fn: (b) => gunzipAsync(b)},
  {name: 'gzip  pako ungzip', inputs: gz, fn: (b) => ungzip(b)},
  {name: 'zstd  napi decompress (async, pool)', inputs: zs, fn: (b) => napi.decompress(b)},
  {name: 'zstd  napi decompress, 1 in flight', inputs: zs, fn: (b) => napi.decompress(b), concurrency: 1},
]
if (z.zstdDecompressSync) {
  const sync = z.zstdDecompressSync
  methods.push({name: 'zstd  zlib zstdDecompressSync', inputs: zs, fn: (b) => sync(b)})
  methods.push({name: 'zstd  zlib zstdDecompress (async, pool)', inputs: zs, fn: (b) => zstdZlibAsync!(b)})
}
methods.push({name: 'decompressBuffer gzip', inputs: gz, fn: (b) => decompressBuffer(b)})
methods.push({name: 'decompressBuffer gzip (pako)', inputs: gz, fn: (b) => decompressBuffer(b, {gzipBackend: 'pako'})})
for (const zstdBackend of backends) methods.push({name: `decompressBuffer zstd/${zstdBackend}`, inputs: zs, fn: (b) => decompressBuffer(b, {zstdBackend})})
methods.push({name: 'decompressBuffer raw', inputs: files, fn: (b) => decompressBuffer(b)})
const perFile = totalBytes / files.length
for (const [i, us] of (await compare(methods)).entries()) {
  console.log(`${methods[i].name.padEnd(44)} ${us.toFixed(1).padStart(7)} µs/call  ${(perFile / us).toFixed(0).padStart(5)} MB/s`)
}

// Where does sync stop winning? Same text, growing sizes, fewer files for the big ones.
console.log('\nsync vs pool by uncompressed size (µs/call, 8 in flight; stored gzip/zstd size in brackets):')
const text = Buffer.concat(found)
for (const size of [1 << 10, 4 << 10, 8 << 10, 16 << 10, 32 << 10, 64 << 10, 256 << 10, 1 << 20]) {
  const count = Math.max(16, Math.min(2000, (32 << 20) / size))
  const span = Math.max(1, text.length - size)
  const raw = Array.from({length: count}, (_, i) => text.subarray((i * 7919) % span, ((i * 7919) % span) + size))
  const g = raw.map((b) => zlib.gzipSync(b, {level: 1}))
  const zz = await Promise.all(raw.map((b) => compressBuffer('zstd', b)))
  const ms: Method[] = [
    {name: 'gunzipSync', inputs: g, fn: (b) => zlib.gunzipSync(b)},
    {name: 'gunzip', inputs: g, fn: (b) => gunzipAsync(b)},
    {name: 'napi', inputs: zz, fn: (b) => napi.decompress(b)},
  ]
  if (z.zstdDecompressSync) {
    const sync = z.zstdDecompressSync
    ms.push({name: 'zlib-zstd sync', inputs: zz, fn: (b) => sync(b)})
    ms.push({name: 'zlib-zstd async', inputs: zz, fn: (b) => zstdZlibAsync!(b)})
  }
  const us = await compare(ms)
  const avg = (list: Buffer[]) => Math.round(list.reduce((n, b) => n + b.length, 0) / list.length / 1024)
  console.log(`  ${String(size >> 10).padStart(5)} KiB [${avg(g)}/${avg(zz)} KiB]: ${ms.map((m, i) => `${m.name} ${us[i].toFixed(0)}`).join('  ')}`)
}

// Whole buffer vs stream by file size: where STREAM_THRESHOLD_BYTES should sit (one file at a time,
// read from disk, as a restore of a big file does; peak memory of the whole path is the file's size).
console.log('\nwhole buffer (readFile + decompressBuffer) vs stream (createReadStream + createDecompressStream), ms per file:')
{
  const scratch = mkdtempSync(join(tmpdir(), 'holobench-codec-small-'))
  const source = Buffer.concat(Array.from({length: Math.ceil((16 << 20) / text.length)}, () => text))
  try {
    for (const size of [256 << 10, 1 << 20, 4 << 20, 16 << 20]) {
      const raw = source.subarray(0, size)
      const cells: string[] = []
      for (const codec of ['gzip', 'zstd'] as const) {
        const file = join(scratch, `${size}.${codec}`)
        writeFileSync(file, await compressBuffer(codec, raw))
        const whole = async () => decompressBuffer(await readFile(file))
        const streamed = () => pipeline(createReadStream(file, {highWaterMark: 1 << 20}), createDecompressStream(), new Writable({write: (_c, _e, cb) => cb()}))
        const count = Math.max(3, Math.min(50, (64 << 20) / size))
        const inputs = Array.from({length: count}, () => raw)
        const [w, s] = await compare([
          {name: 'whole', inputs, fn: whole, concurrency: 1},
          {name: 'stream', inputs, fn: streamed, concurrency: 1},
        ])
        cells.push(`${codec} whole ${(w / 1000).toFixed(2)} stream ${(s / 1000).toFixed(2)}`)
      }
      console.log(`  ${String(size >> 10).padStart(6)} KiB: ${cells.join('   ')}`)
    }
  } finally {
    rmSync(scratch, {recursive: true, force: true})
  }
}
