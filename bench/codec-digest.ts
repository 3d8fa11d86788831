/**
 * Digest throughput: SHA-256 (OpenSSL via node:crypto) and our streaming SipHash-2-4-128 (RCC's
 * `compress.no` digest), on a big buffer fed in 1 MiB updates and on many small files.
 *
 *   npx tsx bench/codec-digest.ts
 */
import {createDigester, digestBuffer} from '../src/engine/digest.js'
import type {DigestAlgorithm} from '../src/engine/types.js'

const big = Buffer.alloc(256 << 20)
for (let i = 0, x = 1; i < big.length; i += 4) {
  x ^= x << 13; x ^= x >>> 17; x ^= x << 5
  big.writeInt32LE(x | 0, i)
}
const small = Array.from({length: 20_000}, (_, i) => big.subarray(i * 4099, i * 4099 + 256 + (i % 8) * 512))

console.log(`node ${process.version}`)
for (const alg of ['sha256', 'siphash128'] as DigestAlgorithm[]) {
  const rates: number[] = []
  for (let round = 0; round < 5; round++) {
    const start = performance.now()
    const d = createDigester(alg)
    for (let i = 0; i < big.length; i += 1 << 20) d.update(big.subarray(i, i + (1 << 20)))
    d.digest()
    rates.push(big.length / 1e6 / ((performance.now() - start) / 1000))
  }
  const smallBytes = small.reduce((n, b) => n + b.length, 0)
  const start = performance.now()
  for (const b of small) digestBuffer(alg, b)
  const us = ((performance.now() - start) * 1000) / small.length
  rates.sort((a, b) => a - b)
  console.log(`${alg.padEnd(11)} ${rates[2].toFixed(0).padStart(6)} MB/s (median of 5, 256 MiB in 1 MiB updates)   ${us.toFixed(2)} µs per ${Math.round(smallBytes / small.length)}-byte file`)
}
