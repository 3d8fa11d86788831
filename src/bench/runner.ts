import {promises as fsp} from 'node:fs'
import {basename, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

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
import {engineArgv, validateEngines} from './engines.js'
import {RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION} from './results.js'
import type {EngineLibraryResult, EngineSpec, LibraryResult, ResultsFile, RunMode, ScenarioResult, TreeFacts, VariantResult} from './results.js'
import {createScratch, removeScratch} from './scratch.js'
import {runTimed} from './spawn-timed.js'
import type {TimedProcess} from './spawn-timed.js'
import {checkRestoredTree, describeCheck} from './tree-check.js'
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
  /** The identity --tree corpora are lifted with (default: each tree's basename); a name, as restores go to scratch directories. */
  identity?: string
  /** Rounds the variants are interleaved in (default 5, at most minRuns). */
  rounds?: number
  /** Test-only: add `factor` × the measured time as busy work to matching variants' restores. */
  injectSlowdown?: {variant?: string; codec?: string; factor: number}
  /**
   * `process`: every timed restore of a variant is a fresh `holobench drop` process, timed from
   * spawn to exit, as users run restores. `in-process` (the default here; `run` defaults to
   * process): the engine called in this process, warmed up, for profiling the engine.
   */
  mode?: RunMode
  /** External engines timed beside the variants, always as processes (validated before any work). */
  engines?: EngineSpec[]
}

interface Corpus {
  label: string
  root: string
  source: ScenarioResult['source']
  /** The name relocations hold: the tree's basename. */
  identity: string
}

/** The CLI a process-mode restore runs: this checkout's bin/run.js (it loads the built dist/). */
const HOLOBENCH_BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/** Run the restore benchmark matrix: every variant on every corpus, side by side in one run. */
export async function runBenchmark(options: RunOptions): Promise<ResultsFile> {
  const variants = options.variants.map((name) => parseVariant(name))
  const engines = options.engines ?? []
  if (variants.length === 0 && engines.length === 0) throw new HoloError('EUSAGE', 'No variants to run')
  if (options.scenarios.length === 0 && !options.trees?.length) throw new HoloError('EUSAGE', 'Name a --scenario or a --tree to run')
  validateEngines(engines, options.variants)
  const mode = options.mode ?? 'in-process'
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
        mode,
        ...(engines.length > 0 ? {engines} : {}),
      },
      scenarios: [],
    }
    for (const corpus of await corpora(options)) {
      results.scenarios.push(await runCorpus(corpus, variants, join(scratch, `s${results.scenarios.length}`), {...options, mode, engines}, results.environment.scratchFs))
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
    list.push({label: name, root: tree.root, identity: basename(tree.root), source: {kind: 'scenario', definitionDigest: definitionDigest(definition), seed: options.seed}})
  }

  for (const tree of options.trees ?? []) {
    const root = resolve(tree)
    list.push({label: `tree:${basename(root)}`, root, identity: options.identity ?? basename(root), source: {kind: 'tree', path: root}})
  }

  return list
}

type Options = RunOptions & {mode: RunMode; engines: EngineSpec[]}

/** One restore, however it ran. */
interface Timing {
  seconds: number // wall clock
  cpuSeconds: number | null // user + system, all threads; null where unknown
  engineSeconds?: number // the restore's own time as the engine reported it
  counts?: Record<string, number> // files per strategy, from a holobench drop
}

type RestoreTask = (target: string) => Promise<Timing>

/** Why a row could not be timed; `unsupported` for a strategy the filesystem cannot do. */
class RowError extends Error {
  constructor(
    message: string,
    readonly status: 'unsupported' | 'failed',
  ) {
    super(message)
  }
}

interface RowPlan {
  row: VariantResult
  restore: RestoreTask
  /** Set for rows whose first restore is checked against the expected tree (not floor, not cp). */
  check?: {rccExcludes: boolean; extraFiles: readonly string[]}
}

async function runCorpus(corpus: Corpus, variants: VariantSpec[], scratch: string, options: Options, scratchFs: string): Promise<ScenarioResult> {
  await fsp.mkdir(scratch, {recursive: true})
  const engines = options.engines
  // Engines without a lift of their own restore holobench's library of their codec.
  const codecs = [...new Set([...variants.flatMap((v) => (v.codec ? [v.codec] : [])), ...engines.flatMap((e) => (e.lift || e.libraryOf ? [] : [(e.codec ?? 'gzip') as CodecName]))])]
  const catalogs = new Map<CodecName, string>()
  const libraries: LibraryResult[] = []
  let tree: TreeFacts | undefined
  for (const codec of codecs) {
    options.onProgress?.({phase: `${corpus.label}: lift ${codec}`, done: 0, total: 1, unit: 'lifts'})
    const library = join(scratch, `lib-${codec}`)
    const lifted = await lift({source: corpus.root, library, codec, fsync: false, rccExcludes: options.rccExcludes, identity: corpus.identity})
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
  const plans: RowPlan[] = variants.map((variant) => variantPlan(variant, catalogs, floor, options, scratchFs))
  const engineLibraries: EngineLibraryResult[] = []
  const lifted = new Map<string, {library: string; catalog: string} | Error>()
  for (const engine of engines) {
    if (!engine.lift) continue
    options.onProgress?.({phase: `${corpus.label}: lift ${engine.name}`, done: 0, total: 1, unit: 'lifts'})
    try {
      const {library, catalog, result} = await liftForEngine(engine, corpus, join(scratch, `engine-${engine.name}`))
      lifted.set(engine.name, {library, catalog})
      engineLibraries.push(result)
    } catch (error) {
      lifted.set(engine.name, error as Error)
    }
  }

  for (const engine of engines) plans.push(enginePlan(engine, catalogs, lifted, corpus))
  const rows = await measureRows(plans, scratch, corpus, tree, options)
  addRatios(rows, engines)
  return {scenario: corpus.label, source: corpus.source, tree, libraries, ...(engineLibraries.length > 0 ? {engineLibraries} : {}), rows}
}

function variantPlan(variant: VariantSpec, catalogs: Map<CodecName, string>, floor: FloorPlan | undefined, options: Options, scratchFs: string): RowPlan {
  const isFloor = variant.strategy === 'floor'
  const mode: RunMode = variant.name === 'cp' ? 'process' : isFloor ? 'in-process' : options.mode
  const row: VariantResult = {
    variant: variant.name,
    kind: isFloor ? 'floor' : 'variant',
    mode,
    codec: variant.codec,
    verify: variant.verify,
    strategy: variant.strategy,
    // Results say which zstd implementation ran, also when the variant left it to 'auto'.
    ...(variant.codec === 'zstd' ? {zstdBackend: resolveZstdBackend(variant.zstdBackend ?? 'auto')} : {}),
    ...emptyMeasurements(),
  }
  const slowdown = slowdownFor(variant, options)
  if (variant.name === 'cp') return {row, restore: withSlowdown(processTask(() => ['cp', '-a', (floor as FloorPlan).source], 'cp'), slowdown)}
  if (isFloor) {
    return {
      row,
      restore: withSlowdown(
        inProcess(async (target) => {
          await floorCopy(floor as FloorPlan, target, options.jobs)
          return {}
        }),
        slowdown,
      ),
    }
  }

  const catalog = catalogs.get(variant.codec as CodecName) as string
  const check = {rccExcludes: options.rccExcludes === true, extraFiles: []}
  if (mode === 'in-process') {
    const restore = inProcess(async (target) => {
      try {
        const result = await drop({
          catalog,
          target,
          verify: variant.verify,
          strategy: variant.strategy as DropOptionsStrategy,
          jobs: options.jobs,
          zstdBackend: variant.zstdBackend ?? 'auto',
          gzipBackend: gzipBackendFor(variant.codec as CodecName),
          // Timed as RCC restores (no flush), like the floor and cp beside them; the flush's own
          // cost is measured apart (README, Guarantees).
          durable: false,
        })
        return {engineSeconds: result.seconds, counts: {...result.strategy.counts}}
      } catch (error) {
        throw isHoloError(error, 'ENOTSUP_STRATEGY') ? unsupported(variant, String(error.data?.targetFs ?? scratchFs)) : error
      }
    })
    return {row, restore: withSlowdown(restore, slowdown), check}
  }

  // A fresh `holobench drop` per restore: the variant's settings as the flags a user would pass.
  const argv = (target: string) => [
    process.execPath, HOLOBENCH_BIN, 'drop', catalog, '--target', target, '--strategy', variant.strategy, '--jobs', String(options.jobs),
    '--zstd-backend', variant.zstdBackend ?? 'auto', '--gzip-backend', gzipBackendFor(variant.codec as CodecName), variant.verify ? '--verify' : '--no-verify', '--no-fsync', '--json',
  ]
  const restore: RestoreTask = async (target) => {
    const run = await runTimed(argv(target))
    if (run.code !== 0) {
      if (/ENOTSUP_STRATEGY/.test(run.stdout + run.stderr)) throw unsupported(variant, scratchFs)
      throw new RowError(`holobench drop ${exitText(run)}: ${lastLine(run)}`, 'failed')
    }

    const result = lastJson(run.stdout) as {seconds?: number; strategy?: {counts?: Record<string, number>}} | undefined
    return {seconds: run.seconds, cpuSeconds: run.cpuSeconds, engineSeconds: result?.seconds, counts: result?.strategy?.counts}
  }

  return {row, restore: withSlowdown(restore, slowdown), check}
}

function enginePlan(engine: EngineSpec, catalogs: Map<CodecName, string>, lifted: Map<string, {library: string; catalog: string} | Error>, corpus: Corpus): RowPlan {
  const owner = engine.lift ? engine.name : engine.libraryOf
  const own = owner === undefined ? undefined : lifted.get(owner)
  const codec = engine.codec ?? (owner === undefined ? 'gzip' : null)
  const row: VariantResult = {
    variant: engine.name,
    kind: 'engine',
    mode: 'process',
    codec,
    verify: engine.verify ?? true,
    strategy: 'engine',
    ...(engine.gzipReference ? {gzipReference: engine.gzipReference} : {}),
    ...(owner === undefined ? {} : {libraryOf: owner}),
    ...emptyMeasurements(),
  }
  const check = {rccExcludes: engine.rccExcludes === true, extraFiles: engine.extraFiles ?? []}
  const time = engine.engineTime === undefined ? undefined : new RegExp(engine.engineTime)
  const place = own instanceof Error ? undefined : own ?? {catalog: catalogs.get(codec as CodecName) as string, library: ''}
  if (place && !own) place.library = join(place.catalog, '..', '..')
  const restore: RestoreTask = async (target) => {
    if (own instanceof Error) throw new RowError(`engine ${engine.name}: ${engine.libraryOf ? `the library of engine ${engine.libraryOf}: ` : ''}${own.message}`, 'failed')
    const values = {catalog: place!.catalog, library: place!.library, target, codec: codec ?? '', identity: corpus.identity}
    const run = await startEngine(engine, 'restore', engineArgv(engine.restore, values))
    if (run.code !== 0) throw new RowError(`engine ${engine.name}: restore ${exitText(run)}: ${lastLine(run)}`, 'failed')
    const reported = time?.exec(`${run.stdout}\n${run.stderr}`)?.[1]
    return {seconds: run.seconds, cpuSeconds: run.cpuSeconds, ...(reported !== undefined && Number.isFinite(Number(reported)) ? {engineSeconds: Number(reported)} : {})}
  }

  return {row, restore, check}
}

/** Run an engine's command; a command that cannot start is a failure naming the engine. */
async function startEngine(engine: EngineSpec, what: 'lift' | 'restore', argv: string[]): Promise<TimedProcess> {
  try {
    return await runTimed(argv)
  } catch (error) {
    throw new RowError(`engine ${engine.name}: ${what} command ${JSON.stringify(argv[0])} cannot run: ${(error as Error).message}`, 'failed')
  }
}

/**
 * An engine that lifts its own library does so once per scenario, before any timing, into a
 * fresh directory ({library}); the last line it prints is its {catalog}. Its size is recorded.
 */
async function liftForEngine(engine: EngineSpec, corpus: Corpus, library: string): Promise<{library: string; catalog: string; result: EngineLibraryResult}> {
  await fsp.mkdir(library, {recursive: true})
  const values = {tree: corpus.root, library, codec: engine.codec ?? '', identity: corpus.identity}
  const run = await startEngine(engine, 'lift', engineArgv(engine.lift as string, values))
  if (run.code !== 0) throw new RowError(`lift ${exitText(run)}: ${lastLine(run)}`, 'failed')
  const catalog = run.stdout.trim().split('\n').pop()?.trim() ?? ''
  const size = await directorySize(library)
  return {library, catalog, result: {engine: engine.name, files: size.files, storedBytes: size.bytes, liftSeconds: run.seconds}}
}

async function directorySize(root: string): Promise<{files: number; bytes: number}> {
  const size = {files: 0, bytes: 0}
  for (const entry of await fsp.readdir(root, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue
    size.files++
    size.bytes += (await fsp.lstat(join(entry.parentPath, entry.name))).size
  }

  return size
}

/** A restore in this process, timed with its CPU time (all threads of this process). */
function inProcess(work: (target: string) => Promise<Omit<Timing, 'seconds' | 'cpuSeconds'>>): RestoreTask {
  return async (target) => {
    const cpu = process.cpuUsage()
    const started = performance.now()
    const extra = await work(target)
    const seconds = (performance.now() - started) / 1000
    return {seconds, cpuSeconds: cpuMs(process.cpuUsage(cpu)) / 1000, ...extra}
  }
}

/** A command run as a process; `argv(target)` without the target, which comes last. */
function processTask(argv: () => string[], what: string): RestoreTask {
  return async (target) => {
    const run = await runTimed([...argv(), target])
    if (run.code !== 0) throw new RowError(`${what} ${exitText(run)}: ${lastLine(run)}`, 'failed')
    return {seconds: run.seconds, cpuSeconds: run.cpuSeconds}
  }
}

/** The test-only slowdown: busy work in proportion to the restore's CPU time, added to its wall and CPU time. */
function withSlowdown(task: RestoreTask, factor: number): RestoreTask {
  if (factor <= 0) return task
  return async (target) => {
    const timing = await task(target)
    const cpu = process.cpuUsage()
    const started = performance.now()
    spin((timing.cpuSeconds ?? timing.seconds) * 1000 * factor)
    return {...timing, seconds: timing.seconds + (performance.now() - started) / 1000, cpuSeconds: timing.cpuSeconds === null ? null : timing.cpuSeconds + cpuMs(process.cpuUsage(cpu)) / 1000}
  }
}

function unsupported(variant: VariantSpec, fs: string): RowError {
  // Short and free of scratch paths: reports show it in a table cell.
  return new RowError(`${variant.strategy} is not possible on ${fs}: it cannot clone files`, 'unsupported')
}

function exitText(run: TimedProcess): string {
  return run.signal ? `was killed by ${run.signal}` : `exited ${run.code}`
}

/** The last non-empty line a failed process printed (stderr first): usually its error. */
function lastLine(run: TimedProcess): string {
  for (const text of [run.stderr, run.stdout]) {
    const line = text.trim().split('\n').pop()?.trim()
    if (line) return line.length > 300 ? `${line.slice(0, 300)}…` : line
  }

  return 'no output'
}

/** The last JSON object on stdout (oclif --json prints one, possibly over several lines). */
function lastJson(stdout: string): unknown {
  const start = stdout.lastIndexOf('\n{')
  try {
    return JSON.parse(stdout.slice(start + 1))
  } catch {
    return undefined
  }
}

type DropOptionsStrategy = 'copy' | 'reflink' | 'hardlink'

function emptyMeasurements(): Pick<VariantResult, 'status' | 'samples' | 'cpuSamples' | 'engineSamples' | 'stats' | 'ratioToGzip' | 'ratioToFloor' | 'outliers'> {
  return {status: 'ok', samples: [], cpuSamples: [], engineSamples: [], stats: null, ratioToGzip: null, ratioToFloor: null, outliers: []}
}

/**
 * Time the rows with tinybench, interleaved: in each round every row runs a few restores, in an
 * order rotated from round to round, so a burst of load on a shared machine falls on all of them
 * alike rather than on whichever ran then. Each restore goes into a fresh empty target made and
 * removed outside the timed region, named like the corpus's identity but different (same
 * length), so relocations are really rewritten. A first untimed restore per row (the warm-up)
 * tells whether it can run here at all (reflink on a filesystem without clones is reported
 * unsupported, never timed as a copy), and its tree is compared with the expected one: a row
 * that restores a wrong tree is reported wrong and not timed.
 */
async function measureRows(plans: RowPlan[], scratch: string, corpus: Corpus, tree: TreeFacts, options: Options): Promise<VariantResult[]> {
  const rows = plans.map((plan) => plan.row)
  const targetName = restoreName(corpus.identity)
  let counter = 0
  const freshTarget = () => join(scratch, `t${counter++}`, targetName)
  const record = (row: VariantResult, timing: Timing) => {
    row.samples.push(timing.seconds)
    if (timing.cpuSeconds !== null) row.cpuSamples?.push(timing.cpuSeconds)
    if (timing.engineSeconds !== undefined) row.engineSamples?.push(timing.engineSeconds)
  }

  for (const plan of plans) {
    const {row} = plan
    try {
      for (let k = 0; k < Math.max(1, options.warmupRuns); k++) {
        const target = freshTarget()
        await fsp.mkdir(join(target, '..'), {recursive: true})
        try {
          options.onProgress?.({phase: `${corpus.label}: warm-up ${row.variant}`, done: k, total: options.warmupRuns, unit: 'runs'})
          const timing = await plan.restore(target)
          if (k === 0 && timing.counts) row.strategyCounts = {...timing.counts}
          if (k === 0 && plan.check) {
            row.check = await checkRestoredTree({source: corpus.root, target, identity: corpus.identity, targetName, ...plan.check})
            if (!row.check.ok) {
              row.status = 'wrong'
              row.reason = `${row.kind === 'engine' ? `engine ${row.variant} ` : ''}${describeCheck(row.check)}`
              break
            }
          }
        } finally {
          await fsp.rm(join(target, '..'), {recursive: true, force: true})
        }
      }
    } catch (error) {
      row.status = error instanceof RowError ? error.status : 'failed'
      row.reason = (error as Error).message
    }
  }

  const live = plans.flatMap((plan, i) => (plan.row.status === 'ok' ? [i] : []))
  const rounds = Math.max(1, Math.min(options.rounds ?? 5, options.minRuns))
  const perRound = Math.ceil(options.minRuns / rounds)
  for (let round = 0; round < rounds && live.length > 0; round++) {
    const bench = new Bench({iterations: perRound, time: (options.minTimeSeconds * 1000) / rounds, warmup: false, throws: true})
    const order = live.map((_, k) => live[(k + round) % live.length])
    for (const i of order) {
      const {row, restore} = plans[i]
      let target = ''
      bench.add(
        row.variant,
        async () => {
          // A row that failed earlier in this round is not run again.
          if (row.status !== 'ok') return {overriddenDuration: 0}
          try {
            const timing = await restore(target)
            record(row, timing)
            options.onProgress?.({phase: `${corpus.label}: round ${round + 1}/${rounds} ${row.variant}`, done: row.samples.length, total: perRound * rounds, unit: 'runs'})
            // Our own clock, so tinybench's statistics and ours describe the same numbers.
            return {overriddenDuration: timing.seconds * 1000}
          } catch (error) {
            row.status = 'failed'
            row.reason = (error as Error).message
            return {overriddenDuration: 0}
          }
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

    for (let k = live.length - 1; k >= 0; k--) if (rows[live[k]].status !== 'ok') live.splice(k, 1)
  }

  for (const row of rows) {
    // A series is kept only when every restore reported it.
    if (row.cpuSamples?.length !== row.samples.length || row.samples.length === 0) delete row.cpuSamples
    if (row.engineSamples?.length !== row.samples.length || row.samples.length === 0) delete row.engineSamples
    if (row.status !== 'ok') {
      row.samples = []
      continue
    }

    row.stats = summarize(row.samples, {files: tree.files, bytes: tree.bytes})
    row.outliers = madOutliers(row.samples)
  }

  return rows
}

/**
 * The name restores are written under: as long as the identity (relocations are patched in
 * place) but different, so a restore that leaves a relocation unrewritten is caught. The first
 * ASCII letter or digit is changed.
 */
export function restoreName(identity: string): string {
  const at = identity.search(/[A-Za-z0-9]/)
  if (at < 0) throw new HoloError('EUSAGE', `the identity ${JSON.stringify(identity)} needs an ASCII letter or digit`)
  const char = identity[at]
  const swap = /[0-9]/.test(char) ? (char === '1' ? '2' : '1') : char === 'r' ? 's' : 'r'
  return identity.slice(0, at) + swap + identity.slice(at + 1)
}

/**
 * Ratios of medians with bootstrap intervals, against gzip and against the floor of the same run.
 * An engine's gzipReference (e.g. RCC's zstd fork against RCC's gzip build) replaces the gzip row.
 */
function addRatios(rows: VariantResult[], engines: readonly EngineSpec[]): void {
  const ok = (name: string | undefined) => rows.find((row) => row.variant === name && row.status === 'ok')
  const floor = ok('floor')
  for (const row of rows) {
    if (row.status !== 'ok') continue
    const gzip = ok(engines.find((engine) => engine.name === row.variant)?.gzipReference ?? 'gzip')
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

