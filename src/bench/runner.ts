import {promises as fsp} from 'node:fs'
import {basename, join, resolve} from 'node:path'

import {Bench} from 'tinybench'

import {gzipBackendFor, resolveZstdBackend} from '../engine/codec/index.js'
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
import {cpCopy, floorCopy, planFloor} from './floor.js'
import type {FloorPlan} from './floor.js'
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
  /** Rounds the variants are interleaved in (default 5, at most minRuns). */
  rounds?: number
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
      // The scratch as the user named it: the run's own temp directory is gone when it ends.
      environment: await collectEnvironment(scratch, options.scratch ?? '(system temp dir)'),
      settings: {
        argv: options.argv,
        scenarios: [...options.scenarios, ...(options.trees ?? []).map((tree) => `tree:${resolve(tree)}`)],
        variants: options.variants,
        warmupRuns: options.warmupRuns,
        minRuns: options.minRuns,
        minTimeSeconds: options.minTimeSeconds,
        jobs: options.jobs,
        rccExcludes: options.rccExcludes === true,
        rounds: Math.max(1, Math.min(options.rounds ?? 5, options.minRuns)),
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
    const lifted = await lift({source: corpus.root, library, codec, fsync: false, rccExcludes: options.rccExcludes})
    catalogs.set(codec, lifted.catalog)
    tree ??= {files: lifted.files, dirs: lifted.dirs, symlinks: lifted.symlinks, bytes: lifted.bytes, relocatedFiles: lifted.relocatedFiles}
    const facts = await inspect({path: lifted.catalog})
    libraries.push({codec, ...(codec === 'zstd' ? {zstdBackend: resolveZstdBackend('auto')} : {}), rawBytes: facts.rawBytes, storedBytes: facts.storedBytes, ratio: facts.ratio, liftSeconds: lifted.seconds, catalogBytes: lifted.catalogBytes})
  }

  // The floor copies from the same filesystem the restores write to.
  let floor: FloorPlan | undefined
  if (variants.some((v) => v.strategy === 'floor')) {
    const floorSource = join(scratch, 'floor-source', basename(corpus.root))
    await fsp.mkdir(join(scratch, 'floor-source'))
    await cpCopy(corpus.root, floorSource)
    floor = await planFloor(floorSource)
  }

  tree ??= await treeFactsOf(corpus.root)
  const plans = variants.map((variant) => ({variant, restore: restoreTask(variant, catalogs, floor, options)}))
  const rows = await measureVariants(plans, scratch, corpus, tree, options)
  addRatios(rows)
  return {scenario: corpus.label, source: corpus.source, tree, libraries, rows}
}

type RestoreTask = (target: string) => Promise<DropResult | undefined>


function restoreTask(variant: VariantSpec, catalogs: Map<CodecName, string>, floor: FloorPlan | undefined, options: RunOptions): RestoreTask {
  if (variant.strategy === 'floor') {
    return async (target) => {
      const plan = floor as FloorPlan
      await (variant.name === 'cp' ? cpCopy(plan.source, target) : floorCopy(plan, target, options.jobs))
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

interface VariantPlan {
  variant: VariantSpec
  restore: RestoreTask
}

function emptyRow(variant: VariantSpec): VariantResult {
  return {
    variant: variant.name,
    codec: variant.codec,
    verify: variant.verify,
    strategy: variant.strategy,
    // Results say which zstd implementation ran, also when the variant left it to 'auto'.
    ...(variant.codec === 'zstd' ? {zstdBackend: resolveZstdBackend(variant.zstdBackend ?? 'auto')} : {}),
    status: 'ok',
    samples: [],
    cpuSamples: [],
    stats: null,
    ratioToGzip: null,
    ratioToFloor: null,
    outliers: [],
  }
}

/**
 * Time the variants with tinybench, interleaved: in each round every variant runs a few
 * restores, in an order rotated from round to round, so a burst of load on a shared machine
 * falls on all of them alike rather than on whichever ran then. Each restore goes into a fresh
 * empty target made and removed outside the timed region. A first untimed restore per variant
 * (the warm-up) also tells whether it can run here at all: reflink on a filesystem without
 * clones is reported unsupported, never timed as a copy.
 */
async function measureVariants(plans: VariantPlan[], scratch: string, corpus: Corpus, tree: TreeFacts, options: RunOptions): Promise<VariantResult[]> {
  const rows = plans.map((plan) => emptyRow(plan.variant))
  let counter = 0
  // Same basename as the corpus, so relocations are patched exactly as in a real restore.
  const freshTarget = () => join(scratch, `t${counter++}`, basename(corpus.root))
  const timed = (plan: VariantPlan, row: VariantResult) => {
    const slowdown = slowdownFor(plan.variant, options)
    return async (target: string) => {
      const cpu = process.cpuUsage()
      const started = performance.now()
      const result = await plan.restore(target)
      // The test-only slowdown adds work in proportion to the work the restore did: its CPU time.
      if (slowdown > 0) spin((cpuMs(process.cpuUsage(cpu)) * slowdown))
      const elapsed = performance.now() - started
      const used = process.cpuUsage(cpu)
      return {ms: elapsed, cpuSeconds: cpuMs(used) / 1000, result, row}
    }
  }

  for (const [i, plan] of plans.entries()) {
    const run = timed(plan, rows[i])
    try {
      for (let k = 0; k < Math.max(1, options.warmupRuns); k++) {
        const target = freshTarget()
        await fsp.mkdir(join(target, '..'), {recursive: true})
        try {
          const {result} = await run(target)
          if (result && k === 0) rows[i].strategyCounts = {...result.strategy.counts}
        } finally {
          await fsp.rm(join(target, '..'), {recursive: true, force: true})
        }
      }
    } catch (error) {
      const unsupported = isHoloError(error, 'ENOTSUP_STRATEGY')
      rows[i].status = unsupported ? 'unsupported' : 'failed'
      // Short and free of scratch paths: reports show it in a table cell.
      rows[i].reason = unsupported ? `${plan.variant.strategy} is not possible on ${String(error.data?.targetFs ?? 'this filesystem')}: it cannot clone files` : (error as Error).message
    }
  }

  const live = plans.flatMap((plan, i) => (rows[i].status === 'ok' ? [i] : []))
  const rounds = Math.max(1, Math.min(options.rounds ?? 5, options.minRuns))
  const perRound = Math.ceil(options.minRuns / rounds)
  for (let round = 0; round < rounds && live.length > 0; round++) {
    const bench = new Bench({iterations: perRound, time: (options.minTimeSeconds * 1000) / rounds, warmup: false, throws: true})
    const order = live.map((_, k) => live[(k + round) % live.length])
    for (const i of order) {
      const run = timed(plans[i], rows[i])
      let target = ''
      bench.add(
        plans[i].variant.name,
        async () => {
          const {ms, cpuSeconds, row} = await run(target)
          row.samples.push(ms / 1000)
          if (plans[i].variant.name !== 'cp') row.cpuSamples?.push(cpuSeconds)
          options.onProgress?.({phase: `${corpus.label}: round ${round + 1}/${rounds} ${row.variant}`, done: row.samples.length, total: perRound * rounds, unit: 'runs'})
          // Our own clock, so tinybench's statistics and ours describe the same numbers.
          return {overriddenDuration: ms}
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
    }

    try {
      await bench.run()
    } catch (error) {
      for (const i of live) {
        rows[i].status = 'failed'
        rows[i].reason = (error as Error).message
      }

      break
    }
  }

  for (const row of rows) {
    if (row.status !== 'ok') continue
    if (row.cpuSamples?.length === 0) delete row.cpuSamples
    row.stats = summarize(row.samples, {files: tree.files, bytes: tree.bytes})
    row.outliers = madOutliers(row.samples)
  }

  return rows
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

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000
}

/** Busy work for `ms` milliseconds of this thread's CPU (the test-only slowdown), not a sleep. */
function spin(ms: number): void {
  const started = process.cpuUsage()
  let x = 0
  while (cpuMs(process.cpuUsage(started)) < ms) for (let i = 0; i < 1000; i++) x += Math.sqrt(x + i)
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

