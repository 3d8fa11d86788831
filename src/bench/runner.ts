import {promises as fsp} from 'node:fs'
import {basename, join, resolve} from 'node:path'

import {Bench} from 'tinybench'

import {availableZstdBackends, resolveZstdBackend} from '../engine/codec/index.js'
import {HoloError} from '../engine/errors.js'
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
import {candidateDefinition} from './candidates/index.js'
import type {CandidateContext, CandidateSpec, LiftedLibrary} from './candidates/index.js'
import {RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION} from './results.js'
import type {EngineLibraryResult, EngineSpec, ResultsFile, RunMode, ScenarioResult, TreeFacts, VariantResult} from './results.js'
import {cpuMs, dropRestore, emptyMeasurements, exitText, inProcess, lastLine, processTask, RowError} from './row-plan.js'
import type {RestoreTask, RowPlan, Timing} from './row-plan.js'
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
  /** The run is `run --candidates` (recorded in the results; candidate rows run either way). */
  candidates?: boolean
}

interface Corpus {
  label: string
  root: string
  source: ScenarioResult['source']
  /** The name relocations hold: the tree's basename. */
  identity: string
}

/** Run the restore benchmark matrix: every variant on every corpus, side by side in one run. */
export async function runBenchmark(options: RunOptions): Promise<ResultsFile> {
  const variants = options.variants.map((name) => parseVariant(name))
  const engines = options.engines ?? []
  if (variants.length === 0 && engines.length === 0) throw new HoloError('EUSAGE', 'No variants to run')
  if (options.scenarios.length === 0 && !options.trees?.length) throw new HoloError('EUSAGE', 'Name a --scenario or a --tree to run')
  validateEngines(engines, options.variants)
  const mode = options.mode ?? 'in-process'
  // A run with a level or candidate row compares designs: it is a candidates run, flag or not.
  const candidates = options.candidates === true || variants.some((variant) => variant.candidate !== undefined || variant.level !== undefined)
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
        ...(candidates ? {candidates: true} : {}),
      },
      scenarios: [],
    }
    for (const corpus of await corpora(options)) {
      results.scenarios.push(await runCorpus(corpus, variants, join(scratch, `s${results.scenarios.length}`), {...options, mode, engines, candidates}, results.environment.scratchFs))
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

async function runCorpus(corpus: Corpus, variants: VariantSpec[], scratch: string, options: Options, scratchFs: string): Promise<ScenarioResult> {
  await fsp.mkdir(scratch, {recursive: true})
  const engines = options.engines
  const libraries = new Libraries(corpus, scratch, options)
  // The seed's libraries first, in the order named, as before candidates existed. Engines
  // without a lift of their own restore holobench's library of their codec.
  const seedCodecs = [...new Set([...variants.flatMap((v) => (v.codec && !v.candidate ? [libraryKey(v.codec, v.level)] : [])), ...engines.flatMap((e) => (e.lift || e.libraryOf ? [] : [libraryKey((e.codec ?? 'gzip') as CodecName)]))])]
  for (const key of seedCodecs) await libraries.get(...parseKey(key))

  // The floor copies from the same filesystem the restores write to.
  let floor: FloorPlan | undefined
  if (variants.some((v) => v.strategy === 'floor')) {
    const floorSource = join(scratch, 'floor-source', basename(corpus.root))
    await fsp.mkdir(join(scratch, 'floor-source'))
    await cpCopy(corpus.root, floorSource)
    floor = await planFloor(floorSource)
  }

  const plans: RowPlan[] = []
  for (const variant of variants) {
    plans.push(variant.candidate ? await candidatePlan(variant as CandidateSpec, libraries, join(scratch, `cand-${plans.length}`), corpus, options, scratchFs) : variantPlan(variant, variant.codec ? await libraries.get(variant.codec, variant.level) : undefined, floor, options, scratchFs))
  }

  const tree = libraries.tree ?? (await treeFactsOf(corpus.root))
  const catalogs = libraries.catalogs()
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
  return {scenario: corpus.label, source: corpus.source, tree, libraries: libraries.results, ...(engineLibraries.length > 0 ? {engineLibraries} : {}), rows}
}

/** `zstd`, `zstd-l19`: one library per codec and level, lifted once per corpus. */
function libraryKey(codec: CodecName, level?: number): string {
  return level === undefined || level === 1 ? codec : `${codec}-l${level}`
}

function parseKey(key: string): [CodecName, number | undefined] {
  const [codec, level] = key.split('-l')
  return [codec as CodecName, level === undefined ? undefined : Number(level)]
}

/** holobench's libraries of one corpus, lifted on first use and recorded in the results in that order. */
class Libraries {
  readonly results: ScenarioResult['libraries'] = []
  tree: TreeFacts | undefined
  private readonly lifted = new Map<string, Promise<LiftedLibrary>>()
  private readonly done = new Map<string, LiftedLibrary>()

  constructor(
    private readonly corpus: Corpus,
    private readonly scratch: string,
    private readonly options: Options,
  ) {}

  get(codec: CodecName, level?: number): Promise<LiftedLibrary> {
    const key = libraryKey(codec, level)
    let library = this.lifted.get(key)
    if (!library) {
      library = this.lift(codec, level === 1 ? undefined : level, key)
      this.lifted.set(key, library)
    }

    return library
  }

  /** The catalog of each codec's default-level library (engines restore those). */
  catalogs(): Map<CodecName, string> {
    const catalogs = new Map<CodecName, string>()
    for (const [key, library] of this.done) if (!key.includes('-l')) catalogs.set(key as CodecName, library.catalog)
    return catalogs
  }

  private async lift(codec: CodecName, level: number | undefined, key: string): Promise<LiftedLibrary> {
    const {corpus, options} = this
    options.onProgress?.({phase: `${corpus.label}: lift ${key}`, done: 0, total: 1, unit: 'lifts'})
    const root = join(this.scratch, `lib-${key}`)
    // Candidate runs compare zstd levels: node:zlib, where it has zstd, compresses every one of
    // them (the N-API binding takes 75-100 ms a file at level 19, hours for a real tree), and its
    // frames carry their content size, as RCC's fork writes them.
    const zstdBackend = codec === 'zstd' && options.candidates && availableZstdBackends().includes('zlib') ? 'zlib' : undefined
    const lifted = await lift({source: corpus.root, library: root, codec, level, zstdBackend, fsync: false, rccExcludes: options.rccExcludes, identity: corpus.identity})
    this.tree ??= {files: lifted.files, dirs: lifted.dirs, symlinks: lifted.symlinks, bytes: lifted.bytes, relocatedFiles: lifted.relocatedFiles}
    const facts = await inspect({path: lifted.catalog})
    const result = {
      codec,
      ...(level === undefined ? {} : {level}),
      ...(codec === 'zstd' ? {zstdBackend: resolveZstdBackend('auto')} : {}),
      rawBytes: facts.rawBytes,
      storedBytes: facts.storedBytes,
      ratio: facts.ratio,
      liftSeconds: lifted.seconds,
      catalogBytes: lifted.catalogBytes,
    }
    this.results.push(result)
    const library = {root, catalog: lifted.catalog, facts: result}
    this.done.set(key, library)
    return library
  }
}

/**
 * A candidate's row (candidates/index.ts): its plan builds what it restores from, outside the
 * timed region; a plan that fails, or cannot restore here, makes the row's status say so.
 */
async function candidatePlan(spec: CandidateSpec, libraries: Libraries, scratch: string, corpus: Corpus, options: Options, scratchFs: string): Promise<RowPlan> {
  const row: VariantResult = {
    variant: spec.name,
    kind: 'variant',
    mode: options.mode,
    codec: spec.codec,
    verify: spec.verify,
    strategy: spec.strategy,
    ...(spec.codec === 'zstd' ? {zstdBackend: resolveZstdBackend(spec.zstdBackend ?? 'auto')} : {}),
    ...(spec.level === undefined ? {} : {level: spec.level}),
    ...emptyMeasurements(),
  }
  const context: CandidateContext = {
    corpus: {label: corpus.label, root: corpus.root, identity: corpus.identity, ...(corpus.source.kind === 'scenario' ? {scenario: {name: corpus.label, seed: corpus.source.seed}} : {})},
    scratch,
    mode: options.mode,
    jobs: options.jobs,
    rccExcludes: options.rccExcludes === true,
    scratchFs,
    library: (codec, level) => libraries.get(codec, level),
    dropRestore: (settings) => dropRestore({...settings, jobs: options.jobs, mode: options.mode, scratchFs, variant: spec.name}),
    onProgress: options.onProgress,
  }
  const failing = (status: 'unsupported' | 'failed', reason: string): RestoreTask => async () => {
    throw new RowError(reason, status)
  }

  try {
    await fsp.mkdir(scratch, {recursive: true})
    options.onProgress?.({phase: `${corpus.label}: build ${spec.name}`, done: 0, total: 1, unit: 'builds'})
    const plan = await candidateDefinition(spec.candidate).plan(spec, context)
    row.candidate = plan.facts
    const restore = plan.restore ?? failing('unsupported', plan.unsupported ?? 'cannot restore here')
    return {
      row,
      restore: plan.unsupported ? failing('unsupported', plan.unsupported) : withSlowdown(restore, slowdownFor(spec, options)),
      check: {rccExcludes: options.rccExcludes === true, extraFiles: [], ...(plan.checkSource ? {source: plan.checkSource} : {})},
      prepare: plan.prepare,
    }
  } catch (error) {
    return {row, restore: failing(error instanceof RowError ? error.status : 'failed', `${spec.name}: ${(error as Error).message}`)}
  }
}

function variantPlan(variant: VariantSpec, library: LiftedLibrary | undefined, floor: FloorPlan | undefined, options: Options, scratchFs: string): RowPlan {
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
    ...(variant.level === undefined ? {} : {level: variant.level}),
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

  const check = {rccExcludes: options.rccExcludes === true, extraFiles: []}
  const restore = dropRestore({
    catalog: (library as LiftedLibrary).catalog,
    codec: variant.codec as CodecName,
    verify: variant.verify,
    strategy: variant.strategy as 'copy' | 'reflink' | 'hardlink',
    zstdBackend: variant.zstdBackend,
    jobs: options.jobs,
    mode,
    variant: variant.name,
    scratchFs,
  })
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
          await plan.prepare?.(target)
          const timing = await plan.restore(target)
          if (k === 0 && timing.counts) row.strategyCounts = {...timing.counts}
          if (k === 0 && plan.check) {
            const {source, ...check} = plan.check
            row.check = await checkRestoredTree({source: source ?? corpus.root, target, identity: corpus.identity, targetName, ...check})
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
      const {row, restore, prepare} = plans[i]
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
            await prepare?.(target)
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

