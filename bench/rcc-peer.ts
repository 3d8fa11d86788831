/**
 * The real RCC as a peer in `holobench run` (issue 11): RCC main (upstream, gzip) and RCC's zstd
 * fork lift their own hololibs through scripts/rcc-engine.sh; RCC and `holobench drop` then
 * restore those same hololibs, each restore a fresh process timed from spawn to exit, in the
 * runner's interleaved, rotated rounds, every first restore checked against the expected tree.
 * The engines are bench/rcc-engines.json, as a user would run them. Beside them, holobench's own
 * variants (gzip, zstd, zstd-noverify, floor) in process mode and in-process, so the seed's
 * claims (zstd 3×, zstd + skip-verify 4×) are judged both ways.
 *   npm run build && npx tsx bench/rcc-peer.ts [--runs 10] [--tree <dir>] [--scenario medium]
 *       [--scratch /dev/shm] [--out <dir>]
 * Trees: this machine's CPython stdlib (without site-packages), copied under a 24-character
 * identity (RCC's length), and a scenario (default medium, 35% relocated files; --scenario ''
 * skips it). Everything is lifted as RCC lifts (--rcc-excludes). The RCC peer is found through
 * $RCC_PEER_BIN or PATH (rcc-drop-main, rcc-drop-fork); without it this prints why and exits 0.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {bootstrapDistribution, percentileInterval} from '../src/bench/bootstrap.js'
import {loadEngineFile, resolveExecutable} from '../src/bench/engines.js'
import {quantileSorted} from '../src/bench/quantile.js'
import type {EngineSpec, ResultsFile, ScenarioResult, VariantResult} from '../src/bench/results.js'
import {runBenchmark} from '../src/bench/runner.js'
import {ratioOfMedians} from '../src/bench/stats.js'
import {defaultJobs} from '../src/engine/jobs.js'
import {spaceIdentity} from '../src/scenario/identity.js'

const {values} = parseArgs({
  options: {
    runs: {type: 'string', default: '10'},
    tree: {type: 'string'},
    scenario: {type: 'string', default: 'medium'},
    scratch: {type: 'string', default: existsSync('/dev/shm') ? '/dev/shm' : undefined},
    out: {type: 'string'},
  },
})
const repo = fileURLToPath(new URL('..', import.meta.url))
const wrapper = join(repo, 'scripts', 'rcc-engine.sh')
const peerBinary = (flavor: string) => (process.env.RCC_PEER_BIN ? join(process.env.RCC_PEER_BIN, `rcc-drop-${flavor}`) : `rcc-drop-${flavor}`)
const missing = ['main', 'fork'].filter((flavor) => !resolveExecutable(peerBinary(flavor)))
if (missing.length > 0) {
  console.log(`skipped: ${missing.map((f) => `rcc-drop-${f}`).join(', ')} not found (set RCC_PEER_BIN to the directory of the RCC peer builds, or put them on PATH)`)
  process.exit(0)
}

if (!existsSync(join(repo, 'dist', 'commands', 'drop.js'))) throw new Error('build first: npm run build')
const runs = Math.max(5, Number(values.runs))
const scratch = mkdtempSync(join(values.scratch ?? '/tmp', 'holobench-rcc-peer-'))
process.on('exit', () => rmSync(scratch, {recursive: true, force: true}))

/** The stdlib under an identity as long as RCC's, so RCC can restore it beside its stage. */
function stdlibTree(): {tree: string; about: string} {
  if (values.tree) return {tree: values.tree, about: values.tree}
  const [stdlib, version] = execFileSync('python3', ['-c', 'import sys, sysconfig; print(sysconfig.get_paths()["stdlib"]); print(sys.version.split()[0])'], {encoding: 'utf8'}).trim().split('\n')
  const tree = join(scratch, 'corpus', spaceIdentity('cpython-stdlib', 1))
  mkdirSync(tree, {recursive: true})
  execFileSync('sh', ['-c', 'tar -C "$1" -cf - --exclude=./site-packages . | tar -C "$2" -xf -', 'sh', stdlib, tree])
  return {tree, about: `CPython ${version} stdlib without site-packages`}
}

// The engines a user would run (bench/rcc-engines.json): paths in it are relative to the repository.
process.chdir(repo)
const engines: EngineSpec[] = loadEngineFile(join(repo, 'bench', 'rcc-engines.json'))

const {tree, about} = stdlibTree()
const scenarios = values.scenario ? values.scenario.split(',').filter(Boolean) : []
const common = {scenarios, trees: [tree], warmupRuns: 1, minRuns: runs, minTimeSeconds: 0, jobs: defaultJobs(), seed: 1, rccExcludes: true, scratch, rounds: runs}
/** One line per phase (the runner reports every restore). */
const progress = (label: string) => {
  let last = ''
  return (p: {phase: string}) => {
    if (p.phase !== last) process.stderr.write(`${label}: ${p.phase}\n`)
    last = p.phase
  }
}

process.stderr.write(`tree: ${about}; scenarios: ${scenarios.join(', ') || 'none'}; ${runs} runs each, one per round; scratch ${scratch}\n`)
const processRun = await runBenchmark({...common, variants: ['gzip', 'zstd', 'zstd-noverify', 'floor'], engines, mode: 'process', argv: ['bench/rcc-peer.ts', 'process'], onProgress: progress('process mode')})
const inProcessRun = await runBenchmark({...common, variants: ['gzip', 'zstd', 'zstd-noverify', 'floor'], mode: 'in-process', argv: ['bench/rcc-peer.ts', 'in-process'], onProgress: progress('in-process')})
if (values.out) {
  mkdirSync(values.out, {recursive: true})
  writeFileSync(join(values.out, 'process.json'), JSON.stringify(processRun, null, 2) + '\n')
  writeFileSync(join(values.out, 'in-process.json'), JSON.stringify(inProcessRun, null, 2) + '\n')
}

// ---------------------------------------------------------------- the table

const ms = (s: number) => (s >= 10 ? `${s.toFixed(1)} s` : `${Math.round(s * 1000)} ms`)
const x = (r: {value: number; low: number; high: number}) => `${r.value.toFixed(2)}× [${r.low.toFixed(2)}–${r.high.toFixed(2)}]`
const speedup = (slow: number[], fast: number[]) => {
  const r = ratioOfMedians(slow, fast)
  return {value: r.value, low: r.low, high: r.high}
}

function medianInterval(samples: number[]): string {
  const distribution = bootstrapDistribution([samples], ([s]) => quantileSorted(s, 0.5), {resamples: 2000, seed: 1})
  const [low, high] = percentileInterval(distribution, 0.95)
  return `${ms(quantileSorted(Float64Array.from(samples).sort(), 0.5))} [${ms(low)}–${ms(high)}]`
}

function row(scenario: ScenarioResult, name: string): VariantResult {
  const found = scenario.rows.find((r) => r.variant === name)
  if (!found) throw new Error(`no row ${name}`)
  return found
}

const usable = (r: VariantResult) => r.status === 'ok' && r.samples.length > 0
const cell = (r: VariantResult) => (usable(r) ? medianInterval(r.samples) : `${r.status}: ${r.reason ?? ''}`)
const engineCell = (r: VariantResult) => (r.engineSamples?.length ? medianInterval(r.engineSamples) : '–')
const claim = (slow: VariantResult, fast: VariantResult, factor: number) => {
  if (!usable(slow) || !usable(fast)) return 'not measured'
  const s = speedup(slow.samples, fast.samples)
  const verdict = s.low >= factor ? 'held' : s.high >= factor ? 'inconclusive' : 'not held'
  return `${x(s)} ${verdict}`
}

const env = processRun.environment
console.log(`\n# RCC and holobench, cold restores of the same hololibs (${env.cpuCount}× ${env.cpuModel}, Node ${env.node}, scratch ${env.scratchFs}; ${runs} runs per row in rotated rounds; medians with 95% bootstrap intervals)\n`)
console.log('Busy shared machine: compare ratios within a run, not absolute times across runs.\n')
for (const scenario of processRun.scenarios) {
  const inProcess = inProcessRun.scenarios.find((s) => s.scenario === scenario.scenario) as ScenarioResult
  const t = scenario.tree
  console.log(`## ${scenario.scenario === `tree:${tree.split('/').pop()}` ? about : scenario.scenario}: ${t.files} files, ${(t.bytes / 1e6).toFixed(1)} MB, ${t.relocatedFiles} relocated (as RCC lifts it)\n`)
  const libs = (scenario.engineLibraries ?? []).map((l) => `${l.engine}: ${(l.storedBytes / 1e6).toFixed(1)} MB`).join(', ')
  console.log(`RCC-made hololibs: ${libs}\n`)
  console.log('| hololib | restorer (fresh process) | wall, spawn→exit | its own restore time | holobench ÷ RCC |')
  console.log('|---|---|---|---|---|')
  const pairs: Array<[string, string, string[]]> = [
    ['gzip (RCC main)', 'rcc-main', ['holobench@rcc-main-lib']],
    ['zstd (RCC fork)', 'rcc-fork', ['holobench@rcc-fork-lib', 'holobench-noverify@rcc-fork-lib']],
  ]
  for (const [lib, rcc, holobenches] of pairs) {
    const theirs = row(scenario, rcc)
    console.log(`| ${lib} | ${rcc} | ${cell(theirs)} | ${engineCell(theirs)} | 1 |`)
    for (const name of holobenches) {
      const ours = row(scenario, name)
      const ratio = usable(ours) && usable(theirs) ? x(ratioOfMedians(ours.samples, theirs.samples)) : '–'
      console.log(`| ${lib} | ${name.replace(/@.*/, '')} drop | ${cell(ours)} | ${engineCell(ours)} | ${ratio} |`)
    }
  }

  console.log('\nThe seed\'s claims, speed-up over gzip (gzip median ÷ variant median, 95% interval; held = whole interval at or above):\n')
  console.log('| claim | holobench, process mode | holobench, in-process | holobench drop on RCC\'s hololibs | RCC fork ÷ RCC main |')
  console.log('|---|---|---|---|---|')
  console.log(`| zstd 3× | ${claim(row(scenario, 'gzip'), row(scenario, 'zstd'), 3)} | ${claim(row(inProcess, 'gzip'), row(inProcess, 'zstd'), 3)} | ${claim(row(scenario, 'holobench@rcc-main-lib'), row(scenario, 'holobench@rcc-fork-lib'), 3)} | ${claim(row(scenario, 'rcc-main'), row(scenario, 'rcc-fork'), 3)} |`)
  console.log(`| zstd + skip-verify 4× | ${claim(row(scenario, 'gzip'), row(scenario, 'zstd-noverify'), 4)} | ${claim(row(inProcess, 'gzip'), row(inProcess, 'zstd-noverify'), 4)} | ${claim(row(scenario, 'holobench@rcc-main-lib'), row(scenario, 'holobench-noverify@rcc-fork-lib'), 4)} | (RCC cannot skip verification) |`)
  console.log('\nholobench\'s own libraries, same tree:\n')
  console.log('| variant | process mode: wall | its own restore time | in-process |')
  console.log('|---|---|---|---|')
  for (const name of ['gzip', 'zstd', 'zstd-noverify', 'floor']) {
    console.log(`| ${name} | ${name === 'floor' ? '(always in-process)' : cell(row(scenario, name))} | ${engineCell(row(scenario, name))} | ${cell(row(inProcess, name))} |`)
  }

  const wrong = scenario.rows.filter((r) => r.status !== 'ok')
  if (wrong.length > 0) console.log(`\nNot ranked: ${wrong.map((r) => `${r.variant} ${r.status}: ${r.reason}`).join('; ')}`)
  console.log('')
}
