/**
 * Cold `holobench drop` and `lift` beside the real RCC (issue 12), whole processes, spawn to exit.
 * The tree is this machine's CPython standard library as RCC lifts it (python3's sysconfig
 * `stdlib`, without site-packages; RCC itself skips __pycache__ and *.pyc). RCC's own builds lift
 * it into their hololibs (main: gzip, fork: zstd); each hololib is then restored into tmpfs by
 * RCC and by `holobench drop`, in alternated rounds, the target removed between runs.
 *   npm run build && npx tsx bench/cold-vs-rcc.ts [--runs 7] [--tree <dir>] [--tmpfs /dev/shm]
 *   (--tmpfs names the scratch directory: a disk directory there measures on that disk)
 *       [--rcc-bin <dir>] [--memory]
 * The RCC peer (rcc-drop-main, rcc-drop-fork; see README "The real RCC as a peer") is found in
 * `--rcc-bin`, else $RCC_PEER_BIN, else on PATH; without it this prints why and exits 0.
 * bench/rcc-peer.ts compares restores through `holobench run`'s engines; this one times the
 * issue's cold figures directly: RCC's own hololibs, RCC's lift, start-up, first vs fifth drop. Targets (ratios of medians, 95% bootstrap
 * intervals): drop ≤ 1.0× RCC main and ≤ 1.0× the fork (stretch 0.7×); lift --codec zstd ≤ 1.0×
 * the fork's lift; `--version` ≤ 0.15 s; first drop in a process ≤ 1.3× the fifth; with --memory,
 * bench/memory.ts (peak RSS < 512 MB on a 1.5 GiB file, every codec). Where GNU time is
 * installed, each row also gets its CPU time (user + system, all threads) and peak RSS.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

import {resolveExecutable} from '../src/bench/engines.js'
import {median, ratioOfMedians} from '../src/bench/stats.js'
import {filesystemType} from '../src/engine/fs/fstype.js'

const {values} = parseArgs({
  options: {
    runs: {type: 'string', default: '7'},
    tree: {type: 'string'},
    tmpfs: {type: 'string', default: '/dev/shm'},
    'rcc-bin': {type: 'string', default: process.env.RCC_PEER_BIN},
    memory: {type: 'boolean', default: false},
  },
})
const RUNS = Math.max(5, Number(values.runs))
if (RUNS !== Number(values.runs)) process.stderr.write(`--runs ${values.runs} raised to ${RUNS}: the targets are medians of at least 5 runs\n`)
const repo = fileURLToPath(new URL('..', import.meta.url))
const cli = join(repo, 'bin', 'run.js')
const peerBinary = (flavor: string) => (values['rcc-bin'] ? join(values['rcc-bin'], `rcc-drop-${flavor}`) : resolveExecutable(`rcc-drop-${flavor}`))
const FLAVORS = ['main', 'fork'] as const
type Flavor = (typeof FLAVORS)[number]

if (!existsSync(join(repo, 'dist', 'engine', 'drop.js'))) throw new Error('build first: npm run build')
const missing = FLAVORS.filter((flavor) => !peerBinary(flavor) || !existsSync(peerBinary(flavor) as string))
if (missing.length > 0) {
  console.log(`skipped: ${missing.map((f) => `rcc-drop-${f}`).join(', ')} not found (pass --rcc-bin or set RCC_PEER_BIN to the RCC peer's directory, or put it on PATH)`)
  process.exit(0)
}
const rcc = (flavor: Flavor) => peerBinary(flavor) as string

/** GNU time, when installed: each process's CPU time (user + system, all threads) and peak RSS. */
const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((path) => spawnSync(path, ['-f', '%M', 'true'], {stdio: 'ignore'}).status === 0)
/** CPU seconds and peak RSS (KiB) of the last `timed` process, when GNU time is there. */
let lastUsage: {cpu: number; rssKiB: number} | undefined

/** Wall seconds of one process, spawn to exit; a failure stops the bench with its output. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  return timedRun(command, args, env).seconds
}

/** timed, with the process's stdout. */
function timedRun(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): {seconds: number; stdout: string} {
  const usageFile = GNU_TIME ? join(scratch, 'usage.txt') : undefined
  const argv = GNU_TIME && usageFile ? [GNU_TIME, '-f', '%U %S %M', '-o', usageFile, command, ...args] : [command, ...args]
  const started = performance.now()
  const result = spawnSync(argv[0], argv.slice(1), {env, encoding: 'utf8', maxBuffer: 1 << 26})
  const seconds = (performance.now() - started) / 1000
  // A child stopped by Ctrl-C: stop too (the exit handler removes the scratch).
  if (result.signal === 'SIGINT' || result.status === 130) process.exit(130)
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`)
  if (usageFile) {
    const [user, system, rss] = readFileSync(usageFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number)
    lastUsage = {cpu: user + system, rssKiB: rss}
  }
  return {seconds, stdout: result.stdout}
}

/** The stdlib tree and a line saying which it is. */
function stdlibTree(scratch: string): {tree: string; about: string} {
  if (values.tree) return {tree: values.tree, about: values.tree}
  const [stdlib, version] = execFileSync('python3', ['-c', 'import sys, sysconfig; print(sysconfig.get_paths()["stdlib"]); print(sys.version.split()[0])'], {encoding: 'utf8'})
    .trim()
    .split('\n')
  const tree = join(scratch, 'stdlib')
  mkdirSync(tree)
  execFileSync('sh', ['-c', 'tar -C "$1" -cf - --exclude=./site-packages . | tar -C "$2" -xf -', 'sh', stdlib, tree])
  return {tree, about: `CPython ${version} stdlib (${stdlib}, without site-packages)`}
}

interface Peer {
  flavor: Flavor
  env: NodeJS.ProcessEnv
  holotree: string
  identity: string
  catalog: string
  blueprint: string
  /** Where both restore: RCC's rule, same parent as the stage and a name as long as the identity. */
  label: string
}

function rccRun(flavor: Flavor, args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(rcc(flavor), args, {env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
}

/** A ROBOCORP_HOME with the tree in RCC's stage, lifted by RCC (timed: the lift row). */
function rccLift(flavor: Flavor, home: string, tree: string): {peer: Peer; seconds: number} {
  const env = {...process.env, ROBOCORP_HOME: home}
  mkdirSync(home, {recursive: true})
  const info = JSON.parse(rccRun(flavor, ['info'], env)) as {identity: string; stage: string; holotree: string}
  cpSync(tree, info.stage, {recursive: true, verbatimSymlinks: true})
  const blueprint = join(home, 'blueprint.txt')
  writeFileSync(blueprint, 'holobench cold-vs-rcc\n')
  const run = timedRun(rcc(flavor), ['--silent', 'lift', blueprint], env)
  const catalog = run.stdout.trim().split('\n').pop() as string
  const seconds = run.seconds
  const label = `r${'0123456789abcdefghijklmnopqrstuvwxyz'.repeat(2).slice(0, info.identity.length - 1)}`
  return {peer: {flavor, env, holotree: info.holotree, identity: info.identity, catalog, blueprint, label}, seconds}
}

function clearTarget(target: string): void {
  rmSync(target, {recursive: true, force: true})
  rmSync(`${target}.meta`, {force: true})
}

const scratch = mkdtempSync(join(values.tmpfs as string, 'holobench-cold-'))
const loadBefore = os.loadavg()[0].toFixed(1)
process.on('exit', () => {
  try {
    rmSync(scratch, {recursive: true, force: true, maxRetries: 5})
  } catch (error) {
    process.stderr.write(`could not remove ${scratch}: ${(error as Error).message}\n`)
  }
})
// Ctrl-C or a kill: 'exit' handlers do not run on a signal, and the scratch holds ~1 GB of tmpfs
// (retried: a child stopped by the same Ctrl-C may still be finishing a write).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))
const {tree, about} = stdlibTree(scratch)
process.stderr.write(`tree: ${about}\nscratch: ${scratch}\nlifting with RCC main and fork…\n`)
const peers = Object.fromEntries(FLAVORS.map((f) => [f, rccLift(f, join(scratch, `rh-${f}`), tree).peer])) as Record<Flavor, Peer>

// Correctness first: holobench's restore of each RCC hololib equals RCC's own restore of it.
for (const peer of Object.values(peers)) {
  const target = join(peer.holotree, peer.label)
  rccRun(peer.flavor, ['--silent', 'restore', peer.blueprint, peer.label], peer.env)
  const theirs = join(scratch, `rcc-restore-${peer.flavor}`)
  cpSync(target, theirs, {recursive: true, verbatimSymlinks: true})
  clearTarget(target)
  timed(process.execPath, [cli, 'drop', peer.catalog, '--target', target, '--no-fsync'])
  execFileSync('diff', ['-r', '--no-dereference', theirs, target])
  rmSync(theirs, {recursive: true, force: true})
  clearTarget(target)
}
process.stderr.write("checked: holobench's restore of each RCC hololib equals RCC's own restore (diff -r)\n")

type Row = {name: string; run: () => number; samples: number[]; cpu?: number[]; rss?: number[]}
const dropRow = (peer: Peer, who: 'rcc' | 'holobench'): Row => {
  const target = join(peer.holotree, peer.label)
  const run =
    who === 'rcc'
      ? () => timed(rcc(peer.flavor), ['--silent', 'restore', peer.blueprint, peer.label], peer.env)
      : () => timed(process.execPath, [cli, 'drop', peer.catalog, '--target', target, '--no-fsync'])
  return {name: `drop ${who} ${peer.flavor === 'main' ? 'gzip (RCC main lib)' : 'zstd (RCC fork lib)'}`, samples: [], run: () => (clearTarget(target), run())}
}

let liftRound = 0
/** Each lift into a fresh home and library; the stage copy is outside the timing. */
const liftRows = (): Row[] => {
  const fresh = () => {
    const home = join(scratch, `lift-${liftRound++}`)
    return home
  }

  return [
    {name: 'lift rcc fork (zstd)', samples: [], run: () => {
      const home = fresh()
      const {seconds} = rccLift('fork', home, tree)
      rmSync(home, {recursive: true, force: true})
      return seconds
    }},
    {name: 'lift holobench --codec zstd', samples: [], run: () => {
      const home = fresh()
      const stage = join(home, peers.fork.identity)
      cpSync(tree, stage, {recursive: true, verbatimSymlinks: true})
      const seconds = timed(process.execPath, [cli, 'lift', stage, '--library', join(home, 'hololib'), '--codec', 'zstd', '--rcc-excludes', '--no-fsync'])
      rmSync(home, {recursive: true, force: true})
      return seconds
    }},
  ]
}

const rows: Row[] = [
  dropRow(peers.main, 'rcc'),
  dropRow(peers.main, 'holobench'),
  dropRow(peers.fork, 'rcc'),
  dropRow(peers.fork, 'holobench'),
  ...liftRows(),
  {name: 'holobench --version', samples: [], run: () => timed(process.execPath, [cli, '--version'])},
  {name: 'node -e 0 (floor)', samples: [], run: () => timed(process.execPath, ['-e', '0'])},
]

// Rounds rotate the order, so load on this shared machine falls on every row alike.
for (let round = 0; round < RUNS; round++) {
  process.stderr.write(`round ${round + 1}/${RUNS}\n`)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[(i + round) % rows.length]
    lastUsage = undefined
    row.samples.push(row.run())
    // Set by timed() inside run (TypeScript cannot see that).
    const usage = lastUsage as {cpu: number; rssKiB: number} | undefined
    if (usage) {
      ;(row.cpu ??= []).push(usage.cpu)
      ;(row.rss ??= []).push(usage.rssKiB)
    }
  }
}

/**
 * The first drop of a process against its fifth: one fresh process restores 5 times, each into
 * a new target, without flushing (as the process rows' --no-fsync); the figures are medians over
 * RUNS processes, alternating the two hololibs.
 */
const IN_PROCESS = `
  const {drop} = await import(${JSON.stringify(pathToFileURL(join(repo, 'dist', 'engine', 'drop.js')).href)})
  const {rmSync} = await import('node:fs')
  const [catalog, target] = process.argv.slice(2)
  const times = []
  for (let i = 0; i < 5; i++) {
    rmSync(target, {recursive: true, force: true}); rmSync(target + '.meta', {force: true})
    const t = performance.now()
    await drop({catalog, target, durable: false})
    times.push((performance.now() - t) / 1000)
  }
  rmSync(target, {recursive: true, force: true}); rmSync(target + '.meta', {force: true})
  console.log(JSON.stringify(times))`
const inProcessScript = join(scratch, 'in-process.mjs')
writeFileSync(inProcessScript, IN_PROCESS)
const inProcess: Record<Flavor, number[][]> = {main: [], fork: []}
for (let round = 0; round < RUNS; round++) {
  for (const flavor of round % 2 === 0 ? FLAVORS : [...FLAVORS].reverse()) {
    const peer = peers[flavor]
    const out = execFileSync(process.execPath, [inProcessScript, peer.catalog, join(peer.holotree, peer.label)], {encoding: 'utf8'})
    inProcess[flavor].push(JSON.parse(out.trim().split('\n').pop() as string))
  }
}

const byName = (name: string) => rows.find((r) => r.name === name)!.samples
const fmt = (s: number) => `${(s * 1000).toFixed(0)} ms`
/** A target is met only when the whole 95% interval is at or below it, missed when it is all above. */
const verdict = (low: number, high: number, target: number) => (high <= target ? 'met' : low > target ? 'missed' : 'inconclusive: the interval straddles it')
const ratio = (a: number[], b: number[], target: number) => {
  const r = ratioOfMedians(a, b)
  return `${r.value.toFixed(2)}× [${r.low.toFixed(2)}–${r.high.toFixed(2)}] (target ≤ ${target}: ${verdict(r.low, r.high, target)})`
}

const scratchFs = await filesystemType(scratch)
console.log(`\n# Cold holobench vs the real RCC (${about}; ${scratchFs} at ${values.tmpfs}; ${RUNS} alternated rounds; medians; load average ${loadBefore} before, ${os.loadavg()[0].toFixed(1)} after)\n`)
console.log('| row | median | min | max | CPU (user + sys, median) | peak RSS (max) |')
console.log('|---|---|---|---|---|---|')
for (const row of rows) {
  const cpu = row.cpu?.length ? fmt(median(row.cpu)) : '–'
  const rss = row.rss?.length ? `${(Math.max(...row.rss) / 1024).toFixed(0)} MB` : '–'
  console.log(`| ${row.name} | ${fmt(median(row.samples))} | ${fmt(Math.min(...row.samples))} | ${fmt(Math.max(...row.samples))} | ${cpu} | ${rss} |`)
}
console.log('')
console.log(`Node ${process.version}. Checked before timing: \`holobench drop\` of each RCC hololib gives the same tree as RCC's own restore (\`diff -r --no-dereference\`).`)
// The fork's batching restore fsyncs every file it writes (htfs/batching.go); RCC main and
// `holobench drop --no-fsync` do not. Free on tmpfs; on a disk it is part of the fork's time.
console.log(`Durability: the RCC fork fsyncs every restored file; RCC main and holobench (--no-fsync) do not${scratchFs === 'tmpfs' ? ' (no cost on tmpfs)' : ', which on this disk is part of the fork\'s drop time'}.`)
console.log(`- drop, RCC main's gzip hololib: holobench / rcc-main = ${ratio(byName('drop holobench gzip (RCC main lib)'), byName('drop rcc gzip (RCC main lib)'), 1)}`)
console.log(`- drop, RCC fork's zstd hololib: holobench / rcc-fork = ${ratio(byName('drop holobench zstd (RCC fork lib)'), byName('drop rcc zstd (RCC fork lib)'), 1)} (stretch 0.7)`)
console.log(`- lift --codec zstd (no fsync, as RCC): holobench / rcc-fork = ${ratio(byName('lift holobench --codec zstd'), byName('lift rcc fork (zstd)'), 1)}`)
const versions = byName('holobench --version')
console.log(`- holobench --version: ${fmt(median(versions))}, slowest ${fmt(Math.max(...versions))} (target ≤ 150 ms: ${Math.max(...versions) <= 0.15 ? 'met by every run' : median(versions) <= 0.15 ? 'met by the median' : 'missed'}; node -e 0: ${fmt(median(byName('node -e 0 (floor)')))})`)
for (const flavor of FLAVORS) {
  const first = inProcess[flavor].map((t) => t[0])
  const fifth = inProcess[flavor].map((t) => t[4])
  console.log(`- first drop in a process / fifth, ${flavor === 'main' ? 'gzip' : 'zstd'} hololib: ${fmt(median(first))} / ${fmt(median(fifth))} = ${ratio(first, fifth, 1.3)}`)
}

if (!values.memory) console.log('- peak RSS < 512 MB on a 1.5 GiB file in every codec: not measured in this run (pass --memory)')

if (values.memory) {
  console.log('\n## Peak RSS (bench/memory.ts, 1.5 GiB file, every codec)\n')
  console.log(execFileSync(process.execPath, ['--import', 'tsx', join(repo, 'bench', 'memory.ts'), '--dir', values.tmpfs as string], {cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']}))
}

