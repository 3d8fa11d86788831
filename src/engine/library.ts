import {existsSync, promises as fsp} from 'node:fs'
import {join, sep} from 'node:path'

import {HoloError, explainSystemError} from './errors.js'
import {writeFileAtomic} from './fs/atomic.js'
import type {DigestAlgorithm} from './types.js'

/**
 * The on-disk layout of a hololib, as RCC lays it out (htfs/library.go):
 * `catalog/` holds catalogs, `library/ab/cd/ef/<digest>` holds content, and the marker
 * `catalog/compress.no` says the library stores files raw (and keys them by SipHash-128).
 */
export interface LibraryLayout {
  root: string
  catalogDir: string
  libraryDir: string
  markerPath: string
}

export const COMPRESS_MARKER = 'compress.no'

export function libraryLayout(root: string): LibraryLayout {
  return {
    root,
    catalogDir: join(root, 'catalog'),
    libraryDir: join(root, 'library'),
    markerPath: join(root, 'catalog', COMPRESS_MARKER),
  }
}

/** A compressed library is one without the marker (RCC's default). */
export function isCompressedLibrary(root: string): boolean {
  return !existsSync(libraryLayout(root).markerPath)
}

/** RCC's NewDigester(legacy): SHA-256 for compressed libraries, SipHash-128 for compress.no ones. */
export function digestAlgorithmFor(compressed: boolean): DigestAlgorithm {
  return compressed ? 'sha256' : 'siphash128'
}

const DIGEST_PATTERN: Record<DigestAlgorithm, RegExp> = {
  sha256: /^[0-9a-f]{64}$/,
  siphash128: /^[0-9a-f]{32}$/,
}

/** A digest read from a catalog becomes a path: only well-formed hex may, so it cannot traverse. */
export function isValidDigest(digest: string, algorithm?: DigestAlgorithm): boolean {
  if (algorithm) return DIGEST_PATTERN[algorithm].test(digest)
  return DIGEST_PATTERN.sha256.test(digest) || DIGEST_PATTERN.siphash128.test(digest)
}

/** `library/<d[0:2]>/<d[2:4]>/<d[4:6]>/<d>` (RCC's ExactDefaultLocation). */
export function libraryFilePath(root: string, digest: string): string {
  if (!isValidDigest(digest)) {
    throw new HoloError('ECORRUPT', `Invalid digest ${JSON.stringify(digest)}: expected 32 or 64 lowercase hex characters`)
  }

  if (root !== lastRoot) {
    lastRoot = root
    lastBase = join(root, 'library') + sep
  }

  // Concatenated, not joined: a checked digest needs no normalising, and a restore asks for
  // one path per file on its critical path (join cost ~8 ms per 2,450 files in a fresh process).
  return `${lastBase}${digest.slice(0, 2)}${sep}${digest.slice(2, 4)}${sep}${digest.slice(4, 6)}${sep}${digest}`
}

let lastRoot: string | undefined
let lastBase = ''

/** RCC finds catalogs by the glob `[0-9a-f]*v12.*`, ignoring the `.info` files beside them. */
export function isCatalogName(name: string): boolean {
  return /^[0-9a-f].*v12\..+$/.test(name) && !name.endsWith('.info') && !name.includes('.tmp-')
}

/** Catalog file paths of a library, sorted by name. */
export async function listCatalogs(root: string): Promise<string[]> {
  const {catalogDir} = libraryLayout(root)
  let names: string[]
  try {
    names = await fsp.readdir(catalogDir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw new HoloError('EUSAGE', `${root} is not a hololib: it has no catalog/ directory. Pass the hololib root, the directory holding catalog/ and library/`, {path: root})
    }

    if (code === 'ENOTDIR') {
      throw new HoloError('EUSAGE', `${root} is not a hololib: ${catalogDir} is not a directory (is ${root} a file?). Pass the hololib root, the directory holding catalog/ and library/`, {path: root})
    }

    throw explainSystemError(error, 'Cannot list the catalogs in', catalogDir)
  }

  return names.filter((name) => isCatalogName(name)).sort().map((name) => join(catalogDir, name))
}

/**
 * Create the library directories, and set or check the compression marker. Mixing raw and
 * compressed storage in one library would break its digests, so a mismatch is an error.
 */
export async function prepareLibrary(root: string, compressed: boolean): Promise<LibraryLayout> {
  const layout = libraryLayout(root)
  const hadCatalogDir = existsSync(layout.catalogDir)
  await fsp.mkdir(layout.catalogDir, {recursive: true})
  await fsp.mkdir(layout.libraryDir, {recursive: true})
  const marked = existsSync(layout.markerPath)
  if (marked === !compressed) return layout
  const empty = !hadCatalogDir || ((await listCatalogs(root)).length === 0 && (await fsp.readdir(layout.libraryDir)).length === 0)
  if (!empty) {
    const is = marked ? 'uncompressed (catalog/compress.no)' : 'compressed'
    const wants = compressed ? 'a compressed codec' : 'codec none'
    throw new HoloError('EUSAGE', `${root} is ${is}; lifting with ${wants} would mix digest algorithms. Use \`holobench migrate\` or another library.`, {path: root})
  }

  await (compressed ? fsp.rm(layout.markerPath, {force: true}) : writeFileAtomic(layout.markerPath, 'present'))
  return layout
}
