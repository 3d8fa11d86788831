/**
 * The `pack` candidate: a catalog's unrelocated files in one pack of zstd frames (restore/pack.ts),
 * relocated files read from the zstd library as today. It bounds what per-file library work
 * (an open, read and decode per library file) costs a restore: the rest of a drop (catalog,
 * directories, one write per file, verification, relocations) is the same `holobench drop`,
 * given the pack by a hidden flag.
 */
import {basename, join} from 'node:path'

import {buildPack} from './pack-build.js'
import type {CandidateContext, CandidatePlan, CandidateSpec} from './types.js'

export async function planPack(spec: CandidateSpec, context: CandidateContext): Promise<CandidatePlan> {
  // Relocated files come from RCC's own format: the zstd library at the fork's level.
  const library = await context.library('zstd')
  const level = spec.level ?? 1
  const built = await buildPack({catalog: library.catalog, root: library.root, pack: join(context.scratch, `${basename(library.catalog)}.pack`), level})
  const storedBytes = built.packBytes + built.indexBytes + built.unpackedStoredBytes
  return {
    facts: {
      family: 'pack',
      summary: `unrelocated files in one ${built.index.frames.length}-frame zstd-${level} pack (${built.index.entries.length} contents), relocated files from the zstd library`,
      rcc: {
        reads: 'neither',
        takes:
          'a new restore path: RCC restores file by file from library/ (htfs/functions.go); the fork\'s unwired htfs/archive.go packs a blueprint as tar.zst but unpacks it into the library, not a space, so RestoreTo would have to write from the archive stream, and lift would have to write the pack',
      },
      storedBytes,
      rawBytes: library.facts.rawBytes,
      liftSeconds: library.facts.liftSeconds + built.seconds,
      caveat: "the pack's frames are decoded in order, one ahead, and their contents checked and written by the same restore workers once the relocated files are done; a content spanning frames is streamed by the main thread",
    },
    restore: context.dropRestore({
      catalog: library.catalog,
      codec: 'zstd',
      verify: spec.verify,
      strategy: 'copy',
      zstdBackend: spec.zstdBackend,
      extraArgs: ['--pack', built.pack],
      extraOptions: {pack: built.pack},
    }),
  }
}
