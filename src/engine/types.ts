/** Shared engine types: the RCC catalog shape and the names every module agrees on. */

/** How library files and catalogs are stored. `none` = raw, with a `compress.no` marker. */
export type CodecName = 'gzip' | 'gzip-pure' | 'zstd' | 'none'
export const CODEC_NAMES: readonly CodecName[] = ['gzip', 'gzip-pure', 'zstd', 'none']

/** What the first bytes of a stored file say it is (never trust names or configuration). */
export type StoredFormat = 'gzip' | 'zstd' | 'raw'

/** zstd implementation: the N-API binding (@mongodb-js/zstd) or node:zlib's (Node >= 22.15). */
export type ZstdBackend = 'napi' | 'zlib'

/** Digest algorithm, chosen by RCC from the library's compression marker. */
export type DigestAlgorithm = 'sha256' | 'siphash128'

/** Go's fs.ModeDir / fs.ModeSymlink bits as RCC stores them in `mode`. */
export const GO_MODE_DIR = 2 ** 31
export const GO_MODE_SYMLINK = 2 ** 27

/** A file entry of an RCC catalog (htfs/directory.go `File`). */
export interface CatalogFile {
  name: string
  symlink?: string
  size: number
  mode: number
  digest: string
  rewrite: number[]
}

/** A directory entry of an RCC catalog (htfs/directory.go `Dir`). */
export interface CatalogDir {
  name: string
  symlink?: string
  mode: number
  subdirs: Record<string, CatalogDir>
  files: Record<string, CatalogFile>
  shadow?: boolean
}

/** The top level of an RCC catalog: the Info fields, then `lifted` and `tree`. */
export interface Catalog {
  rcc?: string
  identity: string
  path: string
  controller: string
  space: string
  platform: string
  blueprint: string
  lifted: boolean
  tree: CatalogDir
}

/** Progress reported by long-running engine work; the engine itself never prints. */
export interface Progress {
  phase: string
  done: number
  total: number
  bytes?: number
  totalBytes?: number
  /** What `done` and `total` count; files when absent. */
  unit?: string
}
export type ProgressCallback = (progress: Progress) => void
