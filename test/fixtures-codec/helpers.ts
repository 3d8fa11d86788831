/** Shared helpers for the codec and digest tests (not a test file itself). */
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {Readable, Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import type {Transform} from 'node:stream'
import {fileURLToPath} from 'node:url'

export const FIXTURES = fileURLToPath(new URL('.', import.meta.url))

export function hasProgram(name: string): boolean {
  return spawnSync(name, ['--version'], {stdio: 'ignore'}).status === 0
}

/** Runs a program with input on stdin; returns stdout (throws on a non-zero exit). */
export function run(program: string, args: string[], input?: Uint8Array): Buffer {
  const result = spawnSync(program, args, {input, maxBuffer: 1 << 30})
  if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} exited ${result.status}: ${result.stderr?.toString()}`)
  return result.stdout
}

/** Deterministic xorshift32 random bytes. */
export function randomBytes(n: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(n)
  let x = seed >>> 0 || 1
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** Deterministic compressible text (random words from a small vocabulary), ratio about 3. */
export function compressibleText(n: number, seed = 7): Buffer {
  const words: Buffer[] = []
  let x = seed >>> 0 || 1
  const next = () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    return x >>> 0
  }
  for (let i = 0; i < 2048; i++) {
    const len = 2 + (next() % 9)
    let w = ''
    for (let j = 0; j < len; j++) w += String.fromCharCode(97 + (next() % 26))
    words.push(Buffer.from(w + (next() % 11 === 0 ? '\n' : ' ')))
  }
  const out = Buffer.allocUnsafe(n)
  let pos = 0
  while (pos < n) {
    const w = words[next() & 2047]
    pos += w.copy(out, pos, 0, Math.min(w.length, n - pos))
  }
  return out
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Feeds `input` in `chunkSize` pieces through a transform; returns the output's size and sha256. */
export async function throughStream(input: Buffer | Readable, transform: Transform, chunkSize = 1 << 20): Promise<{size: number; sha256: string; chunks: number}> {
  const hash = createHash('sha256')
  let size = 0
  let chunks = 0
  const source = Buffer.isBuffer(input) ? Readable.from(slices(input, chunkSize)) : input
  await pipeline(source, transform, new Writable({
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk)
      size += chunk.length
      chunks++
      callback()
    },
  }))
  return {size, sha256: hash.digest('hex'), chunks}
}

/** Collects a transform's whole output for input fed in pieces. */
export async function collect(input: Buffer, transform: Transform, chunkSize = 1 << 20): Promise<Buffer> {
  const parts: Buffer[] = []
  await pipeline(Readable.from(slices(input, chunkSize)), transform, new Writable({
    write(chunk: Buffer, _encoding, callback) {
      parts.push(chunk)
      callback()
    },
  }))
  return Buffer.concat(parts)
}

function* slices(data: Buffer, size: number): Generator<Buffer> {
  if (data.length === 0) return
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size)
}
