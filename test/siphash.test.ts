import {describe, expect, it} from 'vitest'

import {SipHash128, siphash128Hex} from '../src/engine/siphash.js'
import {randomBytes} from './fixtures-codec/helpers.js'

/**
 * vectors_sip128 from the SipHash reference implementation (github.com/veorq/SipHash,
 * vectors.h): key 00 01 .. 0f, message i = the bytes 00 01 .. (i-1). dchest/siphash's New128
 * test (goldenRef128) uses the same table with Sum(nil), so Go's byte order is this one.
 */
const VECTORS_SIP128 = [
  'a3817f04ba25a8e66df67214c7550293', 'da87c1d86b99af44347659119b22fc45', '8177228da4a45dc7fca38bdef60affe4', '9c70b60c5267a94e5f33b6b02985ed51',
  'f88164c12d9c8faf7d0f6e7c7bcd5579', '1368875980776f8854527a07690e9627', '14eeca338b208613485ea0308fd7a15e', 'a1f1ebbed8dbc153c0b84aa61ff08239',
  '3b62a9ba6258f5610f83e264f31497b4', '264499060ad9baabc47f8b02bb6d71ed', '00110dc378146956c95447d3f3d0fbba', '0151c568386b6677a2b4dc6f81e5dc18',
  'd626b266905ef35882634df68532c125', '9869e247e9c08b10d029934fc4b952f7', '31fcefac66d7de9c7ec7485fe4494902', '5493e99933b0a8117e08ec0f97cfc3d9',
  '6ee2a4ca67b054bbfd3315bf85230577', '473d06e8738db89854c066c47ae47740', 'a426e5e423bf4885294da481feaef723', '78017731cf65fab074d5208952512eb1',
  '9e25fc833f2290733e9344a5e83839eb', '568e495abe525a218a2214cd3e071d12', '4a29b54552d16b9a469c10528eff0aae', 'c9d184ddd5a9f5e0cf8ce29a9abf691c',
  '2db479ae78bd50d8882a8a178a6132ad', '8ece5f042d5e447b5051b9eacb8d8f6f', '9c0b53b4b3c307e87eaee08678141f66', 'abf248af69a6eae4bfd3eb2f129eeb94',
  '0664da1668574b88b935f3027358aef4', 'aa4b9dc4bf337de90cd4fd3c467c6ab7', 'ea5c7f471faf6bde2b1ad7d4686d2287', '2939b0183223fafc1723de4f52c43d35',
  '7c3956ca5eeafc3e363e9d556546eb68', '77c6077146f01c32b6b69d5f4ea9ffcf', '37a6986cb8847edf0925f0f1309b54de', 'a705f0e69da9a8f907241a2e923c8cc8',
  '3dc47d1f29c448461e9e76ed904f6711', '0d62bf01e6fc0e1a0d3c4751c5d3692b', '8c03468bca7c669ee4fd5e084bbee7b5', '528a5bb93baf2c9c4473cce5d0d22bd9',
  'df6a301e95c95dad97ae0cc8c6913bd8', '801189902c857f39e73591285e70b6db', 'e617346ac9c231bb3650ae34ccca0c5b', '27d93437efb721aa401821dcec5adf89',
  '89237d9ded9c5e78d8b1c9b166cc7342', '4a6d8091bf5e7d651189fa94a250b14c', '0e33f96055e7ae893ffc0e3dcf492902', 'e61c432b720b19d18ec8d84bdc63151b',
  'f7e5aef549f782cf379055a608269b16', '438d030fd0b7a54fa837f2ad201a6403', 'a590d3ee4fbf04e3247e0d27f286423f', '5fe2c1a172fe93c4b15cd37caef9f538',
  '2c97325cbd06b36eb2133dd08b3a017c', '92c814227a6bca949ff0659f002ad39e', 'dce850110bd8328cfbd50841d6911d87', '67f14984c7da791248e32bb5922583da',
  '1938f2cf72d54ee97e94166fa91d2a36', '74481e9646ed49fe0f6224301604698e', '57fca5de98a9d6d8006438d0583d8a1d', '9fecde1cefdc1cbed4763674d9575359',
  'e3040c00eb28f15366ca73cbd872e740', '7697009a6a831dfecca91c5993670f7a', '5853542321f567a005d547a4f04759bd', '5150d1772f50834a503e069a973fbd7c',
]

const KEY = Uint8Array.from({length: 16}, (_, i) => i)
const message = (n: number) => Uint8Array.from({length: n}, (_, i) => i)

/** A straightforward BigInt SipHash-2-4-128, written from the paper, to cross-check the fast one. */
function referenceSipHash128(key: Uint8Array, m: Uint8Array): string {
  const mask = (1n << 64n) - 1n
  const rotl = (x: bigint, b: bigint) => ((x << b) | (x >> (64n - b))) & mask
  const u64 = (b: Uint8Array, i: number) => {
    let x = 0n
    for (let k = 7; k >= 0; k--) x = (x << 8n) | BigInt(b[i + k])
    return x
  }
  const k0 = u64(key, 0)
  const k1 = u64(key, 8)
  let v0 = k0 ^ 0x736f6d6570736575n
  let v1 = k1 ^ 0x646f72616e646f6dn ^ 0xeen
  let v2 = k0 ^ 0x6c7967656e657261n
  let v3 = k1 ^ 0x7465646279746573n
  const round = () => {
    v0 = (v0 + v1) & mask; v1 = rotl(v1, 13n) ^ v0; v0 = rotl(v0, 32n)
    v2 = (v2 + v3) & mask; v3 = rotl(v3, 16n) ^ v2
    v0 = (v0 + v3) & mask; v3 = rotl(v3, 21n) ^ v0
    v2 = (v2 + v1) & mask; v1 = rotl(v1, 17n) ^ v2; v2 = rotl(v2, 32n)
  }
  const whole = m.length - (m.length % 8)
  for (let i = 0; i < whole; i += 8) {
    const w = u64(m, i)
    v3 ^= w; round(); round(); v0 ^= w
  }
  let b = BigInt(m.length & 0xff) << 56n
  for (let i = whole; i < m.length; i++) b |= BigInt(m[i]) << BigInt(8 * (i - whole))
  v3 ^= b; round(); round(); v0 ^= b
  v2 ^= 0xeen
  round(); round(); round(); round()
  const r0 = v0 ^ v1 ^ v2 ^ v3
  v1 ^= 0xddn
  round(); round(); round(); round()
  const r1 = v0 ^ v1 ^ v2 ^ v3
  const le = (x: bigint) => Array.from({length: 8}, (_, i) => Number((x >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, '0')).join('')
  return le(r0) + le(r1)
}

describe('SipHash-2-4-128', () => {
  it('matches the reference vectors_sip128 (and so dchest/siphash New128 Sum)', () => {
    expect(VECTORS_SIP128).toHaveLength(64)
    for (let i = 0; i < 64; i++) expect(siphash128Hex(KEY, message(i)), `length ${i}`).toBe(VECTORS_SIP128[i])
  })

  it('returns the same 16 bytes from digest() as hex from digestHex()', () => {
    const h = new SipHash128(KEY).update(message(15))
    expect(Buffer.from(h.digest()).toString('hex')).toBe(VECTORS_SIP128[15])
  })

  it('agrees with a BigInt reference for lengths across the 256-byte length wrap and other keys', () => {
    const data = randomBytes(2100, 42)
    const keys = [KEY, new TextEncoder().encode('Very_Random-Seed'), randomBytes(16, 3)]
    for (const key of keys) {
      for (const n of [0, 1, 7, 8, 9, 63, 64, 255, 256, 257, 511, 1000, 2100]) {
        expect(siphash128Hex(key, data.subarray(0, n)), `n=${n}`).toBe(referenceSipHash128(key, data.subarray(0, n)))
      }
    }
  })

  it('gives the same digest however the input is split, and for unaligned views', () => {
    const data = randomBytes(50_000, 9)
    const whole = siphash128Hex(KEY, data)
    const rand = randomBytes(1000, 77)
    for (let trial = 0; trial < 30; trial++) {
      const h = new SipHash128(KEY)
      let pos = 0
      let r = trial
      while (pos < data.length) {
        const size = rand[r++ % rand.length] % (trial < 15 ? 17 : 4000)
        h.update(data.subarray(pos, pos + size))
        pos += size
      }
      expect(h.digestHex()).toBe(whole)
    }
    const shifted = Buffer.alloc(data.length + 3)
    data.copy(shifted, 3)
    expect(siphash128Hex(KEY, shifted.subarray(3))).toBe(whole)
  })

  it('lets update go on after a digest, like Go Sum', () => {
    const h = new SipHash128(KEY).update(message(10))
    expect(h.digestHex()).toBe(VECTORS_SIP128[10])
    h.update(message(20).subarray(10))
    expect(h.digestHex()).toBe(VECTORS_SIP128[20])
  })

  it('rejects keys that are not 16 bytes', () => {
    expect(() => new SipHash128(new Uint8Array(15))).toThrow(RangeError)
  })
})
