/**
 * The `dict` candidate: a scratch copy of the zstd library whose small files are compressed with
 * a dictionary trained on those files (`zstd --train`), the rest as they are. zstd's dictionary
 * gains are largest on files of a few KB, which most files of a Python environment are.
 * Training and compression use the zstd CLI (Debian's `zstd`): no maintained Node binding
 * trains (`@mongodb-js/zstd` 1.2.2 has neither training nor dictionaries; node:zlib decodes and
 * encodes with a dictionary on newer Node but cannot train). Restores decode with node:zlib, so
 * they need a Node whose zstd takes a dictionary; elsewhere the row shows its size, untimed.
 */
import {execFile} from 'node:child_process'
import {promises as fsp} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {promisify} from 'node:util'

import {catalogFiles, readCatalogFile} from '../../engine/catalog.js'
import {decompressBuffer, zlibZstdDictionaryAvailable} from '../../engine/codec/index.js'
import {zstdCliAvailable} from '../../engine/codec/zstd-cli.js'
import {libraryFilePath, libraryLayout} from '../../engine/library.js'
import {RowError} from '../row-plan.js'
import type {CandidateContext, CandidatePlan, CandidateSpec} from './types.js'

const run = promisify(execFile)

/** Files up to this size get the dictionary; zstd's gains from one fade past a few KB. */
export const DICT_MAX_FILE_BYTES = 32 * 1024
/** zstd --train's default dictionary size (110 KiB). */
export const DICT_BYTES = 112_640

export async function planDict(spec: CandidateSpec, context: CandidateContext): Promise<CandidatePlan> {
  if (!zstdCliAvailable()) throw new RowError('training a dictionary needs the zstd command (Debian package zstd) on PATH', 'unsupported')
  const level = spec.level ?? 1
  const base = await context.library('zstd', level)
  const started = performance.now()
  const built = await buildDictLibrary({catalog: base.catalog, root: base.root, out: join(context.scratch, 'lib'), level, work: join(context.scratch, 'work')})
  const seconds = (performance.now() - started) / 1000
  const facts = {
    family: 'dict',
    summary: `zstd-${level} library, ${built.small} files up to ${DICT_MAX_FILE_BYTES / 1024} KiB compressed with a ${(built.dictionaryBytes / 1024).toFixed(0)} KiB dictionary trained on them`,
    rcc: {
      reads: 'neither' as const,
      takes: 'a dictionary per hololib (where to keep it, its id in each frame, training at lift) and decoders given it: RCC\'s fork decodes with klauspost/compress, whose zstd takes dictionaries (WithDecoderDicts), in htfs/delegates.go',
    },
    storedBytes: built.storedBytes + built.dictionaryBytes,
    rawBytes: base.facts.rawBytes,
    liftSeconds: base.facts.liftSeconds + seconds,
    caveat: 'trained and compressed by the zstd CLI (with its content size, without checksum); frames naming the dictionary are decoded by node:zlib with it, the rest by the usual backend, in the same workers as every zstd restore',
  }
  if (!zlibZstdDictionaryAvailable()) {
    return {facts, unsupported: `restoring needs node:zlib zstd with dictionaries (Node ${process.version} has none; @mongodb-js/zstd 1.2.2 has no dictionary API)`}
  }

  return {
    facts,
    restore: context.dropRestore({
      catalog: built.catalog,
      codec: 'zstd',
      verify: spec.verify,
      strategy: 'copy',
      zstdBackend: spec.zstdBackend,
      extraArgs: ['--zstd-dictionary', built.dictionary],
      extraOptions: {zstdDictionary: built.dictionary},
    }),
  }
}

export interface DictLibrary {
  /** The copy's catalog (same name and content as the base's). */
  catalog: string
  dictionary: string
  dictionaryBytes: number
  /** Stored bytes of the library files the catalog uses, each once. */
  storedBytes: number
  /** Files compressed with the dictionary. */
  small: number
}

/**
 * A copy of the hololib `root` for `catalog` under `out`: the catalog copied, small files
 * recompressed with a dictionary trained on them, other files hard-linked (a scratch copy on
 * the same filesystem). `work` holds the samples while training and is removed after.
 */
export async function buildDictLibrary(options: {catalog: string; root: string; out: string; level: number; work: string}): Promise<DictLibrary> {
  const {catalog} = await readCatalogFile(options.catalog)
  const samples = join(options.work, 'samples')
  const packed = join(options.work, 'packed')
  await fsp.mkdir(samples, {recursive: true})
  await fsp.mkdir(packed, {recursive: true})
  const layout = libraryLayout(options.out)
  await fsp.mkdir(layout.catalogDir, {recursive: true})
  await fsp.copyFile(options.catalog, join(layout.catalogDir, basename(options.catalog)))
  const seen = new Set<string>()
  const small: string[] = []
  for (const {rel, file} of catalogFiles(catalog.tree)) {
    if (file.symlink || seen.has(file.digest)) continue
    seen.add(file.digest)
    const source = libraryFilePath(options.root, file.digest)
    const target = libraryFilePath(options.out, file.digest)
    await fsp.mkdir(dirname(target), {recursive: true})
    if (file.size === 0 || file.size > DICT_MAX_FILE_BYTES) {
      await fsp.link(source, target)
      continue
    }

    small.push(file.digest)
    await fsp.writeFile(join(samples, file.digest), await decompressBuffer(await fsp.readFile(source), {path: source, entry: rel, expectedSize: file.size}))
  }

  const dictionary = join(options.out, 'zstd.dict')
  try {
    await run('zstd', ['--train', '-q', '-r', samples, '-o', dictionary, `--maxdict=${DICT_BYTES}`], {maxBuffer: 1 << 20})
    const ultra = options.level > 19 ? ['--ultra'] : []
    await run('zstd', ['-q', ...ultra, `-${options.level}`, '--no-check', '-D', dictionary, '-r', samples, '--output-dir-flat', packed], {maxBuffer: 1 << 20})
    for (const digest of small) await fsp.rename(join(packed, `${digest}.zst`), libraryFilePath(options.out, digest))
  } catch (error) {
    const stderr = (error as {stderr?: string}).stderr?.trim().split('\n').pop()
    throw new Error(`zstd could not train or compress with a dictionary: ${stderr || (error as Error).message}`)
  } finally {
    await fsp.rm(options.work, {recursive: true, force: true})
  }

  let storedBytes = 0
  for (const digest of seen) storedBytes += (await fsp.stat(libraryFilePath(options.out, digest))).size
  return {catalog: join(layout.catalogDir, basename(options.catalog)), dictionary, dictionaryBytes: (await fsp.stat(dictionary)).size, storedBytes, small: small.length}
}
