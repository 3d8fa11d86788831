import {existsSync} from 'node:fs'
import {mkdir, writeFile} from 'node:fs/promises'
import {dirname} from 'node:path'
import {Flags, type Interfaces} from '@oclif/core'

import type {ResultsFile} from '../bench/results.js'
import {HoloCommand} from '../cli/base-command.js'
import {chooseScratch} from '../cli/run-defaults.js'
import {isHoloError} from '../engine/errors.js'
import {writeFileAtomic} from '../engine/fs/atomic.js'
import {compareResults} from '../gate/compare.js'
import {renderMarkdown} from '../gate/markdown.js'
import {exitCodeFor, GATE_METRICS, INCONCLUSIVE_POLICIES, type GateReport} from '../gate/report.js'
import {poolResults} from '../gate/pool.js'
import {gateWithReruns} from '../gate/reruns.js'
import {runOptionsFromBaseline, type RunOverrides} from '../gate/run-options.js'
import {parseSlowdown} from '../gate/slowdown.js'
import {renderText} from '../gate/text.js'
import {parseFraction} from '../gate/threshold.js'
import {loadResults} from '../report/load.js'

export interface GateOutput {
  /** Set when --update-baseline wrote a new baseline. */
  updatedBaseline?: string
  /** The comparison; with --update-baseline only when an old comparable baseline existed. */
  report?: GateReport
  /** What the command exits with (--inconclusive decides it for an inconclusive verdict). */
  exitCode?: number
}

const RUN_FLAGS = ['variants', 'scratch', 'warmup', 'runs', 'min-time', 'jobs', 'out', 'reruns', 'time-budget', 'baseline-runs']

export default class Gate extends HoloCommand {
  static override summary = 'Fail a CI build when restores got slower than a baseline, and only then.'
  static override description = `Compares what survives a change of machine: each variant's restore time as a ratio to the gzip row and to the floor measured in the same run (never absolute seconds), plus deterministic figures (file counts and raw bytes exactly; stored bytes and compression ratio within 1%).

Each timing row gets a bootstrap interval (over the samples of both runs) of the change of its ratio, and one of three answers. fail: the interval lies above 0 and the change is beyond --threshold (a real slowdown, and a large one). pass: the interval lies below --threshold and the change within half of it (evidence that nothing regressed). inconclusive: neither; the data cannot tell, which is not a pass. Ratios compare a low quantile of the restore times (--quantile, default the 10th percentile: a busy machine only ever adds time) and, where both runs recorded them, process CPU times rather than wall-clock (--clock).

Without --current the benchmark runs now with the baseline's settings. While a timing row is inconclusive it measures again and judges the pooled samples, until every row is decided, --reruns are used up or --time-budget runs out; a first fail is confirmed by one more run. Each timing row reports the smallest regression it could have detected.

Exit codes: 0 pass, 1 regression (fail), 2 usage or input error (missing file, another results schema version, different scenarios), 3 inconclusive (change with --inconclusive fail|pass).`

  static override examples = [
    {description: 'Gate a fresh run against the committed baseline, keeping the measured results', command: '<%= config.bin %> <%= command.id %> --baseline reports/baseline/medium.json --out gate-results.json'},
    {description: 'Judge two existing result files (gate-results.json: the first example\'s), with a Markdown job summary', command: '<%= config.bin %> <%= command.id %> --baseline reports/baseline/medium.json --current gate-results.json --markdown ./gate-summary.md'},
    {description: 'Only timing ratios, stricter threshold', command: '<%= config.bin %> <%= command.id %> --baseline reports/baseline/medium.json --current gate-results.json --threshold 5% --metric ratioToGzip --metric ratioToFloor'},
    {description: 'On a shared CI runner: measure for up to 5 minutes, and let an inconclusive verdict pass the build', command: '<%= config.bin %> <%= command.id %> --baseline reports/baseline/medium.json --time-budget 300 --inconclusive pass'},
    {description: 'Deliberately replace the baseline with a new run', command: '<%= config.bin %> <%= command.id %> --baseline reports/baseline/medium.json --update-baseline'},
  ]

  static override flags = {
    baseline: Flags.string({char: 'b', description: 'baseline results.json (also where --update-baseline writes)', required: true}),
    current: Flags.string({char: 'c', description: 'results.json to judge; without it the benchmark runs now with the baseline settings', exclusive: RUN_FLAGS}),
    threshold: Flags.string({char: 't', description: 'regression that fails the build: 10% or 0.1', default: '10%'}),
    metric: Flags.option({description: 'metric to judge (repeatable; default all)', options: GATE_METRICS, multiple: true})(),
    confidence: Flags.string({description: 'two-sided confidence of the bootstrap intervals', default: '95%'}),
    clock: Flags.option({description: 'restore times to compare: cpu (process CPU time, steady on a busy machine), wall, or auto (cpu when both runs recorded it)', options: ['auto', 'cpu', 'wall'] as const, default: 'auto'})(),
    quantile: Flags.string({description: 'quantile of restore times the ratios compare: the low ones are the least disturbed by a busy machine; 50% = medians', default: '10%'}),
    markdown: Flags.string({description: 'also write the verdict as Markdown to this file (e.g. "$GITHUB_STEP_SUMMARY")'}),
    'update-baseline': Flags.boolean({description: 'write the current results to --baseline (atomically) instead of judging them'}),
    'baseline-runs': Flags.integer({description: 'with --update-baseline: measure this many runs (default 5) and pool them: the runs\' spread is what later checks judge drift by, and one baseline\'s luck is shared by every check against it', min: 1, dependsOn: ['update-baseline']}),
    out: Flags.string({description: 'when the gate runs the benchmark: also write the measured results here'}),
    inconclusive: Flags.option({description: 'exit code of an inconclusive verdict: exit-3 (its own code), fail (exit 1) or pass (exit 0); the report still says inconclusive', options: INCONCLUSIVE_POLICIES, default: 'exit-3'})(),
    reruns: Flags.integer({description: 'when the gate runs the benchmark: measure again at most this many times while a timing row is inconclusive (or to confirm a fail), judging the pooled samples', default: 20, min: 0}),
    'time-budget': Flags.integer({description: 'when the gate runs the benchmark: seconds of measuring after which no further run starts', default: 180, min: 0}),
    variants: Flags.string({description: 'when the gate runs the benchmark: variants to measure (default: the baseline\'s)', multiple: true, delimiter: ','}),
    scratch: Flags.string({description: 'when the gate runs the benchmark: scratch directory for restores (default: /dev/shm when it is a tmpfs with room, as in `run`)'}),
    warmup: Flags.integer({description: 'when the gate runs the benchmark: warm-up restores per variant (default: the baseline\'s)', min: 1}),
    runs: Flags.integer({description: 'when the gate runs the benchmark: minimum measured restores (default: the baseline\'s)', min: 1}),
    'min-time': Flags.string({description: 'when the gate runs the benchmark: minimum seconds per variant (default: the baseline\'s)'}),
    jobs: Flags.integer({char: 'j', description: 'when the gate runs the benchmark: parallel restore workers (default: the baseline\'s)', min: 1}),
    'inject-slowdown': Flags.string({description: 'test only: add work to matching restores, e.g. zstd:0.2', hidden: true}),
  }

  async run(): Promise<GateOutput> {
    const {flags} = await this.parse(Gate)
    const options = {
      threshold: parseFraction(flags.threshold, 'threshold'),
      confidence: parseFraction(flags.confidence, 'confidence'),
      quantile: parseFraction(flags.quantile, 'quantile'),
      clock: flags.clock,
      ...(flags.metric ? {metrics: flags.metric} : {}),
    }
    if (flags.current && flags['inject-slowdown']) this.error('--inject-slowdown needs a run: it cannot change --current results', {exit: 2})
    const runOverrides = this.runOverrides(flags)
    if (!flags.current && runOverrides.scratch === undefined) {
      // As `run` does: restores on tmpfs where the machine has one, else a warning that the
      // scratch is a disk (its ratios are not comparable with a tmpfs baseline's).
      const scratch = await chooseScratch(undefined)
      if (scratch.warning) this.warn(scratch.warning)
      runOverrides.scratch = scratch.dir
    }
    const baseline = await this.loadBaseline(flags.baseline, flags['update-baseline'])
    const measure = async (): Promise<ResultsFile> => {
      if (!baseline) this.error(`${flags.baseline} does not exist or is not usable, so there are no settings to run with: pass --current, or create it with \`holobench run\``, {exit: 2})
      // Loaded only when needed: judging two files must not depend on the benchmark machinery.
      const {runBenchmark} = await import('../bench/runner.js')
      try {
        return await runBenchmark(runOptionsFromBaseline(baseline, {...runOverrides, onProgress: this.progress('gate')}))
      } finally {
        this.stopProgress()
      }
    }

    if (flags['update-baseline']) {
      const current = flags.current ? await loadResults(flags.current) : await measureRuns(measure, flags['baseline-runs'] ?? 5)
      if (flags.out && !flags.current) await writeJsonAtomic(flags.out, current)
      return this.updateBaseline(flags.baseline, baseline, current, options, flags.markdown)
    }

    let report: GateReport
    if (flags.current) {
      report = compareResults(baseline!, await loadResults(flags.current), options)
    } else {
      const run = await gateWithReruns(baseline!, measure, {...options, reruns: flags.reruns, budgetSeconds: flags['time-budget']})
      if (flags.out) await writeJsonAtomic(flags.out, run.current)
      report = run.report
    }

    this.log(renderText(report))
    if (flags.markdown) await writeFile(flags.markdown, renderMarkdown(report))
    // Exit 1 means "regression" and nothing else; process.exitCode keeps --json output intact.
    const exitCode = exitCodeFor(report.verdict, flags.inconclusive)
    if (exitCode !== 0) process.exitCode = exitCode
    return {report, exitCode}
  }

  /** Run options the flags override; everything else comes from the baseline's settings. */
  private runOverrides(flags: Interfaces.InferredFlags<typeof Gate.flags>): RunOverrides {
    const minTime = flags['min-time'] === undefined ? undefined : Number(flags['min-time'])
    if (minTime !== undefined && !(minTime >= 0)) this.error(`--min-time ${flags['min-time']} is not a number of seconds`, {exit: 2})
    return {
      argv: this.argv,
      variants: flags.variants,
      scratch: flags.scratch,
      warmupRuns: flags.warmup,
      minRuns: flags.runs,
      minTimeSeconds: minTime,
      jobs: flags.jobs,
      injectSlowdown: flags['inject-slowdown'] === undefined ? undefined : parseSlowdown(flags['inject-slowdown']),
    }
  }

  /**
   * The baseline file. Updating may start from nothing, or from a baseline another holobench
   * version wrote (that is often why it is being updated): then it is ignored, not an error.
   */
  private async loadBaseline(path: string, updating: boolean): Promise<ResultsFile | undefined> {
    if (updating && !existsSync(path)) return undefined
    try {
      return await loadResults(path)
    } catch (error) {
      if (updating && isHoloError(error, 'ESCHEMA')) {
        this.logToStderr(`ignoring the old baseline: ${error.message}`)
        return undefined
      }
      if (isHoloError(error, 'ESCHEMA')) {
        error.message += ' (refresh it with `holobench gate --update-baseline`)'
      }
      throw error
    }
  }

  private async updateBaseline(
    path: string,
    old: ResultsFile | undefined,
    current: ResultsFile,
    options: Parameters<typeof compareResults>[2],
    markdown: string | undefined,
  ): Promise<GateOutput> {
    // Show what the new baseline changes, when the old one is comparable; never block the update.
    let report: GateReport | undefined
    if (old) {
      try {
        report = compareResults(old, current, options)
      } catch (error) {
        if (!isHoloError(error, 'ESCHEMA')) throw error
        this.logToStderr(`not comparing with the old baseline: ${error.message}`)
      }
    }
    await writeJsonAtomic(path, current)
    if (report) {
      this.log(renderText(report))
      this.log('')
      if (markdown) await writeFile(markdown, renderMarkdown(report))
    }
    this.log(`wrote baseline ${path} (${current.scenarios.map((scenario) => scenario.scenario).join(', ')}; holobench ${current.holobench.version}${current.holobench.commit ? ` ${current.holobench.commit.slice(0, 12)}` : ''})`)
    return {updatedBaseline: path, ...(report ? {report} : {})}
  }

  /** Anything that keeps the gate from a verdict exits 2: exit 1 is reserved for "regression". */
  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    process.exitCode = 2 // also under --json, where oclif would otherwise exit 1
    if (isHoloError(error) && error.code !== 'EUSAGE' && error.code !== 'ESCHEMA') {
      return super.catch(Object.assign(new Error(`${error.code}: ${error.message}`), {oclif: {exit: 2}}))
    }
    if (!isHoloError(error)) error.oclif = {...error.oclif, exit: 2}
    return super.catch(error)
  }
}

/** Several runs of the same settings, pooled into one results file (a steadier baseline). */
async function measureRuns(measure: () => Promise<ResultsFile>, runs: number): Promise<ResultsFile> {
  const measured: ResultsFile[] = []
  for (let i = 0; i < runs; i++) measured.push(await measure())
  return poolResults(measured)
}

/** Results files are replaced whole (temp file, fsync, rename): never half a baseline. */
async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), {recursive: true})
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`)
}
