import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {catalogFiles, readCatalogFile} from '../catalog.js'
import {detectFormat} from '../codec/index.js'
import {HoloError, isHoloError} from '../errors.js'
import {libraryLayout, listCatalogs} from '../library.js'
import type {Catalog, CatalogDir, CatalogFile, StoredFormat} from '../types.js'
import {classifyLeftover} from './leftovers.js'
import type {Leftover} from './leftovers.js'

/** A catalog as read from disk, with how it is stored. */
export interface LoadedCatalog {
  path: string
  catalog: Catalog
  format: StoredFormat
  storedBytes: number
}

export interface CatalogSet {
  loaded: LoadedCatalog[]
  /** Catalogs that cannot be read, decompressed or parsed: nobody can restore them. */
  unreadable: Array<{path: string; error: HoloError}>
  /** Interrupted catalog writes in `catalog/`. */
  leftovers: Leftover[]
}

/** Read one catalog in any stored format (gzip, zstd or raw JSON, by magic), checking its shape. */
export async function readCatalog(path: string): Promise<LoadedCatalog> {
  const {catalog, stored} = await readCatalogFile(path)
  return {path, catalog, format: detectFormat(stored), storedBytes: stored.length}
}

/** Every catalog of a library (RCC's glob), read; failures are collected, not thrown. */
export async function loadCatalogSet(root: string): Promise<CatalogSet> {
  const set: CatalogSet = {loaded: [], unreadable: [], leftovers: []}
  for (const path of await listCatalogs(root)) {
    try {
      set.loaded.push(await readCatalog(path))
    } catch (error) {
      if (!isHoloError(error)) throw error
      set.unreadable.push({path, error})
    }
  }

  const {catalogDir} = libraryLayout(root)
  for (const name of await fsp.readdir(catalogDir)) {
    const leftover = classifyLeftover(join(catalogDir, name), name)
    if (leftover) set.leftovers.push(leftover)
  }

  return set
}

/**
 * The digests a restore needs: regular files outside symlinked (shadow) directories. Symlinked
 * files carry their target's digest, but restores recreate the link and never read the content.
 */
export function neededDigests(catalog: Catalog): Map<string, string> {
  const needed = new Map<string, string>() // digest -> first path that needs it
  for (const {rel, file} of catalogFiles(catalog.tree)) {
    if (!file.symlink && file.digest && !needed.has(file.digest)) needed.set(file.digest, rel)
  }

  return needed
}

/** Every file entry with a digest, shadow directories and symlinks included (what a re-key rewrites). */
export function* allFileEntries(dir: CatalogDir): Generator<CatalogFile> {
  for (const file of Object.values(dir.files)) yield file
  for (const sub of Object.values(dir.subdirs)) yield* allFileEntries(sub)
}

/** Digests of entries a restore does not read (symlinks, shadow dirs): informative only. */
export function linkDigests(catalog: Catalog, needed: Map<string, string>): Set<string> {
  const links = new Set<string>()
  for (const file of allFileEntries(catalog.tree)) if (file.digest && !needed.has(file.digest)) links.add(file.digest)
  return links
}
