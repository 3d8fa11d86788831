/**
 * The dual cache (uv's pattern): the compressed library plus an uncompressed cache of the same
 * files, restored from by reflink, hard link or copy (`<variant>+cache-<strategy>`, e.g.
 * `zstd+cache-hardlink`, `zstd-noverify+cache-reflink`). The cache is a private scratch format
 * (dual-cache-build.ts) restored through drop's hidden `--cache`; relocated files are still
 * copied and patched. Its disk cost is the library's plus the cache's.
 */
import {join} from 'node:path'

import {HoloError} from '../../engine/errors.js'
import type {CodecName} from '../../engine/types.js'
import {buildDualCache} from './dual-cache-build.js'
import type {DualCache} from './dual-cache-build.js'
import type {CandidateContext, CandidatePlan, CandidateSpec} from './types.js'

/** One cache per library catalog (per corpus and codec), shared by the rows of every strategy. */
const caches = new Map<string, Promise<DualCache>>()

export async function planDualCache(spec: CandidateSpec, context: CandidateContext): Promise<CandidatePlan> {
  const codec = spec.codec as CodecName
  const library = await context.library(codec)
  let building = caches.get(library.catalog)
  if (!building) {
    building = buildDualCache({catalog: library.catalog, cache: join(context.scratch, 'cache'), jobs: context.jobs})
    caches.set(library.catalog, building)
  }

  const cache = await building
  const strategy = spec.strategy as 'copy' | 'hardlink' | 'reflink'
  return {
    facts: {
      family: 'dual-cache',
      summary: `the ${codec} library plus an uncompressed cache of its ${cache.files} files; restores ${strategy === 'copy' ? 'copy' : strategy === 'hardlink' ? 'hard-link' : 'clone'} unrelocated files from the cache and copy and patch relocated ones`,
      rcc: {
        reads: 'neither',
        takes: `RCC reads the compressed half (${codec === 'zstd' ? 'the zstd fork' : 'upstream'}); the cache is new: a second, uncompressed library filled on lift, and DropFile (htfs/functions.go) placing unrelocated files from it by ${strategy === 'hardlink' ? 'os.Link' : strategy === 'reflink' ? 'FICLONE' : 'copy'}`,
      },
      storedBytes: library.facts.storedBytes + cache.bytes,
      rawBytes: library.facts.rawBytes,
      liftSeconds: library.facts.liftSeconds + cache.seconds,
      caveat: `cache built outside the timed region (${cache.seconds.toFixed(2)} s) and complete${strategy === 'hardlink' ? '; hard-linked files share the cache\'s inodes (read-only environments only)' : ''}`,
    },
    restore: context.dropRestore({catalog: library.catalog, codec, verify: spec.verify, strategy, extraArgs: ['--cache', cache.root], extraOptions: {cache: cache.root}}),
  }
}
