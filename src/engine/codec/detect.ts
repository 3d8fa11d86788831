import type {StoredFormat} from '../types.js'

/** zstd frame magic 0xFD2FB528, little-endian on disk. */
export const ZSTD_MAGIC = Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd)
/** gzip member magic (RFC 1952 ID1, ID2). */
export const GZIP_MAGIC = Uint8Array.of(0x1f, 0x8b)

/**
 * What a stored file is, from its first 4 bytes only: names and configuration can lie, magic
 * cannot. Anything that is neither zstd nor gzip is raw.
 *
 * zstd is a zstd frame magic (28 b5 2f fd) or a skippable frame magic (50..5f 2a 4d 18, RFC 8878
 * §3.1.2): `pzstd` and seekable-format writers start files with a skippable frame, and the zstd
 * CLI and libzstd (ZSTD_isFrame) take such a file for zstd too. RCC's fork `detectFormat`
 * (htfs/delegates.go) checks only 28 b5 2f fd, so it restores such a file as raw bytes and fails
 * its hash. The cost: a raw file that happens to start with one of those 16 four-byte values is
 * read as zstd and fails to decode with an error naming it. In a SHA-256 (compressed) library
 * every file RCC or holobench writes is gzip or zstd; raw files live in compress.no libraries,
 * whose SipHash-named files are never sniffed (restore/checks.ts), so nothing RCC writes is misread.
 */
export function detectFormat(head: Uint8Array): StoredFormat {
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd'
  if (head.length >= 4 && (head[0] & 0xf0) === 0x50 && head[1] === 0x2a && head[2] === 0x4d && head[3] === 0x18) return 'zstd'
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  return 'raw'
}

/** How many leading bytes detectFormat needs to decide for sure. */
export const DETECT_BYTES = 4
