import {createReadStream, createWriteStream, promises as fsp} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import pMap from 'p-map'

import {catalogFiles, loadCatalog} from '../../engine/catalog.js'
import {createDecompressStream} from '../../engine/codec/index.js'
import {createDigester} from '../../engine/digest.js'
import {HoloError} from '../../engine/errors.js'
import {libraryFilePath} from '../../engine/library.js'
import {posixPermFromGo} from '../../engine/mode.js'

/**
 * uv's pattern for RCC: beside the compressed hololib, an uncompressed cache of the same files
 * (`<cache>/library/ab/cd/ef/<digest>`, the library's own digests), which `drop --cache`
 * restores from by reflink, hard link or copy (relocated files are copied and patched). A
 * private scratch format for the benchmark's dual-cache rows: no real hololib changes, and RCC
 * reads none of it (it could read the compressed half as it does today; the cache is new).
 */
export interface DualCache {
  /** The cache root (pass as `drop --cache`). */
  root: string
  /** Distinct files in the cache, and their bytes (uncompressed). */
  files: number
  bytes: number
  /** Wall time of building it (decode and write every file, verified against its digest). */
  seconds: number
}

/**
 * Fill `cache` with every file `catalog` names, decoded from its library (default: the hololib
 * above the catalog) and verified against its SHA-256 digest. Each file gets the mode of the
 * first catalog entry naming it, so hard links from the cache keep executables executable.
 * Written through a temp name and renamed: a crash leaves no file of the wrong content.
 * Errors: a catalog of a compress.no library (SipHash digests: already uncompressed, EUSAGE);
 * a library file that is missing or does not match its digest (the engine's errors).
 */
export async function buildDualCache(options: {catalog: string; library?: string; cache: string; jobs?: number}): Promise<DualCache> {
  const started = performance.now()
  const catalog = await loadCatalog(options.catalog)
  const library = resolve(options.library ?? dirname(dirname(options.catalog)))
  const root = resolve(options.cache)
  const wanted = new Map<string, {rel: string; size: number; perm: number}>()
  for (const {rel, file} of catalogFiles(catalog.tree)) {
    if (file.symlink || wanted.has(file.digest)) continue
    if (file.digest.length !== 64) throw new HoloError('EUSAGE', `A dual cache is for compressed libraries: ${options.catalog} names ${rel} by a SipHash digest (a compress.no library is uncompressed already)`)
    wanted.set(file.digest, {rel, size: file.size, perm: posixPermFromGo(file.mode) & 0o777})
  }

  let bytes = 0
  await pMap(
    wanted,
    async ([digest, entry]) => {
      const path = libraryFilePath(root, digest)
      await fsp.mkdir(dirname(path), {recursive: true})
      const part = join(dirname(path), `.${digest}.tmp-${process.pid}`)
      const digester = createDigester('sha256')
      const hash = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          digester.update(chunk)
          callback(null, chunk)
        },
      })
      const source = libraryFilePath(library, digest)
      try {
        await pipeline(createReadStream(source), createDecompressStream({path: source, entry: entry.rel, expectedSize: entry.size}), hash, createWriteStream(part, {flags: 'wx', mode: entry.perm}))
        const actual = digester.digest()
        if (actual !== digest) throw new HoloError('EINTEGRITY', `Corrupted hololib, expected ${digest}, actual ${actual} (${source}, for ${entry.rel})`, {path: source})
        await fsp.chmod(part, entry.perm)
        await fsp.rename(part, path)
      } catch (error) {
        await fsp.rm(part, {force: true})
        throw error
      }

      bytes += entry.size
    },
    {concurrency: options.jobs ?? 8},
  )
  return {root, files: wanted.size, bytes, seconds: (performance.now() - started) / 1000}
}
