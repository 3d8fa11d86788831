/**
 * The gate's trial table in one command: does `holobench gate` tell a regression from noise on
 * a quiet machine and beside a CPU hog? For each load condition it writes a baseline of the
 * medium scenario (this commit, measured in that condition, as a CI runner's own baseline is),
 * then runs the real CLI gate against it N times per case, interleaving the cases so that load
 * drift hits all of them alike:
 *   same commit (expect 0 fails), --inject-slowdown zstd:0.2 (expect ≥ 9 fails in 10),
 *   --inject-slowdown zstd:0.1 (expect never a pass: a +10% change sits on a 10% threshold).
 * Under `hog`, two `yes > /dev/null` busy loops share the machine's cores (started and killed by
 * PID). When both conditions run, the hog trials' measured (pooled) results are also judged
 * against the quiet baseline: the case of a baseline recorded on a calmer machine.
 * Prints Markdown tables with the load average (1 min) at the start, end and median of each set.
 *   npx tsx bench/gate-trials.ts [--trials 10] [--load hog,quiet] [--time-budget 60]
 *       [--scratch /dev/shm] [--baseline-runs 20] [--baseline-pool 5] [--warmup 3] [--mode in-process|process] [--out <dir>]
 * The mode defaults to in-process, as the committed CI baseline; the gate measures in whatever
 * mode its baseline was measured in.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import type {ResultsFile} from '../src/bench/results.js'
import {poolResults} from '../src/gate/pool.js'
import type {GateReport} from '../src/gate/report.js'

const {values} = parseArgs({
  options: {
    trials: {type: 'string', default: '10'},
    load: {type: 'string', default: 'hog,quiet'},
    'time-budget': {type: 'string', default: '60'},
    scratch: {type: 'string', default: '/dev/shm'},
    'baseline-runs': {type: 'string', default: '20'},
    'baseline-pool': {type: 'string', default: '5'},
    warmup: {type: 'string', default: '3'},
    mode: {type: 'string', default: 'in-process'},
    out: {type: 'string'},
  },
})

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const cli = join(root, 'bin/run.js')
const out = values.out ? resolve(values.out) : mkdtempSync(join(tmpdir(), 'holobench-gate-trials-'))
mkdirSync(out, {recursive: true})
const trials = Number(values.trials)
const CASES = [
  {name: 'same commit', inject: undefined, expect: '0 fail'},
  {name: 'zstd +20%', inject: 'zstd:0.2', expect: '≥ 9 fail'},
  {name: 'zstd +10%', inject: 'zstd:0.1', expect: '0 pass'},
] as const

interface Trial {
  verdict: string
  exit: number | null
  runs: number
  seconds: number
  detectable: number | undefined
  /** Change of zstd/gzip (CPU or wall, as the gate chose). */
  zstdChange: number | undefined
}

const load1 = () => loadavg()[0].toFixed(2)

function log(message: string): void {
  process.stderr.write(`[gate-trials ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

/**
 * A baseline is written deliberately, as `gate --update-baseline` writes one: `--baseline-pool`
 * runs (default 5) pooled with their run boundaries, so that no single run's luck (what else the
 * machine did then) becomes the reference, and the gate can see how much runs differ.
 */
function baseline(load: string): string {
  const file = join(out, `baseline-${load}.json`)
  const runs: ResultsFile[] = []
  const pool = Number(values['baseline-pool'])
  for (let i = 0; i < pool; i++) {
    log(`${load} baseline run ${i + 1}/${pool}: medium scenario, ${values['baseline-runs']} restores per variant (load ${load1()})`)
    const part = join(out, `baseline-${load}-${i}.json`)
    const args = ['run', '--scenario', 'medium', '--variants', 'gzip,zstd,zstd-noverify,floor', '--runs', values['baseline-runs']!, '--warmup', values.warmup!, '--mode', values.mode!, '--min-time', '1', '--scratch', values.scratch!, '--out', part]
    const result = spawnSync(process.execPath, [cli, ...args], {stdio: ['ignore', 'ignore', 'inherit']})
    if (result.status !== 0) throw new Error(`holobench run exited ${result.status}`)
    runs.push(JSON.parse(readFileSync(part, 'utf8')) as ResultsFile)
  }
  writeFileSync(file, JSON.stringify(poolResults(runs)))
  return file
}

/** One gate; with `current` it judges that file instead of measuring. */
function gate(baselineFile: string, inject: string | undefined, name: string, current?: string): Trial {
  const measuring = current ? ['--current', current] : ['--scratch', values.scratch!, '--time-budget', values['time-budget']!, '--out', join(out, `${name}-current.json`), ...(inject ? ['--inject-slowdown', inject] : [])]
  const args = ['gate', '--baseline', baselineFile, '--json', ...measuring]
  const started = performance.now()
  const result = spawnSync(process.execPath, [cli, ...args], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore']})
  const seconds = (performance.now() - started) / 1000
  writeFileSync(join(out, `${name}-gate.json`), result.stdout)
  const report = (JSON.parse(result.stdout) as {report: GateReport}).report
  const zstd = report.rows.find((row) => row.variant === 'zstd' && row.metric === 'ratioToGzip')
  return {verdict: report.verdict, exit: result.status, runs: report.currentRuns ?? 1, seconds, detectable: report.detectable, zstdChange: zstd?.change ?? undefined}
}

/** Two busy loops, like `yes > /dev/null &` twice; returned so they are killed by PID. */
function startHog(): ChildProcess[] {
  const sink = openSync('/dev/null', 'w')
  const hogs = [0, 1].map(() => spawn('yes', [], {stdio: ['ignore', sink, 'ignore']}))
  // Interrupted trials must not leave the hogs running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const hog of hogs) hog.kill()
      process.exit(130)
    })
  }
  return hogs
}

const percent = (value: number | undefined) => (value === undefined ? '-' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`)
const medianOf = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b)
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]
}

const lines: string[] = []
const loads = values.load!.split(',')
log(`trials: ${trials} per case; gate --time-budget ${values['time-budget']}; scratch ${values.scratch}; raw reports in ${out}`)
const baselines = new Map<string, string>()
const measured = new Map<string, Array<{case: string; file: string}>>()

function table(title: string, results: Map<string, Trial[]>): void {
  lines.push('', title, '')
  lines.push('| case | expected | fail | inconclusive | pass | median runs pooled | median seconds | median zstd/gzip change | median detectable |', '| :--- | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const c of CASES) {
    const list = results.get(c.name)!
    const count = (verdict: string) => list.filter((trial) => trial.verdict === verdict).length
    const med = (pick: (trial: Trial) => number | undefined) => medianOf(list.flatMap((trial) => (pick(trial) === undefined ? [] : [pick(trial)!])))
    lines.push(`| ${c.name} | ${c.expect} | ${count('fail')} | ${count('inconclusive')} | ${count('pass')} | ${med((t) => t.runs)} | ${med((t) => t.seconds).toFixed(0)} | ${percent(med((t) => t.zstdChange))} | ${percent(med((t) => t.detectable))} |`)
  }
}

for (const load of loads) {
  const hogs = load === 'hog' ? startHog() : []
  const results = new Map<string, Trial[]>(CASES.map((c) => [c.name, []]))
  const samples: number[] = []
  const before = load1()
  measured.set(load, [])
  try {
    baselines.set(load, baseline(load))
    for (let i = 0; i < trials; i++) {
      for (const c of CASES) {
        samples.push(loadavg()[0])
        const name = `${load}-${c.inject ?? 'same'}-${i}`
        const trial = gate(baselines.get(load)!, c.inject, name)
        results.get(c.name)!.push(trial)
        measured.get(load)!.push({case: c.name, file: join(out, `${name}-current.json`)})
        log(`${load} ${c.name} #${i + 1}: ${trial.verdict} (exit ${trial.exit}, ${trial.runs} runs, ${trial.seconds.toFixed(0)} s, zstd/gzip ${percent(trial.zstdChange)}, detectable ${percent(trial.detectable)}, load ${load1()})`)
      }
    }
  } finally {
    for (const hog of hogs) process.kill(hog.pid!)
  }
  const after = load1()
  const where = load === 'hog' ? 'Beside a CPU hog (two `yes > /dev/null` loops on the 2 cores)' : 'Without a hog (other helpers\' work on the machine as it came)'
  table(`${where}, baseline measured in the same condition: load average (1 min) ${before} at start, ${after} at end, median ${medianOf(samples).toFixed(2)} over the trials.`, results)
}

if (baselines.has('quiet') && measured.has('hog')) {
  // The hog trials' pooled measurements against the baseline measured without the hog.
  const results = new Map<string, Trial[]>(CASES.map((c) => [c.name, []]))
  for (const [i, {case: name, file}] of measured.get('hog')!.entries()) {
    results.get(name)!.push(gate(baselines.get('quiet')!, undefined, `cross-${i}`, file))
  }
  table('The hog trials\' measured (pooled) results judged against the baseline measured without the hog (no further measuring):', results)
}

const text = lines.join('\n')
writeFileSync(join(out, 'table.md'), `${text}\n`)
process.stdout.write(`${text}\n`)
