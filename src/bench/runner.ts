import {promises as fsp} from 'node:fs'
import {basename, join, resolve} from 'node:path'

import {Bench} from 'tinybench'

import {gzipBackendFor} from '../engine/codec/index.js'
import {drop} from '../engine/drop.js'
import type {DropResult} from '../engine/drop.js'
import {HoloError, isHoloError} from '../engine/errors.js'
import {inspect} from '../engine/inspect.js'
import {lift} from '../engine/lift.js'
import type {CodecName, ProgressCallback} from '../engine/types.js'
import {HOLOBENCH_VERSION} from '../engine/version.js'
import {definitionDigest} from '../scenario/definition.js'
import {ensureCorpus, loadScenario} from '../scenario/index.js'
import {collectEnvironment, holobenchCommit} from './environment.js'
import {cpCopy, floorCopy} from './floor.js'
import {RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION} from './results.js'
import type {LibraryResult, ResultsFile, ScenarioResult, TreeFacts, VariantResult} from './results.js'
import {createScratch, removeScratch} from './scratch.js'
import {madOutliers, ratioOfMedians, summarize} from './stats.js'
import {parseVariant} from './variants.js'
import type {VariantSpec} from './variants.js'

export interface RunOptions {
  /** Scenario names (scenarios/<name>.json). */
  scenarios: string[]
  /** Real directories to use as corpora. */
  trees?: string[]
  variants: string[]
  /** Where libraries and restores go (default: the OS temp dir); a CoW filesystem makes reflink rows run. */
  scratch?: string
  warmupRuns: number
  minRuns: number
  minTimeSeconds: number
  jobs: number
  seed: number
  /** The exact command line, recorded in the results. */
  argv: string[]
  onProgress?: ProgressCallback
  /** Called with the results so far after each scenario, so a crash keeps what was measured. */
  onScenario?: (partial: ResultsFile) => Promise<void>
  /** Lift as RCC does, without __pycache__, *.pyc, .git, …; default false: every file of the corpus. */
  rccExcludes?: boolean
  /** Test-only: add `factor` × the measured time as busy work to matching variants' restores. */
  injectSlowdown?: {variant?: string; codec?: string; factor: number}
}

interface Corpus {
  label: string
  root: string
  source: ScenarioResult['source']
}

/** Run the restore benchmark matrix: every variant on every corpus, side by side in one run. */
export async function runBenchmark(options: RunOptions): Promise<ResultsFile> {
  const variants = options.variants.map((name) => parseVariant(name))
  if (variants.length === 0) throw new HoloError('EUSAGE', 'No variants to run')
  if (options.scenarios.length === 0 && !options.trees?.length) throw new HoloError('EUSAGE', 'Name a --scenario or a --tree to run')
  const scratch = createScratch(options.scratch)
  try {
    const results: ResultsFile = {
      schema: RESULTS_SCHEMA,
      schemaVersion: RESULTS_SCHEMA_VERSION,
      holobench: {version: HOLOBENCH_VERSION, commit: holobenchCommit()},
      environment: await collectEnvironment(scratch, scratch),
      settings: {
        argv: options.argv,
        scenarios: [...options.scenarios, ...(options.trees ?? []).map((tree) => `tree:${resolve(tree)}`)],
        variants: options.variants,
        warmupRuns: options.warmupRuns,
        minRuns: options.minRuns,
        minTimeSeconds: options.minTimeSeconds,
        jobs: options.jobs,
      },
      scenarios: [],
    }
    for (const corpus of await corpora(options)) {
      results.scenarios.push(await runCorpus(corpus, variants, join(scratch, `s${results.scenarios.length}`), options))
      await options.onScenario?.(results)
    }

    return results
  } finally {
    removeScratch(scratch)
  }
}

async function corpora(options: RunOptions): Promise<Corpus[]> {
  const list: Corpus[] = []
  for (const name of options.scenarios) {
    const definition = loadScenario(name)
    const tree = await ensureCorpus({name, seed: options.seed})
    list.push({label: name, root: tree.root, source: {kind: 'scenario', definitionDigest: definitionDigest(definition), seed: options.seed}})
  }

  for (const tree of options.trees ?? []) {
    const root = resolve(tree)
    list.push({label: `tree:${basename(root)}`, root, source: {kind: 'tree', path: root}})
  }

  return list
}

async function runCorpus(corpus: Corpus, variants: VariantSpec[], scratch: string, options: RunOptions): Promise<ScenarioResult> {
  await fsp.mkdir(scratch, {recursive: true})
  const codecs = [...new Set(variants.flatMap((v) => (v.codec ? [v.codec] : [])))]
  const catalogs = new Map<CodecName, string>()
  const libraries: LibraryResult[] = []
  let tree: TreeFacts | undefined
  for (const codec of codecs) {
    options.onProgress?.({phase: `${corpus.label}: lift ${codec}`, done: 0, total: 1, unit: 'lifts'})
    const library = join(scratch, `lib-${codec}`)
    const lifted = await lift({source: corpus.root, library, codec, jobs: options.jobs, rccExcludes: options.rccExcludes})
    catalogs.set(codec, lifted.catalog)
    tree ??= {files: lifted.files, dirs: lifted.dirs, symlinks: lifted.symlinks, bytes: lifted.bytes, relocatedFiles: lifted.relocatedFiles}
    const facts = await inspect({path: lifted.catalog})
    libraries.push({codec, rawBytes: facts.rawBytes, storedBytes: facts.storedBytes, ratio: facts.ratio, liftSeconds: lifted.seconds, catalogBytes: lifted.catalogBytes})
  }

  // The floor copies from the same filesystem the restores write to.
  let floorSource: string | undefined
  if (variants.some((v) => v.strategy === 'floor')) {
    floorSource = join(scratch, 'floor-source', basename(corpus.root))
    await fsp.mkdir(join(scratch, 'floor-source'))
    await cpCopy(corpus.root, floorSource)
  }

  tree ??= await treeFactsOf(corpus.root)
  const rows: VariantResult[] = []
  for (const variant of variants) {
    const measure = restoreTask(variant, corpus, catalogs, floorSource, options)
    rows.push(await measureVariant(variant, measure, scratch, corpus, tree, options))
  }

  addRatios(rows)
  return {scenario: corpus.label, source: corpus.source, tree, libraries, rows}
}

type RestoreTask = (target: string) => Promise<DropResult | undefined>

function restoreTask(variant: VariantSpec, corpus: Corpus, catalogs: Map<CodecName, string>, floorSource: string | undefined, options: RunOptions): RestoreTask {
  if (variant.strategy === 'floor') {
    return async (target) => {
      await (variant.name === 'cp' ? cpCopy(floorSource as string, target) : floorCopy(floorSource as string, target, options.jobs))
      return undefined
    }
  }

  const catalog = catalogs.get(variant.codec as CodecName) as string
  return (target) =>
    drop({
      catalog,
      target,
      verify: variant.verify,
      strategy: variant.strategy as DropOptionsStrategy,
      jobs: options.jobs,
      zstdBackend: variant.zstdBackend ?? 'auto',
      gzipBackend: gzipBackendFor(variant.codec as CodecName),
    })
}

type DropOptionsStrategy = 'copy' | 'reflink' | 'hardlink'

/**
 * Time one variant with tinybench. Each restore goes into a fresh empty target made and removed
 * outside the timed region; the first restore is a trial that also tells whether the variant
 * can run here at all (reflink on a filesystem without clones is reported, never timed as a copy).
 */
async function measureVariant(variant: VariantSpec, restore: RestoreTask, scratch: string, corpus: Corpus, tree: TreeFacts, options: RunOptions): Promise<VariantResult> {
  const row: VariantResult = {
    variant: variant.name,
    codec: variant.codec,
    verify: variant.verify,
    strategy: variant.strategy,
    ...(variant.zstdBackend ? {zstdBackend: variant.zstdBackend} : {}),
    status: 'ok',
    samples: [],
    stats: null,
    ratioToGzip: null,
    ratioToFloor: null,
    outliers: [],
  }
  let counter = 0
  // Same basename as the corpus, so relocations are patched exactly as in a real restore.
  const freshTarget = () => join(scratch, `t${counter++}`, basename(corpus.root))
  const slowdown = slowdownFor(variant, options)
  const once = async (): Promise<{seconds: number; result: DropResult | undefined}> => {
    const target = freshTarget()
    await fsp.mkdir(join(target, '..'), {recursive: true})
    try {
      const started = performance.now()
      const result = await restore(target)
      let elapsed = performance.now() - started
      if (slowdown > 0) elapsed += spin(elapsed * slowdown)
      return {seconds: elapsed / 1000, result}
    } finally {
      await fsp.rm(join(target, '..'), {recursive: true, force: true})
    }
  }

  try {
    const trial = await once()
    if (trial.result) row.strategyCounts = {...trial.result.strategy.counts}
    for (let i = 1; i < options.warmupRuns; i++) await once()
  } catch (error) {
    row.status = isHoloError(error, 'ENOTSUP_STRATEGY') ? 'unsupported' : 'failed'
    row.reason = (error as Error).message
    return row
  }

  const bench = new Bench({time: options.minTimeSeconds * 1000, iterations: options.minRuns, warmup: false, throws: true})
  let target = ''
  bench.add(
    variant.name,
    async () => {
      const started = performance.now()
      await restore(target)
      let elapsed = performance.now() - started
      if (slowdown > 0) elapsed += spin(elapsed * slowdown)
      row.samples.push(elapsed / 1000)
      options.onProgress?.({phase: `${corpus.label}: ${variant.name}`, done: row.samples.length, total: Math.max(options.minRuns, row.samples.length), unit: 'runs'})
      // Our own clock, so tinybench's statistics and ours describe the same numbers.
      return {overriddenDuration: elapsed}
    },
    {
      beforeEach: async () => {
        target = freshTarget()
        await fsp.mkdir(join(target, '..'), {recursive: true})
      },
      afterEach: async () => {
        await fsp.rm(join(target, '..'), {recursive: true, force: true})
      },
    },
  )
  try {
    await bench.run()
  } catch (error) {
    row.status = 'failed'
    row.reason = (error as Error).message
    return row
  }

  row.stats = summarize(row.samples, {files: tree.files, bytes: tree.bytes})
  row.outliers = madOutliers(row.samples)
  return row
}

/** Ratios of medians with bootstrap intervals, against gzip and against the floor of the same run. */
function addRatios(rows: VariantResult[]): void {
  const gzip = rows.find((row) => row.variant === 'gzip' && row.status === 'ok')
  const floor = rows.find((row) => row.variant === 'floor' && row.status === 'ok')
  for (const row of rows) {
    if (row.status !== 'ok') continue
    if (gzip) row.ratioToGzip = ratioOfMedians(row.samples, gzip.samples)
    if (floor) row.ratioToFloor = ratioOfMedians(row.samples, floor.samples)
  }
}

function slowdownFor(variant: VariantSpec, options: RunOptions): number {
  const inject = options.injectSlowdown
  if (!inject) return 0
  if (inject.variant !== undefined) return inject.variant === variant.name ? inject.factor : 0
  return inject.codec !== undefined && inject.codec === variant.codec ? inject.factor : 0
}

/** Busy work for `ms` milliseconds (the test-only slowdown): real CPU time, not a sleep. */
function spin(ms: number): number {
  const started = performance.now()
  let x = 0
  while (performance.now() - started < ms) x += Math.sqrt(x + 1)
  return performance.now() - started
}

/** File facts of a tree when no codec variant lifted it (a floor-only run). */
async function treeFactsOf(root: string): Promise<TreeFacts> {
  const facts: TreeFacts = {files: 0, dirs: 0, symlinks: 0, bytes: 0, relocatedFiles: 0}
  for (const entry of await fsp.readdir(root, {recursive: true, withFileTypes: true})) {
    if (entry.isSymbolicLink()) facts.symlinks++
    else if (entry.isDirectory()) facts.dirs++
    else if (entry.isFile()) {
      facts.files++
      facts.bytes += (await fsp.stat(join(entry.parentPath, entry.name))).size
    }
  }

  return facts
}

