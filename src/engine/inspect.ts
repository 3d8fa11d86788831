import {promises as fsp} from 'node:fs'
import {resolve} from 'node:path'

import pMap from 'p-map'

import {catalogFiles, loadCatalog} from './catalog.js'
import {detectFormat} from './codec/index.js'
import {HoloError} from './errors.js'
import {isCompressedLibrary, libraryFilePath, libraryLayout, listCatalogs} from './library.js'
import type {Catalog, CatalogDir, StoredFormat} from './types.js'

export interface InspectOptions {
  /** A hololib root or one catalog file. */
  path: string
  jobs?: number
}

/** Files by size: how many are tiny, small, medium, large. */
export interface SizeMix {
  upTo4KiB: number
  upTo64KiB: number
  upTo1MiB: number
  over1MiB: number
}

export interface CatalogSummary {
  path: string
  identity: string
  platform: string
  files: number
  dirs: number
  symlinks: number
  rawBytes: number
  relocatedFiles: number
}

export interface InspectResult {
  kind: 'library' | 'catalog'
  path: string
  library: string
  compressed: boolean
  catalogs: CatalogSummary[]
  /** File entries over all catalogs (a file in two catalogs counts twice). */
  files: number
  uniqueFiles: number
  /** Files under library/ (referenced or not): only for a whole library. */
  libraryFiles: number | null
  missingFiles: number
  rawBytes: number
  storedBytes: number
  ratio: number
  formats: Record<StoredFormat, number>
  relocatedFiles: number
  relocationShare: number
  sizeMix: SizeMix
}

/** Counts, sizes, formats and relocation share of a hololib or of one catalog in it. */
export async function inspect(options: InspectOptions): Promise<InspectResult> {
  const path = resolve(options.path)
  const stats = await fsp.stat(path).catch(() => {
    throw new HoloError('EUSAGE', `Cannot inspect ${path}: no such file or directory`, {path})
  })
  const kind = stats.isDirectory() ? 'library' : 'catalog'
  const library = kind === 'library' ? path : resolve(path, '..', '..')
  const catalogPaths = kind === 'library' ? await listCatalogs(library) : [path]
  const catalogs: Array<{path: string; catalog: Catalog}> = []
  for (const catalogPath of catalogPaths) catalogs.push({path: catalogPath, catalog: await loadCatalog(catalogPath, {given: kind === 'catalog'})})

  const unique = new Map<string, number>() // digest -> raw size
  const summaries: CatalogSummary[] = []
  const sizeMix: SizeMix = {upTo4KiB: 0, upTo64KiB: 0, upTo1MiB: 0, over1MiB: 0}
  let files = 0
  let relocatedFiles = 0
  for (const {path: catalogPath, catalog} of catalogs) {
    const shape = countDirs(catalog.tree)
    const summary: CatalogSummary = {path: catalogPath, identity: catalog.identity, platform: catalog.platform, files: 0, dirs: shape.dirs, symlinks: shape.links, rawBytes: 0, relocatedFiles: 0}
    for (const {file} of catalogFiles(catalog.tree)) {
      if (file.symlink) {
        summary.symlinks++
        continue
      }

      summary.files++
      summary.rawBytes += file.size
      if (file.rewrite.length > 0) summary.relocatedFiles++
      unique.set(file.digest, file.size)
      bucket(sizeMix, file.size)
    }

    files += summary.files
    relocatedFiles += summary.relocatedFiles
    summaries.push(summary)
  }

  const formats: Record<StoredFormat, number> = {gzip: 0, zstd: 0, raw: 0}
  let storedBytes = 0
  let missingFiles = 0
  await pMap(
    unique.keys(),
    async (digest) => {
      const head = await readHead(libraryFilePath(library, digest))
      if (!head) {
        missingFiles++
        return
      }

      formats[detectFormat(head.bytes)]++
      storedBytes += head.size
    },
    {concurrency: options.jobs ?? 16},
  )
  const rawBytes = [...unique.values()].reduce((a, b) => a + b, 0)
  return {
    kind,
    path,
    library,
    compressed: isCompressedLibrary(library),
    catalogs: summaries,
    files,
    uniqueFiles: unique.size,
    libraryFiles: kind === 'library' ? await countLibraryFiles(libraryLayout(library).libraryDir) : null,
    missingFiles,
    rawBytes,
    storedBytes,
    ratio: storedBytes > 0 ? rawBytes / storedBytes : 0,
    formats,
    relocatedFiles,
    relocationShare: files > 0 ? relocatedFiles / files : 0,
    sizeMix,
  }
}

function bucket(mix: SizeMix, size: number): void {
  if (size <= 4096) mix.upTo4KiB++
  else if (size <= 65_536) mix.upTo64KiB++
  else if (size <= 1_048_576) mix.upTo1MiB++
  else mix.over1MiB++
}

/** Real directories, and symlinked ones (which catalogFiles does not list). */
function countDirs(dir: CatalogDir): {dirs: number; links: number} {
  const count = {dirs: 1, links: 0}
  for (const sub of Object.values(dir.subdirs)) {
    if (sub.symlink) {
      count.links++
      continue
    }

    const inner = countDirs(sub)
    count.dirs += inner.dirs
    count.links += inner.links
  }

  return count
}

async function readHead(path: string): Promise<{bytes: Buffer; size: number} | null> {
  let handle
  try {
    handle = await fsp.open(path, 'r')
  } catch {
    return null
  }

  try {
    const bytes = Buffer.alloc(4)
    const {bytesRead} = await handle.read(bytes, 0, 4, 0)
    const {size} = await handle.stat()
    return {bytes: bytes.subarray(0, bytesRead), size}
  } finally {
    await handle.close()
  }
}

async function countLibraryFiles(dir: string): Promise<number> {
  const entries = await fsp.readdir(dir, {recursive: true, withFileTypes: true}).catch(() => [])
  return entries.filter((entry) => entry.isFile()).length
}

