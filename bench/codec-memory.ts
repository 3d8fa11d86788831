/**
 * Proof of bounded memory: streams a generated 1.5 GiB compressible file through every codec
 * (compress, then decompress and verify the sha256), and decodes a single-frame 1.5 GiB file
 * written by the `zstd` program, each in a fresh child process, and prints each one's peak RSS
 * (process.resourceUsage().maxRSS). The goal: every peak under 512 MB.
 *
 *   npx tsx bench/codec-memory.ts [--size-mib 1536] [--dir <scratch dir>] [--only <case substring>] [--keep]
 */
import {spawn, spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {createReadStream, createWriteStream, existsSync, mkdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {fileURLToPath} from 'node:url'

import {availableZstdBackends, createCompressStream, createDecompressStream, gzipBackendFor} from '../src/engine/codec/index.js'
import type {CodecName, ZstdBackend} from '../src/engine/types.js'

const args = process.argv.slice(2)
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const MiB = 1024 * 1024

interface ChildResult {
  case: string
  seconds: number
  inBytes: number
  outBytes: number
  maxRssMB: number
  sha256?: string
}

/** Child side: run one case and print its result as JSON. */
async function child(kind: string, codec: CodecName, backend: ZstdBackend | undefined, input: string, output: string): Promise<void> {
  const start = performance.now()
  let outBytes = 0
  let sha256: string | undefined
  if (kind === 'compress') {
    const out = createWriteStream(output)
    await pipeline(createReadStream(input, {highWaterMark: MiB}), createCompressStream(codec, {zstdBackend: backend}), out)
    outBytes = statSync(output).size
  } else {
    const hash = createHash('sha256')
    const sink = new Writable({
      highWaterMark: MiB,
      write(chunk: Buffer, _encoding, callback) {
        hash.update(chunk)
        outBytes += chunk.length
        callback()
      },
    })
    await pipeline(createReadStream(input, {highWaterMark: MiB}), createDecompressStream({zstdBackend: backend, gzipBackend: gzipBackendFor(codec)}), sink)
    sha256 = hash.digest('hex')
  }
  const result: ChildResult = {
    case: '',
    seconds: (performance.now() - start) / 1000,
    inBytes: statSync(input).size,
    outBytes,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    sha256,
  }
  process.stdout.write(JSON.stringify(result) + '\n')
}

/** Writes `bytes` of compressible text (random words, ratio ~2.5-3), varying block by block. */
async function generate(path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256')
  const vocabulary: Buffer[] = []
  let x = 12345
  const next = () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    return x >>> 0
  }
  for (let i = 0; i < 4096; i++) {
    let w = ''
    const len = 2 + (next() % 10)
    for (let j = 0; j < len; j++) w += String.fromCharCode(97 + (next() % 26))
    vocabulary.push(Buffer.from(w + (next() % 13 === 0 ? '\n' : ' ')))
  }
  const out = createWriteStream(path)
  const block = Buffer.allocUnsafe(8 * MiB)
  for (let written = 0; written < bytes; ) {
    let pos = 0
    while (pos < block.length) pos += vocabulary[next() & 4095].copy(block, pos)
    const chunk = Buffer.from(block.subarray(0, Math.min(block.length, bytes - written)))
    hash.update(chunk)
    written += chunk.length
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
  return hash.digest('hex')
}

function runChild(name: string, childArgs: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', ...childArgs], {stdio: ['ignore', 'pipe', 'inherit']})
    let stdout = ''
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    p.on('error', reject)
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${name}: child exited ${code}`))
      resolve({...(JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult), case: name})
    })
  })
}

async function main(): Promise<void> {
  if (args[0] === '--child') {
    const [, kind, codec, backend, input, output] = args
    await child(kind, codec as CodecName, backend === '-' ? undefined : (backend as ZstdBackend), input, output)
    return
  }
  const sizeMiB = Number(option('size-mib') ?? 1536)
  const dir = option('dir') ?? join(tmpdir(), 'holobench-codec-memory')
  const only = option('only')
  mkdirSync(dir, {recursive: true})
  const input = join(dir, 'input.txt')
  console.log(`node ${process.version}; ${sizeMiB} MiB input in ${dir}; zstd backends: ${availableZstdBackends().join(', ')}`)
  let t = performance.now()
  const expected = await generate(input, sizeMiB * MiB)
  console.log(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s, sha256 ${expected.slice(0, 16)}…`)

  const rows: Array<ChildResult & {ok: boolean}> = []
  const record = (r: ChildResult, ok: boolean) => {
    rows.push({...r, ok})
    const mbps = (Math.max(r.inBytes, r.outBytes) / 1e6 / r.seconds).toFixed(0)
    console.log(`${r.case.padEnd(34)} ${r.seconds.toFixed(1).padStart(6)} s ${mbps.padStart(5)} MB/s  peak RSS ${r.maxRssMB.toFixed(0).padStart(4)} MB  ${ok ? 'ok' : 'FAILED'}`)
  }
  const wanted = (name: string) => !only || name.includes(only)

  // Baseline: a child that loads everything and streams nothing much.
  if (wanted('baseline')) {
    await generate(join(dir, 'small.txt'), MiB)
    record(await runChild('baseline (1 MiB, none)', ['compress', 'none', '-', join(dir, 'small.txt'), join(dir, 'small.out')]), true)
  }

  const variants: Array<{codec: CodecName; backend?: ZstdBackend}> = [
    {codec: 'zstd', backend: 'napi'},
    ...(availableZstdBackends().includes('zlib') ? [{codec: 'zstd' as const, backend: 'zlib' as const}] : []),
    {codec: 'gzip'},
    {codec: 'gzip-pure'},
    {codec: 'none'},
  ]
  for (const v of variants) {
    const label = v.backend ? `${v.codec}/${v.backend}` : v.codec
    const stored = join(dir, `stored.${label.replace('/', '-')}`)
    if (wanted(`${label} compress`)) {
      const r = await runChild(`${label} compress`, ['compress', v.codec, v.backend ?? '-', input, stored])
      record(r, r.outBytes > 0)
    }
    if (wanted(`${label} decompress`) && existsSync(stored)) {
      const r = await runChild(`${label} decompress`, ['decompress', v.codec, v.backend ?? '-', stored, '-'])
      record(r, r.sha256 === expected)
    }
    if (!args.includes('--keep')) rmSync(stored, {force: true})
  }

  // A single frame of the whole file, written by the zstd program (with and without content size).
  const hasZstd = spawnSync('zstd', ['--version'], {stdio: 'ignore'}).status === 0
  if (!hasZstd) console.log('zstd program not found: skipping the CLI single-frame cases')
  for (const mode of hasZstd ? ['file', 'pipe'] : []) {
    const name = `zstd CLI single frame (${mode})`
    if (!wanted(name)) continue
    const stored = join(dir, `cli-${mode}.zst`)
    t = performance.now()
    const cmd = mode === 'file' ? `zstd -q -f -1 --single-thread "${input}" -o "${stored}"` : `zstd -q -1 --single-thread -c < "${input}" > "${stored}"`
    if (spawnSync('sh', ['-c', cmd], {stdio: 'inherit'}).status !== 0) throw new Error(`${cmd} failed`)
    console.log(`  (${cmd.split(' "')[0]}: ${((performance.now() - t) / 1000).toFixed(1)} s, ${(statSync(stored).size / MiB).toFixed(0)} MiB)`)
    for (const backend of availableZstdBackends()) {
      const r = await runChild(`${name} ${backend}`, ['decompress', 'zstd', backend, stored, '-'])
      record(r, r.sha256 === expected)
    }
    if (!args.includes('--keep')) rmSync(stored, {force: true})
  }
  if (!args.includes('--keep')) rmSync(dir, {recursive: true, force: true})

  const worst = Math.max(...rows.map((r) => r.maxRssMB))
  const failed = rows.filter((r) => !r.ok)
  console.log(`\nhighest peak RSS ${worst.toFixed(0)} MB (limit 512 MB); ${failed.length === 0 ? 'all outputs verified' : `${failed.length} FAILED`}`)
  if (failed.length > 0 || worst >= 512) process.exitCode = 1
}

await main()
