import {Flags} from '@oclif/core'

import {runBenchmark} from '../bench/runner.js'
import type {ResultsFile} from '../bench/results.js'
import {removeAllScratchSync} from '../bench/scratch.js'
import {renderSummary} from '../bench/summary.js'
import {defaultVariants} from '../bench/variants.js'
import {HoloCommand} from '../cli/base-command.js'
import {canClone, chooseScratch, runnableVariants} from '../cli/run-defaults.js'
import {availableZstdBackends} from '../engine/codec/index.js'
import {writeFileAtomic} from '../engine/fs/atomic.js'
import {defaultJobs} from '../engine/jobs.js'
import {parseSlowdown} from '../gate/slowdown.js'
import {writeReports} from '../report/index.js'
import {renderAnswer} from '../report/text.js'

export default class Run extends HoloCommand {
  static override summary = 'Benchmark restores: gzip vs zstd vs skip-verify vs reflink, against the floor.'
  static override description = `For each scenario (or --tree), lifts one library per codec (lift time, bytes stored and ratio are measured), then times restores of each variant into fresh empty targets with tinybench. Variants are named <codec>[@napi|@zlib][-copy|-reflink|-hardlink][-noverify], or floor: a plain recursive copy of the uncompressed tree on the scratch filesystem, the fastest restore possible here. Reflink rows need a scratch on a filesystem that clones (XFS with reflink, Btrfs; see scripts/cow-scratch.sh): elsewhere they are reported unsupported, never timed as copies.

The summary table goes to stdout, progress to stderr; --out writes results.json (every sample plus the environment) and --report writes CSV, HTML and Markdown reports.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --scenario small,large --out results.json --report reports/today',
    '<%= config.bin %> <%= command.id %> --tree "$(python3 -c "import sysconfig;print(sysconfig.get_paths()[\'stdlib\'])")" --variants gzip,zstd,zstd-noverify,none-copy,floor',
    'sudo scripts/cow-scratch.sh up /mnt/cow && <%= config.bin %> <%= command.id %> --scratch /mnt/cow --variants gzip,none-copy,none-reflink,floor',
  ]

  static override flags = {
    scenario: Flags.string({description: 'scenarios to run, comma-separated (scenarios/<name>.json)', delimiter: ',', multiple: true}),
    tree: Flags.directory({description: 'a real directory to use as a corpus (repeatable)', multiple: true, exists: true}),
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
    'inject-slowdown': Flags.string({description: 'test only: add work to matching restores, e.g. zstd:0.2', hidden: true}),
  }

  async run(): Promise<ResultsFile> {
    const {flags} = await this.parse(Run)
    const scenarios = flags.scenario ?? (flags.tree ? [] : ['medium'])
    const out = flags.out
    // A first run without flags should answer: tmpfs where there is one, variants that can run there.
    const scratch = await chooseScratch(flags.scratch)
    if (scratch.warning) this.warn(scratch.warning)
    const chosen = flags.variants ? {variants: flags.variants} : runnableVariants(defaultVariants(availableZstdBackends()), await canClone(scratch.dir), scratch.fs)
    if (chosen.note) this.logToStderr(chosen.note)
    // A bad output path fails now, not after minutes of measuring.
    if (out) await writeFileAtomic(out, '{}\n', {fsync: false})
    const onSignal = () => {
      removeAllScratchSync()
      process.exit(130)
    }

    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    try {
      const results = await runBenchmark({
        scenarios,
        trees: flags.tree,
        variants: chosen.variants,
        scratch: scratch.dir,
        warmupRuns: flags.warmup,
        minRuns: flags.runs,
        minTimeSeconds: flags['min-time'],
        jobs: flags.jobs ?? defaultJobs(),
        seed: flags.seed,
        rccExcludes: flags['rcc-excludes'],
        argv: this.argv,
        injectSlowdown: flags['inject-slowdown'] ? parseSlowdown(flags['inject-slowdown']) : undefined,
        onProgress: this.progress('run'),
        onScenario: out ? (partial) => writeFileAtomic(out, JSON.stringify(partial, null, 2) + '\n') : undefined,
      })
      this.stopProgress()
      if (flags.report) {
        const {files} = await writeReports({results: [results], outDir: flags.report, formats: ['csv', 'html', 'md']})
        this.logToStderr(`reports: ${files.join(', ')}`)
      }

      // The answer first, in the words the reports use; the full table below it.
      this.log(renderAnswer(results))
      this.log('')
      this.log(renderSummary(results))
      return results
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}
