import {promises as fsp} from 'node:fs'

import {catalogInfo, goJson, serializeCatalog} from '../catalog.js'
import {compressBuffer} from '../codec/index.js'
import {allFileEntries, neededDigests} from '../check/catalogs.js'
import type {LoadedCatalog} from '../check/catalogs.js'
import {writeFileAtomic} from '../fs/atomic.js'
import {isValidDigest} from '../library.js'
import type {Catalog, DigestAlgorithm, StoredFormat, ZstdBackend} from '../types.js'
import {algorithmOf} from './file-task.js'
import type {TargetCodec} from './file-task.js'

/**
 * RCC always compresses catalogs, also in compress.no libraries (upstream reads only gzip; the
 * zstd fork reads either): `none` keeps gzip catalogs, the others use their own codec.
 */
export function catalogCodecFor(codec: TargetCodec): 'gzip' | 'zstd' {
  return codec === 'zstd' ? 'zstd' : 'gzip'
}

export interface CatalogChange {
  path: string
  /** rewritten: re-keyed and/or recompressed; failed: it needs files that could not be re-keyed, so it was left as it was. */
  action: 'rewritten' | 'unchanged' | 'failed'
  from: StoredFormat
  to: StoredFormat
  /** File entries whose digest was replaced by the target algorithm's. */
  rekeyed: number
  /** Digests a restore needs that have no file in the target algorithm (missing or corrupt). */
  unmapped: string[]
  bytesBefore: number
  bytesAfter: number
}

/** A re-keyed copy of `catalog`: every digest found in `renames` is replaced. */
export function rekeyCatalog(catalog: Catalog, algorithm: DigestAlgorithm, renames: ReadonlyMap<string, string>): {catalog: Catalog; rekeyed: number; unmapped: string[]} {
  const copy = structuredClone(catalog)
  const needed = neededDigests(catalog)
  const unmapped = new Set<string>()
  let rekeyed = 0
  for (const file of allFileEntries(copy.tree)) {
    if (!file.digest || !isValidDigest(file.digest) || algorithmOf(file.digest) === algorithm) continue
    const renamed = renames.get(file.digest)
    if (renamed) {
      file.digest = renamed
      rekeyed++
    } else if (needed.has(file.digest)) {
      unmapped.add(file.digest)
    }
    // A symlink's (or shadowed file's) digest names content a restore never reads, and RCC
    // never stores: without a file to re-key it from, it keeps its old value.
  }

  return {catalog: copy, rekeyed, unmapped: [...unmapped].sort()}
}

/** True when the catalog names any content in another algorithm than the target's. */
export function needsRekey(catalog: Catalog, algorithm: DigestAlgorithm): boolean {
  for (const file of allFileEntries(catalog.tree)) {
    if (file.digest && isValidDigest(file.digest) && algorithmOf(file.digest) !== algorithm) return true
  }

  return false
}

export interface CatalogWriteOptions {
  codec: TargetCodec
  algorithm: DigestAlgorithm
  renames: ReadonlyMap<string, string>
  zstdBackend?: ZstdBackend | 'auto'
  fsync: boolean
  dryRun: boolean
}

/**
 * Re-key and/or recompress one catalog. It is replaced atomically (temp, fsync, rename), so a
 * reader loads the old catalog, naming the old files, or the new one, naming the new files; both
 * sets exist at that moment. Its `.info` is written first when missing or stale.
 */
export async function migrateCatalog(loaded: LoadedCatalog, options: CatalogWriteOptions): Promise<{change: CatalogChange; catalog: Catalog}> {
  const to = catalogCodecFor(options.codec)
  const change: CatalogChange = {path: loaded.path, action: 'unchanged', from: loaded.format, to: loaded.format, rekeyed: 0, unmapped: [], bytesBefore: loaded.storedBytes, bytesAfter: loaded.storedBytes}
  if (options.dryRun) return {change: dryRunChange(loaded, change, to, options.algorithm), catalog: loaded.catalog}
  const {catalog, rekeyed, unmapped} = rekeyCatalog(loaded.catalog, options.algorithm, options.renames)
  change.rekeyed = rekeyed
  if (unmapped.length > 0) return {change: {...change, action: 'failed', unmapped}, catalog: loaded.catalog}
  if (rekeyed === 0 && loaded.format === to) return {change, catalog: loaded.catalog}
  // Catalogs get the codec's default level (RCC's: gzip BestSpeed, zstd SpeedFastest).
  const stored = await compressBuffer(to, Buffer.from(serializeCatalog(catalog)), {zstdBackend: options.zstdBackend})
  const result: CatalogChange = {...change, action: 'rewritten', to, bytesAfter: stored.length}
  const info = goJson(catalogInfo(catalog))
  const current = await fsp.readFile(`${loaded.path}.info`, 'utf8').catch(() => undefined)
  if (current !== info) await writeFileAtomic(`${loaded.path}.info`, info, {fsync: options.fsync})
  await writeFileAtomic(loaded.path, stored, {fsync: options.fsync})
  return {change: result, catalog}
}

/** Dry run: no file was re-keyed, so only say whether the catalog would be rewritten. */
function dryRunChange(loaded: LoadedCatalog, change: CatalogChange, to: StoredFormat, algorithm: DigestAlgorithm): CatalogChange {
  let rekeyed = 0
  for (const file of allFileEntries(loaded.catalog.tree)) if (file.digest && isValidDigest(file.digest) && algorithmOf(file.digest) !== algorithm) rekeyed++
  return rekeyed === 0 && loaded.format === to ? change : {...change, action: 'rewritten', to, rekeyed}
}
