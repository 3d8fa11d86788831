import type {StoredFormat} from '../types.js'

/** zstd frame magic 0xFD2FB528, little-endian on disk. */
export const ZSTD_MAGIC = Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd)
/** gzip member magic (RFC 1952 ID1, ID2). */
export const GZIP_MAGIC = Uint8Array.of(0x1f, 0x8b)

/**
 * What a stored file is, from its first bytes only (RCC's fork `detectFormat`): names and
 * configuration can lie, magic cannot. Anything that is neither zstd nor gzip is raw.
 */
export function detectFormat(head: Uint8Array): StoredFormat {
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd'
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  return 'raw'
}

/** How many leading bytes detectFormat needs to decide for sure. */
export const DETECT_BYTES = 4
