import {promises as fsp} from 'node:fs'
import {basename, resolve} from 'node:path'

import {Flags} from '@oclif/core'

import {collectEngines, loadEngineFile, parseEngineFlag, parseEngineLiftFlag, validateEngines} from '../bench/engines.js'
import {runBenchmark} from '../bench/runner.js'
import {RUN_MODES} from '../bench/results.js'
import type {ResultsFile} from '../bench/results.js'
import {removeAllScratchSync} from '../bench/scratch.js'
import {renderSummary} from '../bench/summary.js'
import {CANDIDATE_VARIANTS, CANDIDATES} from '../bench/candidates/index.js'
import {defaultVariants} from '../bench/variants.js'
import {HoloCommand} from '../cli/base-command.js'
import {checkRunIdentity, identityWarning, relocatedWarning} from '../cli/identity-check.js'
import {handleInterrupt, sayInterrupted} from '../cli/interruption.js'
import {canClone, chooseScratch, runnableVariants} from '../cli/run-defaults.js'
import {availableZstdBackends} from '../engine/codec/index.js'
import {HoloError} from '../engine/errors.js'
import {tempPathFor, writeFileAtomic} from '../engine/fs/atomic.js'
import {defaultJobs} from '../engine/jobs.js'
import {parseSlowdown} from '../gate/slowdown.js'
import {writeReports} from '../report/index.js'
import {renderCandidatesText} from '../report/candidates-text.js'
import {renderAnswer} from '../report/text.js'

export default class Run extends HoloCommand {
  static override summary = 'Benchmark restores: gzip vs zstd vs skip-verify vs reflink, against the floor.'
  static override description = `For each scenario (or --tree), lifts one library per codec (lift time, bytes stored and ratio are measured), then times restores of each variant into fresh empty targets with tinybench. By default (--mode process) every timed restore is a fresh \`holobench drop\` process, timed from spawn to exit, as users and RCC run restores; --mode in-process times the engine warmed up inside this process (engine profiling).

External engines (--engine NAME=COMMAND, repeatable, or --engine-file) are timed beside the variants, as processes: placeholders {catalog} {library} {target} {codec} {identity} are filled in, hyperfine-style; an engine that lifts its own library gets --engine-lift NAME=COMMAND ({tree} {library} {codec} {identity}), run once per scenario outside the timed region. The first restore of every variant and engine is compared with the expected tree (content, relocations rewritten, symlinks, modes): a wrong tree is reported and not timed. Variants are named <codec>[@napi|@zlib][-copy|-reflink|-hardlink][-noverify], or floor: a plain recursive copy of the uncompressed tree on the scratch filesystem, the fastest restore possible here. Reflink rows need a scratch on a filesystem that clones (XFS with reflink, Btrfs; see scripts/cow-scratch.sh): elsewhere they are reported unsupported, never timed as copies.

Candidates beyond the seed (--candidates, or by name in --variants) are proposals timed the same way, each with its full disk cost, build cost and whether RCC can read it (released RCC, its zstd fork, or neither, and what it would take), shown in one table and a time-against-disk chart: level rows <codec>-l<N> (zstd-l19, gzip-l9: a library lifted at that level), ${CANDIDATES.map((c) => `${c.pattern} (${c.summary})`).join('; ')}. They restore from private scratch copies built for the benchmark, never a real library.

The summary table goes to stdout, progress to stderr; --out writes results.json (every sample plus the environment) and --report writes CSV, HTML and Markdown reports.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --scenario small,large --out results.json --report reports/today',
    '<%= config.bin %> <%= command.id %> --tree "$(python3 -c "import sysconfig;print(sysconfig.get_paths()[\'stdlib\'])")" --variants gzip,zstd,zstd-noverify,none-copy,floor',
    'sudo scripts/cow-scratch.sh up /mnt/cow && <%= config.bin %> <%= command.id %> --scratch /mnt/cow --variants gzip,none-copy,none-reflink,floor',
    '<%= config.bin %> <%= command.id %> --scenario small --mode in-process',
    '<%= config.bin %> <%= command.id %> --scenario small --candidates --runs 3',
    '<%= config.bin %> <%= command.id %> --scenario small --variants gzip,zstd,zstd-l19,pack,floor',
    `<%= config.bin %> <%= command.id %> --scenario small --variants gzip --engine 'python-reader=python3 test/fixtures/read-hololib.py {catalog} {target}'`,
  ]

  static override flags = {
    scenario: Flags.string({description: 'scenarios to run, comma-separated (scenarios/<name>.json)', delimiter: ',', multiple: true}),
    tree: Flags.directory({description: 'a real directory to use as a corpus (repeatable); give it its real --identity', multiple: true, exists: true}),
    identity: Flags.string({description: "the identity --tree corpora are lifted with, as `lift --identity` (default: the tree's basename; a short or common name marks ordinary files relocated)", dependsOn: ['tree']}),
    variants: Flags.string({description: 'variants to time, comma-separated (default: gzip, zstd, zstd-noverify, none-copy, floor, a row per extra zstd backend, and none-reflink where the scratch can clone)', delimiter: ',', multiple: true}),
    scratch: Flags.directory({description: 'where libraries and restores go (default: /dev/shm when it is a tmpfs with room, else the OS temp dir, with a warning)', exists: true}),
    out: Flags.string({char: 'o', description: 'write results.json here'}),
    report: Flags.string({description: 'also write CSV, HTML and Markdown reports into this directory'}),
    runs: Flags.integer({description: 'minimum timed restores per variant', default: 10, min: 1}),
    'min-time': Flags.integer({description: 'minimum seconds of timed restores per variant', default: 1, min: 0}),
    warmup: Flags.integer({description: 'untimed restores before timing (the first also checks the variant can run)', default: 1, min: 1}),
    jobs: Flags.integer({char: 'j', description: 'files restored at once', min: 1}),
    seed: Flags.integer({description: 'scenario generator seed', default: 1}),
    'rcc-excludes': Flags.boolean({description: 'lift as RCC does, without __pycache__, *.pyc, .git, … (default: every file of the corpus)'}),
    mode: Flags.option({description: 'process: a fresh process per timed restore, spawn to exit; in-process: the engine warmed up in this process (profiling)', options: RUN_MODES, default: 'process'})(),
    engine: Flags.string({description: "an external restore to time beside the variants: 'NAME=COMMAND {catalog} {library} {target}' (repeatable)", multiple: true}),
    'engine-lift': Flags.string({description: "lift command of an engine with its own library: 'NAME=COMMAND {tree} {library}' (its last output line becomes {catalog})", multiple: true}),
    'engine-file': Flags.file({description: 'JSON engine definitions: {"engines": [{"name", "restore", "lift", "codec", "engineTime", "extraFiles", …}]}', exists: true}),
    candidates: Flags.boolean({description: `time the candidates beyond the seed instead of the default variants: ${CANDIDATE_VARIANTS.join(', ')} (with --variants: added to them)`}),
    'inject-slowdown': Flags.string({description: 'test only: add work to matching restores, e.g. zstd:0.2', hidden: true}),
  }

  async run(): Promise<ResultsFile> {
    const {flags} = await this.parse(Run)
    const scenarios = flags.scenario ?? (flags.tree ? [] : ['medium'])
    const out = flags.out
    const engines = collectEngines(flags['engine-file'] ? loadEngineFile(flags['engine-file']) : [], (flags.engine ?? []).map((value) => parseEngineFlag(value)), (flags['engine-lift'] ?? []).map((value) => parseEngineLiftFlag(value)))
    // A tree's identity decides which files are relocated: a short or common one marks most of them.
    if (flags.identity) checkRunIdentity(flags.identity)
    for (const tree of flags.tree ?? []) {
      const warning = identityWarning(flags.identity ?? basename(resolve(tree)), flags.identity ? '--identity' : `the basename of ${tree}`)
      if (warning) this.warn(warning)
    }
    // A first run without flags should answer: tmpfs where there is one, variants that can run there.
    const scratch = await chooseScratch(flags.scratch)
    if (scratch.warning) this.warn(scratch.warning)
    const chosen = flags.variants
      ? {variants: flags.candidates ? [...new Set([...flags.variants, ...CANDIDATE_VARIANTS])] : flags.variants}
      : flags.candidates
        ? {variants: [...CANDIDATE_VARIANTS]}
        : runnableVariants(defaultVariants(availableZstdBackends()), await canClone(scratch.dir), scratch.fs)
    if (chosen.note) this.logToStderr(chosen.note)
    const slowLevels = chosen.variants.filter((name) => /^(zstd|pack|dict)(@\w+)?-l(1\d|2\d)\b/.test(name))
    if (slowLevels.length > 0 && !availableZstdBackends().includes('zlib')) {
      this.warn(`${slowLevels.join(', ')}: without node:zlib zstd (Node ≥ 22.15) the @mongodb-js/zstd binding compresses at high levels at about 75 ms a file: lifting a real tree takes many minutes`)
    }
    // A missing binary or a bad template is an input error before anything is written.
    validateEngines(engines, chosen.variants)
    // A bad output path fails now, not after minutes of measuring; an existing file stays as it
    // is until there are results to replace it with (Ctrl-C keeps the old ones).
    if (out) await assertWritable(out)
    // Ctrl-C: lift and restore lanes run on worker threads too, stopped first, so that none
    // writes into the scratch while it is removed.
    const interruption = handleInterrupt(() => {
      this.stopProgress('interrupted')
      const left = removeAllScratchSync()
      for (const {dir, error} of left) process.stderr.write(`scratch ${dir} was left: ${error.message}\n`)
      const kept = out ? `${out} holds the scenarios that finished before it, if any (otherwise it is as it was)` : 'no results were saved'
      const message = `run interrupted: ${kept}; ${left.length === 0 ? 'its scratch was removed' : 'see above for scratch left behind'}`
      sayInterrupted(message, this.jsonEnabled())
    })
    try {
      const results = await interruption.guard(runBenchmark({
        scenarios,
        trees: flags.tree,
        variants: chosen.variants,
        mode: flags.mode,
        engines,
        scratch: scratch.dir,
        warmupRuns: flags.warmup,
        minRuns: flags.runs,
        minTimeSeconds: flags['min-time'],
        jobs: flags.jobs ?? defaultJobs(),
        seed: flags.seed,
        rccExcludes: flags['rcc-excludes'],
        identity: flags.identity,
        candidates: flags.candidates,
        argv: this.argv,
        injectSlowdown: flags['inject-slowdown'] ? parseSlowdown(flags['inject-slowdown']) : undefined,
        onProgress: this.progress('run'),
        onScenario: out ? (partial) => writeFileAtomic(out, JSON.stringify(partial, null, 2) + '\n') : undefined,
      }))
      this.stopProgress()
      for (const scenario of results.scenarios.filter((candidate) => candidate.source.kind === 'tree')) {
        const warning = relocatedWarning(scenario.scenario, flags.identity ?? scenario.scenario.replace(/^tree:/, ''), scenario.tree.relocatedFiles, scenario.tree.files)
        if (warning) this.warn(warning)
      }
      if (flags.report) {
        const {files} = await writeReports({results: [results], outDir: flags.report, formats: ['csv', 'html', 'md']})
        this.logToStderr(`reports: ${files.join(', ')}`)
      }

      // The answer first, in the words the reports use; the full table below it. A candidates run
      // asks "what would make restores faster", so its table (time, disk, RCC-readable) comes first.
      const candidates = renderCandidatesText(results)
      if (candidates) this.log(`${candidates}\n`)
      this.log(renderAnswer(results))
      this.log('')
      this.log(renderSummary(results))
      const note = unsavedNote(out, this.jsonEnabled())
      if (note) this.logToStderr(note)
      return results
    } finally {
      interruption.dispose()
    }
  }
}

/**
 * The closing stderr line when the results went nowhere (no --out): `report` and `gate` need them,
 * and without it the only way back is to measure again. None under --json (stdout holds them).
 */
export function unsavedNote(out: string | undefined, json: boolean): string | undefined {
  return out || json ? undefined : 'results not saved: add --out results.json to keep them for `holobench report` and `holobench gate`'
}

/**
 * Fail early where `path` could not be written: a directory there, or a directory that will not
 * take a new file (a probe beside it, created with O_EXCL and removed). `path` itself is untouched.
 */
async function assertWritable(path: string): Promise<void> {
  const stats = await fsp.stat(path).catch(() => undefined)
  if (stats?.isDirectory()) throw new HoloError('EUSAGE', `--out ${path} is a directory; name a file`, {path})
  const probe = tempPathFor(path)
  try {
    await fsp.writeFile(probe, '', {flag: 'wx'})
  } catch (error) {
    throw new HoloError('EUSAGE', `--out ${path} cannot be written: ${(error as Error).message}`, {path, cause: error})
  }

  await fsp.rm(probe, {force: true})
}
