/**
 * The performance gate. Verdicts are decided on SYNTHETIC sample sets drawn from fixed seeds
 * (restore times with a known true change, noise level and load bursts), so no live timing can
 * decide a test's outcome on a busy machine; the seeds are in the test names and constants here,
 * and every set is replayed exactly. Real timings (real gunzip / inflate / MD5 work) are used only
 * where the outcome does not depend on them: the structure and exactness of a report.
 */
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'

import {seededRandom} from '../src/bench/random.js'
import type {ResultsFile, VariantResult} from '../src/bench/results.js'
import {madOutliers, ratioOfMedians, summarize} from '../src/bench/stats.js'
import {isHoloError} from '../src/engine/errors.js'
import {compareResults} from '../src/gate/compare.js'
import {poolResults} from '../src/gate/pool.js'
import {gateWithReruns} from '../src/gate/reruns.js'
import {renderMarkdown} from '../src/gate/markdown.js'
import {EXIT_CODES, exitCodeFor, type GateReport, type GateRow} from '../src/gate/report.js'
import {runOptionsFromBaseline} from '../src/gate/run-options.js'
import {parseSlowdown} from '../src/gate/slowdown.js'
import {gateColumns} from '../src/gate/table.js'
import {renderText} from '../src/gate/text.js'
import {parseFraction} from '../src/gate/threshold.js'
import {detectableChange, judgeTiming, normalQuantile} from '../src/gate/timing.js'

interface Timings {
  wall: Record<string, number[]>
  cpu: Record<string, number[]>
}

// --- synthetic restore times from fixed seeds ------------------------------------------------

/** Typical medium-scenario restore CPU seconds on tmpfs. */
const BASE_SECONDS: Record<string, number> = {gzip: 0.08, zstd: 0.072, floor: 0.025}

interface Draw {
  seed: number
  /** Restores per variant. */
  runs: number
  /** Log-normal spread of each CPU time (0.03 = about 3%). */
  noise: number
  /** Multiplies one variant's true time: {zstd: 1.2} is a +20% regression. */
  factors?: Record<string, number>
  /** Chance that a restore lands in a burst of contention, and how much wall time that adds (×). */
  burst?: {chance: number; wall: number; cpu: number}
}

/** Seeded standard normal (Box–Muller). */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

/**
 * Restore times as a busy machine gives them: each variant's true CPU time, log-normal noise,
 * and bursts of contention that stretch wall time a lot and CPU time a little. Interleaved like
 * the runner: restore k of every variant is drawn before restore k+1 of any.
 */
function draw({seed, runs, noise, factors = {}, burst}: Draw): Timings {
  const random = seededRandom(seed)
  const timings: Timings = {wall: {}, cpu: {}}
  for (const name of Object.keys(BASE_SECONDS)) [timings.wall[name], timings.cpu[name]] = [[], []]
  for (let k = 0; k < runs; k++) {
    for (const [name, base] of Object.entries(BASE_SECONDS)) {
      const hit = burst && random() < burst.chance ? random() : 0
      const cpu = base * (factors[name] ?? 1) * Math.exp(noise * normal(random)) * (1 + hit * (burst?.cpu ?? 0))
      timings.cpu[name].push(cpu)
      timings.wall[name].push(cpu * (1.05 + hit * (burst?.wall ?? 0)))
    }
  }
  return timings
}

// --- a real, small workload (for structure only) -----------------------------------------------

function pseudoText(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size)
  let state = seed
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0
    bytes[i] = ((state >>> 24) % 48) + 48
  }
  return bytes
}

const RAW = pseudoText(256_000, 7)
const GZIPPED = zlib.gzipSync(RAW, {level: 6})
const DEFLATED = zlib.deflateRawSync(RAW.subarray(0, 128_000), {level: 1})

/** Stand-ins for the restore paths doing real native work: gunzip, raw inflate, MD5 as the floor. */
const WORK: Record<string, () => void> = {
  gzip: () => {
    for (let i = 0; i < 4; i++) zlib.gunzipSync(GZIPPED)
  },
  zstd: () => {
    for (let i = 0; i < 4; i++) zlib.inflateRawSync(DEFLATED)
  },
  floor: () => {
    for (let i = 0; i < 2; i++) createHash('md5').update(RAW).digest()
  },
}

const cpuSeconds = () => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1e6
}

/** Times `rounds` real restores of every variant, interleaved, on both clocks. */
function measure(rounds: number): Timings {
  const timings: Timings = {wall: {}, cpu: {}}
  for (const name of Object.keys(WORK)) [timings.wall[name], timings.cpu[name]] = [[], []]
  for (let round = 0; round < rounds; round++) {
    for (const [name, work] of Object.entries(WORK)) {
      const [wall, cpu] = [performance.now(), cpuSeconds()]
      work()
      timings.wall[name].push((performance.now() - wall) / 1000)
      timings.cpu[name].push(cpuSeconds() - cpu)
    }
  }
  return timings
}

/** A results.json as the runner writes it, rows summarised with the real stats functions. */
function resultsFrom({wall, cpu}: Timings): ResultsFile {
  const facts = {files: 1000, bytes: RAW.length * 16}
  const rows: VariantResult[] = Object.entries(wall).map(([variant, times]) => ({
    variant,
    kind: variant === 'floor' ? 'floor' : 'variant',
    mode: 'in-process',
    codec: variant === 'floor' ? null : variant,
    verify: true,
    strategy: variant === 'floor' ? 'floor' : 'copy',
    status: 'ok',
    samples: times,
    cpuSamples: cpu[variant],
    stats: summarize(times, facts),
    ratioToGzip: ratioOfMedians(times, wall.gzip),
    ratioToFloor: ratioOfMedians(times, wall.floor),
    outliers: madOutliers(times),
  }))
  rows.push({
    variant: 'none-reflink', kind: 'variant', mode: 'in-process', codec: 'none', verify: false, strategy: 'reflink', status: 'unsupported',
    reason: 'ext4 cannot clone', samples: [], stats: null, ratioToGzip: null, ratioToFloor: null, outliers: [],
  })
  return {
    schema: 'holobench-results',
    schemaVersion: 2,
    holobench: {version: '0.1.0', commit: '0123456789abcdef0123'},
    environment: {
      date: '2026-11-30T00:00:00.000Z', node: process.version, platform: process.platform, arch: process.arch, kernel: 'test',
      cpuModel: 'test cpu', cpuCount: 2, memoryBytes: 2 ** 34, scratchDir: tmpdir(), scratchFs: 'ext4', libraryFs: 'ext4', zstdBackends: ['napi'],
    },
    settings: {argv: [], scenarios: ['small', 'tree:/srv/env'], variants: Object.keys(wall), warmupRuns: 3, minRuns: 20, minTimeSeconds: 0, jobs: 2, mode: 'in-process'},
    scenarios: [
      {
        scenario: 'small',
        source: {kind: 'scenario', definitionDigest: 'sha256:5ca1ab1e', seed: 42},
        tree: {files: 1000, dirs: 40, symlinks: 3, bytes: facts.bytes, relocatedFiles: 12},
        libraries: [
          {codec: 'gzip', rawBytes: RAW.length, storedBytes: GZIPPED.length, ratio: RAW.length / GZIPPED.length, liftSeconds: 0.5, catalogBytes: 900},
          {codec: 'zstd', zstdBackend: 'napi', rawBytes: RAW.length, storedBytes: DEFLATED.length * 2, ratio: RAW.length / (DEFLATED.length * 2), liftSeconds: 0.3, catalogBytes: 800},
        ],
        rows,
      },
    ],
  }
}

const THRESHOLD = {threshold: 0.1}
const timingRows = (report: GateReport, variant: string): GateRow[] =>
  report.rows.filter((row) => row.variant === variant && row.metric.startsWith('ratio'))
const clone = (file: ResultsFile): ResultsFile => structuredClone(file)
const synthetic = (options: Draw): ResultsFile => resultsFrom(draw(options))
const SEEDS = Array.from({length: 20}, (_, i) => 1000 + i)

/** Samples of one variant stretched by a factor: a regression of known size, exactly. */
function stretched(file: ResultsFile, variant: string, factor: number): ResultsFile {
  const copy = structuredClone(file)
  const row = copy.scenarios[0].rows.find((r) => r.variant === variant)!
  row.samples = row.samples.map((sample) => sample * factor)
  row.cpuSamples = row.cpuSamples!.map((sample) => sample * factor)
  return copy
}

// A baseline is written deliberately, so it can afford more restores than a CI check.
const baseline = synthetic({seed: 1, runs: 40, noise: 0.03})
const sameCommit = synthetic({seed: 2, runs: 30, noise: 0.03})
const slower20 = synthetic({seed: 3, runs: 30, noise: 0.03, factors: {zstd: 1.2}})

// --- the verdict rule ---------------------------------------------------------------------------

describe('judgeTiming: pass, fail and inconclusive', () => {
  test('fail needs the interval above 0 and the change beyond the threshold', () => {
    expect(judgeTiming(0.15, [0.01, 0.29], THRESHOLD)).toBe('fail')
    expect(judgeTiming(0.15, [-0.01, 0.31], THRESHOLD)).toBe('inconclusive') // could be nothing
    expect(judgeTiming(0.08, [0.05, 0.11], THRESHOLD)).toBe('inconclusive') // real, but maybe not beyond 10%
    expect(judgeTiming(0.3, [0.2, 0.4], THRESHOLD)).toBe('fail')
  })

  test('pass needs the interval below the threshold and the change within half of it', () => {
    expect(judgeTiming(0.01, [-0.05, 0.07], THRESHOLD)).toBe('pass')
    expect(judgeTiming(0.01, [-0.3, 0.32], THRESHOLD)).toBe('inconclusive') // no evidence of anything
    expect(judgeTiming(0.07, [0.04, 0.095], THRESHOLD)).toBe('inconclusive') // a narrow interval near the line
    expect(judgeTiming(-0.2, [-0.3, -0.1], THRESHOLD)).toBe('improved')
    expect(judgeTiming(-0.05, [-0.08, -0.02], THRESHOLD)).toBe('pass') // faster, but not by the threshold
  })

  test('detectable change: never below the threshold, growing with the interval', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959_964, 5)
    expect(normalQuantile(0.8)).toBeCloseTo(0.841_621, 5)
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090_232, 5)
    const settings = {threshold: 0.1, confidence: 0.95}
    expect(detectableChange([-0.01, 0.01], settings)).toBeCloseTo(0.1 + 0.841_621 * (0.01 / 1.959_964), 6)
    // Half-width 0.2: the estimate must clear 0.2 to have its interval above 0.
    expect(detectableChange([-0.2, 0.2], settings)).toBeCloseTo(0.2 + 0.841_621 * (0.2 / 1.959_964), 6)
    expect(detectableChange([0, 0.1], settings)).toBeLessThan(detectableChange([0, 0.3], settings))
  })

  test('exit codes: 0 pass, 1 fail, 3 inconclusive unless --inconclusive says fail or pass', () => {
    expect(EXIT_CODES).toEqual({pass: 0, fail: 1, usage: 2, inconclusive: 3})
    expect(exitCodeFor('pass', 'exit-3')).toBe(0)
    expect(exitCodeFor('fail', 'pass')).toBe(1)
    expect(exitCodeFor('inconclusive', 'exit-3')).toBe(3)
    expect(exitCodeFor('inconclusive', 'fail')).toBe(1)
    expect(exitCodeFor('inconclusive', 'pass')).toBe(0)
  })
})

// --- verdicts on seeded sample sets -------------------------------------------------------------

describe('compareResults on seeded sample sets', () => {
  test('same commit, 3% noise: every timing row passes (seeds 1000–1019)', () => {
    for (const seed of SEEDS) {
      const report = compareResults(baseline, synthetic({seed, runs: 30, noise: 0.03}), THRESHOLD)
      expect(report.rows.filter((row) => row.interval && row.verdict !== 'pass').map((row) => `seed ${seed} ${row.variant}/${row.metric}: ${row.verdict}`)).toEqual([])
      expect(report.verdict).toBe('pass')
    }
  })

  test('+20% on zstd fails, on both ratios and only for zstd (seeds 1000–1019)', () => {
    for (const seed of SEEDS) {
      const report = compareResults(baseline, synthetic({seed, runs: 30, noise: 0.03, factors: {zstd: 1.2}}), THRESHOLD)
      expect(report.verdict, `seed ${seed}`).toBe('fail')
      expect(timingRows(report, 'zstd').map((row) => [row.metric, row.verdict]), `seed ${seed}`).toEqual([['ratioToGzip', 'fail'], ['ratioToFloor', 'fail']])
      expect(timingRows(report, 'gzip').map((row) => row.verdict), `seed ${seed}`).toEqual(['pass'])
    }
  })

  test('+10% with a 10% threshold is never a pass, quiet or noisy (seeds 1000–1019)', () => {
    const verdicts = new Set<string>()
    for (const seed of SEEDS) {
      for (const noise of [0.03, 0.1]) {
        const report = compareResults(baseline, synthetic({seed, runs: 30, noise, factors: {zstd: 1.1}}), THRESHOLD)
        for (const row of timingRows(report, 'zstd')) {
          expect(row.verdict, `seed ${seed}, noise ${noise}`).not.toBe('pass')
          verdicts.add(row.verdict)
        }
      }
    }
    expect(verdicts.has('fail') && verdicts.has('inconclusive')).toBe(true) // it sits on the line
  })

  test('a noisy machine gives inconclusive, not pass, and says how large a change it could miss', () => {
    const noisy = synthetic({seed: 7, runs: 15, noise: 0.3})
    const report = compareResults(baseline, noisy, THRESHOLD)
    expect(report.verdict).toBe('inconclusive')
    const zstd = timingRows(report, 'zstd')[0]
    expect(zstd.verdict).toBe('inconclusive')
    expect(zstd.detectable).toBeGreaterThan(0.2)
    expect(report.detectable).toBe(Math.max(...report.rows.flatMap((row) => (row.detectable === undefined ? [] : [row.detectable]))))
    // The same noise with many more restores decides.
    expect(compareResults(baseline, synthetic({seed: 7, runs: 1500, noise: 0.3}), THRESHOLD).verdict).toBe('pass')
  })

  test('bursts of contention stretch wall time: the CPU clock still decides, wall-clock does not', () => {
    const burst = {chance: 0.5, wall: 3, cpu: 0.02}
    const loaded = synthetic({seed: 11, runs: 30, noise: 0.03, burst})
    expect(compareResults(baseline, loaded, THRESHOLD).verdict).toBe('pass')
    expect(compareResults(baseline, loaded, {...THRESHOLD, clock: 'wall', quantile: 0.5}).verdict).toBe('inconclusive')
    const loadedSlower = synthetic({seed: 12, runs: 30, noise: 0.03, burst, factors: {zstd: 1.2}})
    expect(compareResults(baseline, loadedSlower, THRESHOLD).verdict).toBe('fail')
  })

  test('a uniformly slower machine passes: only in-run ratios are compared', () => {
    const otherMachine = clone(sameCommit)
    for (const row of otherMachine.scenarios[0].rows) {
      row.samples = row.samples.map((s) => s * 1.7)
      row.cpuSamples = row.cpuSamples?.map((s) => s * 1.7)
    }
    otherMachine.environment.cpuModel = 'a slower cpu'
    const report = compareResults(baseline, otherMachine, THRESHOLD)
    expect(report.verdict).toBe('pass')
    expect(compareResults(sameCommit, otherMachine, THRESHOLD).rows.filter((row) => row.interval).map((row) => row.change)).toEqual([0, 0, 0].map(() => expect.closeTo(0, 12)))
    expect(report.notes.join(' ')).toContain('cpu: test cpu → a slower cpu')
  })

  test('reports are deterministic: same files, same intervals', () => {
    expect(compareResults(baseline, slower20, THRESHOLD)).toEqual(compareResults(baseline, slower20, THRESHOLD))
    const reseeded = compareResults(baseline, slower20, {...THRESHOLD, seed: 99})
    expect(reseeded.rows.map((row) => row.change)).toEqual(compareResults(baseline, slower20, THRESHOLD).rows.map((row) => row.change))
  })

  test('the quantile compared is an option: 0.5 gives the ratio of medians', () => {
    const report = compareResults(baseline, sameCommit, {...THRESHOLD, quantile: 0.5, clock: 'wall', metrics: ['ratioToGzip']})
    const zstd = (file: ResultsFile) => file.scenarios[0].rows.find((row) => row.variant === 'zstd')!.ratioToGzip!.value
    expect(report.rows[0].baseline).toBeCloseTo(zstd(baseline), 12)
    expect(report.rows[0].current).toBeCloseTo(zstd(sameCommit), 12)
    expect(report.settings.quantile).toBe(0.5)
  })

  test('clock: CPU times when every series has them, else wall-clock; never a mix', () => {
    expect(compareResults(baseline, sameCommit, THRESHOLD).rows.filter((row) => row.interval).map((row) => row.clock)).toEqual(['cpu', 'cpu', 'cpu'])
    const older = clone(sameCommit)
    delete older.scenarios[0].rows[0].cpuSamples // gzip: the reference of ratioToGzip, the variant of gzip/floor
    const rows = compareResults(baseline, older, THRESHOLD).rows.filter((row) => row.interval)
    expect(rows.map((row) => `${row.variant}/${row.metric}/${row.clock}`)).toEqual(['gzip/ratioToFloor/wall', 'zstd/ratioToGzip/wall', 'zstd/ratioToFloor/cpu'])
    expect(compareResults(baseline, sameCommit, {...THRESHOLD, clock: 'wall'}).rows.filter((row) => row.interval).every((row) => row.clock === 'wall')).toBe(true)
    const forced = compareResults(baseline, older, {...THRESHOLD, clock: 'cpu'})
    expect(forced.rows.find((row) => row.variant === 'zstd' && row.metric === 'ratioToGzip')).toMatchObject({verdict: 'skip', reason: 'no CPU times recorded (--clock cpu)'})
  })

  test('pooling runs concatenates samples and recomputes statistics', () => {
    const pooled = poolResults([baseline, sameCommit])
    const rows = (file: ResultsFile) => file.scenarios[0].rows
    expect(rows(pooled)[1].samples).toEqual([...rows(baseline)[1].samples, ...rows(sameCommit)[1].samples])
    expect(rows(pooled)[1].stats!.runs).toBe(70)
    expect(rows(pooled)[1].cpuSamples).toHaveLength(70)
    expect(rows(pooled)[3].status).toBe('unsupported')
    expect(rows(baseline)[1].samples).toHaveLength(40) // inputs untouched
  })

  test('a variant unsupported or missing in one file is skipped with the reason', () => {
    const current = clone(slower20)
    const zstd = current.scenarios[0].rows.find((row) => row.variant === 'zstd')!
    Object.assign(zstd, {status: 'unsupported', reason: 'no zstd backend', samples: [], stats: null, ratioToGzip: null, ratioToFloor: null})
    const report = compareResults(baseline, current, THRESHOLD)
    for (const row of timingRows(report, 'zstd')) {
      expect(row.verdict).toBe('skip')
      expect(row.reason).toBe('zstd unsupported in current: no zstd backend')
    }
    const reflink = timingRows(report, 'none-reflink')
    expect(reflink.map((row) => row.verdict)).toEqual(['skip', 'skip'])
    expect(reflink[0].reason).toContain('unsupported in baseline: ext4 cannot clone')
    expect(report.verdict).toBe('pass') // the slowed variant was not measured

    current.scenarios[0].rows = current.scenarios[0].rows.filter((row) => row.variant !== 'gzip')
    const noReference = compareResults(baseline, current, THRESHOLD)
    expect(noReference.rows.find((row) => row.variant === 'floor' && row.metric === 'ratioToFloor')).toBeUndefined()
    expect(noReference.rows.find((row) => row.variant === 'gzip')!.reason).toBe('gzip not measured in current')
  })

  test('rows: no ratio of a reference to itself, no floor/gzip (it is gzip/floor inverted)', () => {
    const keys = compareResults(baseline, sameCommit, THRESHOLD).rows.map((row) => `${row.variant}/${row.metric}`)
    expect(keys).toEqual([
      'gzip/ratioToFloor',
      'zstd/ratioToGzip',
      'zstd/ratioToFloor',
      'none-reflink/ratioToGzip',
      'none-reflink/ratioToFloor',
      'gzip/storedBytes',
      'gzip/compressionRatio',
      'zstd/storedBytes',
      'zstd/compressionRatio',
      'tree/files',
      'tree/rawBytes',
    ])
  })

  test('--metric filters rows; with nothing left to compare the gate is inconclusive', () => {
    const report = compareResults(baseline, slower20, {...THRESHOLD, metrics: ['files']})
    expect(report.rows.map((row) => row.metric)).toEqual(['files'])
    expect(report.verdict).toBe('pass')
    const empty = clone(baseline)
    empty.scenarios[0].libraries = []
    expect(compareResults(empty, empty, {...THRESHOLD, metrics: ['storedBytes']}).verdict).toBe('inconclusive')
  })
})

// --- between-run drift -------------------------------------------------------------------------

/**
 * Several runs pooled, as `gate` and `--update-baseline` pool them: each run has its own luck on
 * top of its restores' noise, a log-normal factor of spread `tau` on every variant's times (drawn
 * per run from the seed), which a bootstrap over restores cannot see.
 */
function pooledRuns({seed, count, tau, ...draw}: Omit<Draw, 'seed'> & {seed: number; count: number; tau: number}): ResultsFile {
  const random = seededRandom(seed * 7919)
  const runs = Array.from({length: count}, (_, i) => {
    const factors = Object.fromEntries(Object.keys(BASE_SECONDS).map((name) => [name, (draw.factors?.[name] ?? 1) * Math.exp(tau * normal(random))]))
    return synthetic({...draw, seed: seed * 100 + i, factors})
  })
  return poolResults(runs)
}

describe('between-run drift is not a regression', () => {
  // Measured on a quiet 2-core machine: three runs of one commit gave zstd/gzip CPU p10 ratios of
  // 0.876, 0.958 and 0.990, and the restore-only interval failed the unchanged code 2 times in 4.
  const drift = {runs: 20, noise: 0.03, tau: 0.035}
  // Five runs, as `gate --update-baseline` records by default: the baseline's own luck is shared by
  // every later check against it, so it needs runs to spare.
  const driftBaseline = pooledRuns({seed: 3000, count: 5, ...drift})

  test('pooled files keep each run\'s sample count, and the gate reports the spread it found', () => {
    const zstd = driftBaseline.scenarios[0].rows.find((row) => row.variant === 'zstd')!
    expect(zstd.runSizes).toEqual([20, 20, 20, 20, 20])
    const report = compareResults(driftBaseline, pooledRuns({seed: 3001, count: 2, ...drift}), THRESHOLD)
    const row = timingRows(report, 'zstd')[0]
    expect(row.runs).toMatchObject({baseline: 5, current: 2, df: 5})
    expect(row.runs!.sd).toBeGreaterThan(0)
  })

  // The gate's error rates are those of its intervals: these seeded sets check them, not "never".
  // Each trial draws its own baseline too, since a baseline's luck is shared by every check against it.
  const trialBaseline = (seed: number) => pooledRuns({seed: seed + 50_000, count: 5, ...drift})
  test('same commit with run-to-run drift: at most 1 false fail in 20 (seeds 3100–3119); restore-only intervals fail more', () => {
    const forget = (file: ResultsFile) => {
      const copy = clone(file)
      for (const row of copy.scenarios[0].rows) delete row.runSizes
      return copy
    }
    let fails = 0
    let restoreOnlyFails = 0
    for (const seed of SEEDS.map((s) => s + 2100)) {
      const current = pooledRuns({seed, count: 2, ...drift})
      if (compareResults(trialBaseline(seed), current, THRESHOLD).verdict === 'fail') fails++
      // The fault this guards against: forget the run boundaries and the same data fails.
      if (compareResults(forget(trialBaseline(seed)), forget(current), THRESHOLD).verdict === 'fail') restoreOnlyFails++
    }
    expect(fails).toBeLessThanOrEqual(1)
    expect(restoreOnlyFails).toBeGreaterThan(fails)
  })

  test('+20% on zstd fails through the drift once three runs are pooled: at least 18 in 20 (seeds 3200–3219)', () => {
    const failed = SEEDS.filter((s) => compareResults(trialBaseline(s + 2200), pooledRuns({seed: s + 2200, count: 3, ...drift, factors: {zstd: 1.2}}), THRESHOLD).verdict === 'fail')
    expect(failed.length).toBeGreaterThanOrEqual(18)
  })

  test('+10% under drift: at most 1 pass in 20 (seeds 3300–3319)', () => {
    const passed = SEEDS.filter((seed) => compareResults(trialBaseline(seed + 2300), pooledRuns({seed: seed + 2300, count: 2, ...drift, factors: {zstd: 1.1}}), THRESHOLD).verdict === 'pass')
    expect(passed.length).toBeLessThanOrEqual(1)
  })

  test('one run a side: the spread cannot be estimated, the interval is the restores\' alone', () => {
    const report = compareResults(baseline, sameCommit, THRESHOLD)
    expect(report.rows.filter((row) => row.interval).every((row) => row.runs === undefined)).toBe(true)
  })
})

// --- power on demand ----------------------------------------------------------------------------

describe('gateWithReruns: measure until decided or out of budget', () => {
  // Five runs pooled, as `gate --update-baseline` records a baseline.
  const baseline = poolResults([1, 2, 3, 4, 5].map((seed) => synthetic({seed, runs: 40, noise: 0.03})))
  /** A measure() over seeded draws, and a fake clock advancing `seconds` per run. */
  const sequence = (draws: Draw[], seconds = 10) => {
    let now = 0
    let next = 0
    return {
      now: () => now,
      measure: async () => {
        now += seconds
        return synthetic(draws[Math.min(next++, draws.length - 1)])
      },
      calls: () => next,
    }
  }
  const noisy = (seed: number, factors?: Record<string, number>): Draw => ({seed, runs: 15, noise: 0.08, ...(factors ? {factors} : {})})

  test('an inconclusive first run is measured again and decided on the pooled samples (seeds 21–40)', async () => {
    const runs = sequence(Array.from({length: 20}, (_, i) => noisy(21 + i)))
    expect(compareResults(baseline, synthetic(noisy(21)), THRESHOLD).verdict).toBe('inconclusive')
    const {report, runs: measured} = await gateWithReruns(baseline, runs.measure, {...THRESHOLD, reruns: 20, budgetSeconds: 1000, now: runs.now})
    expect(report.verdict).toBe('pass')
    expect(measured).toBeGreaterThan(1)
    expect(report.currentRuns).toBe(measured)
    expect(report.measuring).toEqual({seconds: measured * 10, budgetSeconds: 1000, budgetExhausted: false})
    expect(report.notes.join(' ')).toContain(`measured ${measured} times`)
  })

  test('a regression under the same noise fails once the data shows it (seeds 41–60)', async () => {
    const runs = sequence(Array.from({length: 20}, (_, i) => noisy(41 + i, {zstd: 1.3})))
    const {report} = await gateWithReruns(baseline, runs.measure, {...THRESHOLD, reruns: 20, budgetSeconds: 1000, now: runs.now})
    expect(report.verdict).toBe('fail')
    expect(timingRows(report, 'zstd').every((row) => row.verdict === 'fail')).toBe(true)
  })

  test('the time budget stops measuring: no run starts that would not fit', async () => {
    const runs = sequence([{seed: 5, runs: 15, noise: 0.5}], 10)
    const {report} = await gateWithReruns(baseline, runs.measure, {...THRESHOLD, reruns: 20, budgetSeconds: 25, now: runs.now})
    expect(runs.calls()).toBe(2) // 10 s, then 20 s; a third would end at 30 s > 25 s
    expect(report.verdict).toBe('inconclusive')
    expect(report.measuring).toEqual({seconds: 20, budgetSeconds: 25, budgetExhausted: true})
    expect(report.notes.join(' ')).toContain('measuring budget ran out')
  })

  test('--reruns caps the runs', async () => {
    const runs = sequence([{seed: 5, runs: 15, noise: 0.5}])
    const {report} = await gateWithReruns(baseline, runs.measure, {...THRESHOLD, reruns: 0, budgetSeconds: 1000, now: runs.now})
    expect(runs.calls()).toBe(1)
    expect(report.notes.join(' ')).toContain('--reruns 0 were used up')
  })

  test('a first-run fail is confirmed by one more run; a burst that the next run contradicts is not a fail', async () => {
    const real = sequence([{seed: 61, runs: 30, noise: 0.03, factors: {zstd: 1.3}}, {seed: 62, runs: 30, noise: 0.03, factors: {zstd: 1.3}}])
    const confirmed = await gateWithReruns(baseline, real.measure, {...THRESHOLD, reruns: 20, budgetSeconds: 1000, now: real.now})
    expect([confirmed.report.verdict, real.calls()]).toEqual(['fail', 2])
    // One run slowed by a burst of contention on every zstd restore, then calm runs.
    const burst = sequence([{seed: 63, runs: 30, noise: 0.03, factors: {zstd: 1.3}}, {seed: 64, runs: 30, noise: 0.03}, {seed: 65, runs: 30, noise: 0.03}])
    const settled = await gateWithReruns(baseline, burst.measure, {...THRESHOLD, reruns: 20, budgetSeconds: 1000, now: burst.now})
    expect(settled.report.verdict).not.toBe('fail')
    expect(burst.calls()).toBeGreaterThan(1)
  })

  test('a failed deterministic figure ends measuring at once', async () => {
    const runs = sequence([{seed: 5, runs: 15, noise: 0.5}])
    const changed = async () => {
      const file = await runs.measure()
      file.scenarios[0].tree.files += 1
      return file
    }
    const {report} = await gateWithReruns(baseline, changed, {...THRESHOLD, reruns: 20, budgetSeconds: 1000, now: runs.now})
    expect([report.verdict, runs.calls()]).toEqual(['fail', 1])
  })
})

// --- live timings: structure and exactness only -------------------------------------------------

describe('compareResults on real timings (structure only: the verdict is whatever the machine gives)', () => {
  test('every timing row has a clock, an interval around its change and a detectable change', () => {
    const [a, b] = [resultsFrom(measure(12)), resultsFrom(measure(12))]
    const report = compareResults(a, b, THRESHOLD)
    const timing = report.rows.filter((row) => row.interval)
    expect(timing.map((row) => `${row.variant}/${row.metric}`)).toEqual(['gzip/ratioToFloor', 'zstd/ratioToGzip', 'zstd/ratioToFloor'])
    for (const row of timing) {
      expect(row.clock).toBe('cpu')
      expect(row.interval![0]).toBeLessThanOrEqual(row.interval![1])
      expect(row.detectable).toBeGreaterThanOrEqual(0.1)
      expect(['pass', 'fail', 'inconclusive', 'improved']).toContain(row.verdict)
    }
    // A file against itself changes by exactly nothing.
    expect(compareResults(a, a, THRESHOLD).rows.filter((row) => row.interval).map((row) => row.change)).toEqual([0, 0, 0])
  })
})

// --- deterministic figures and input errors -----------------------------------------------------

describe('deterministic figures', () => {
  const withLibrary = (storedFactor: number) => {
    const file = clone(baseline)
    const gzip = file.scenarios[0].libraries[0]
    gzip.storedBytes = Math.round(gzip.storedBytes * storedFactor)
    gzip.ratio = gzip.rawBytes / gzip.storedBytes
    return file
  }
  const row = (report: GateReport, variant: string, metric: string) => report.rows.find((r) => r.variant === variant && r.metric === metric)!

  test('stored bytes and compression ratio: within 1% pass, beyond it fail or improve', () => {
    const within = compareResults(baseline, withLibrary(1.005), THRESHOLD)
    expect(row(within, 'gzip', 'storedBytes').verdict).toBe('pass')
    expect(row(within, 'gzip', 'compressionRatio').verdict).toBe('pass')
    const bigger = compareResults(baseline, withLibrary(1.03), THRESHOLD)
    expect(row(bigger, 'gzip', 'storedBytes')).toMatchObject({verdict: 'fail', interval: null})
    expect(row(bigger, 'gzip', 'storedBytes').change).toBeCloseTo(0.03, 3)
    expect(row(bigger, 'gzip', 'compressionRatio').verdict).toBe('fail')
    expect(bigger.verdict).toBe('fail')
    const smaller = compareResults(baseline, withLibrary(0.95), THRESHOLD)
    expect(row(smaller, 'gzip', 'storedBytes').verdict).toBe('improved')
    expect(compareResults(baseline, withLibrary(1.03), {...THRESHOLD, bytesTolerance: 0.05}).verdict).not.toBe('fail')
  })

  test('file counts and raw bytes must match exactly', () => {
    const changed = clone(sameCommit)
    changed.scenarios[0].tree.files += 1
    const report = compareResults(baseline, changed, THRESHOLD)
    expect(row(report, 'tree', 'files')).toMatchObject({verdict: 'fail', baseline: 1000, current: 1001})
    expect(row(report, 'tree', 'rawBytes').verdict).toBe('pass')
  })

  test('a different zstd backend is noted on the row', () => {
    const other = clone(baseline)
    other.scenarios[0].libraries[1].zstdBackend = 'zlib'
    expect(row(compareResults(baseline, other, THRESHOLD), 'zstd', 'storedBytes').reason).toBe('zstd backend napi → zlib')
  })
})

describe('input errors', () => {
  const expectSchemaError = (a: ResultsFile, b: ResultsFile, fragment: string) => {
    try {
      compareResults(a, b, THRESHOLD)
      expect.unreachable('should have thrown')
    } catch (error) {
      expect(isHoloError(error, 'ESCHEMA')).toBe(true)
      expect((error as Error).message).toContain(fragment)
    }
  }

  test('another schema version or schema is rejected', () => {
    const v2 = clone(sameCommit) as unknown as {schemaVersion: number}
    v2.schemaVersion = 99
    expectSchemaError(baseline, v2 as unknown as ResultsFile, 'the current results are "holobench-results" v99; this holobench reads holobench-results v2')
    const other = clone(baseline) as unknown as {schema: string}
    other.schema = 'something-else'
    expectSchemaError(other as unknown as ResultsFile, sameCommit, 'the baseline results are "something-else"')
  })

  test('different scenario sets, definitions or seeds are rejected', () => {
    const renamed = clone(sameCommit)
    renamed.scenarios[0].scenario = 'large'
    expectSchemaError(baseline, renamed, 'missing from current: small; not in baseline: large')
    const redefined = clone(sameCommit)
    redefined.scenarios[0].source = {kind: 'scenario', definitionDigest: 'sha256:0ddba11', seed: 42}
    expectSchemaError(baseline, redefined, 'scenario small: its definition changed (digest sha256:5ca1ab1e → sha256:0ddba11)')
    const reseeded = clone(sameCommit)
    reseeded.scenarios[0].source = {kind: 'scenario', definitionDigest: 'sha256:5ca1ab1e', seed: 7}
    expectSchemaError(baseline, reseeded, 'generated with seed 42 in the baseline, 7 now')
  })

  test('bad options are usage errors', () => {
    for (const options of [{threshold: 0}, {threshold: 0.1, quantile: 2}, {threshold: 0.1, confidence: 1}, {threshold: 0.1, metrics: ['seconds']}]) {
      expect(() => compareResults(baseline, sameCommit, options)).toThrow(expect.objectContaining({code: 'EUSAGE'}))
    }
  })

  test('threshold and slowdown parsing', () => {
    expect(parseFraction('10%', 'threshold')).toBeCloseTo(0.1, 15)
    expect(parseFraction('0.1', 'threshold')).toBe(0.1)
    expect(parseFraction(' 2.5% ', 'threshold')).toBeCloseTo(0.025, 15)
    for (const bad of ['10', 'ten', '', '%', '-5%']) expect(() => parseFraction(bad, 'threshold')).toThrow(expect.objectContaining({code: 'EUSAGE'}))
    expect(parseSlowdown('zstd:0.2')).toEqual({codec: 'zstd', factor: 0.2})
    expect(parseSlowdown('zstd:20%')).toEqual({codec: 'zstd', factor: 0.2})
    expect(parseSlowdown('variant:zstd-noverify:0.1')).toEqual({variant: 'zstd-noverify', factor: 0.1})
    for (const bad of ['zstd', 'zstd:0', 'zstd:x', 'a:b:0.1']) expect(() => parseSlowdown(bad)).toThrow(expect.objectContaining({code: 'EUSAGE'}))
  })

  test('run options come from the baseline settings', () => {
    const options = runOptionsFromBaseline(baseline, {argv: ['gate'], minRuns: 5})
    expect(options).toEqual({scenarios: ['small'], trees: ['/srv/env'], variants: ['gzip', 'zstd', 'floor'], warmupRuns: 3, minRuns: 5, minTimeSeconds: 0, jobs: 2, seed: 42, mode: 'in-process', argv: ['gate']})
  })
})

// --- rendering ----------------------------------------------------------------------------------

describe('rendering', () => {
  test('text and Markdown tables come from the same columns', () => {
    const report = compareResults(baseline, stretched(sameCommit, 'zstd', 1.5), THRESHOLD)
    report.rows[0].reason = 'a | pipe'
    const headers = gateColumns(report.settings).map((column) => column.header)
    expect(headers).toEqual(['Scenario', 'Variant', 'Metric', 'Clock', 'Baseline', 'Current', 'Change', '95% joint interval', 'Runs', 'Detectable', 'Verdict', 'Note'])
    const text = renderText(report).split('\n')
    expect(text[0]).toMatch(/^holobench gate: FAIL \(2 fail, /)
    expect(text[2]).toMatch(/^Verdict FAIL: evidence of a regression beyond \+10\.0%\. Smallest regression this comparison could detect \(80% power\): \+\d+\.\d%\.$/)
    const headerLine = text.findIndex((line) => line.startsWith('Scenario'))
    expect(headers.every((header) => text[headerLine].includes(header))).toBe(true)
    expect(text.slice(headerLine + 2, headerLine + 2 + report.rows.length).every((line) => line.startsWith('small'))).toBe(true)
    expect(text.join('\n')).toMatch(/zstd\s+ratioToGzip\s+cpu\s+\S+×\s+\S+×\s+\+\d+\.\d%\s+\[\+\d+\.\d%, \+\d+\.\d%\]\s+1\/1\s+\+\d+\.\d%\s+fail/)

    const markdown = renderMarkdown(report).split('\n')
    expect(markdown[0]).toBe(`### ❌ ${text[0]}`)
    const table = markdown.filter((line) => line.startsWith('|'))
    expect(table[0]).toBe(`| ${headers.join(' | ')} |`)
    expect(table[1]).toBe('| :--- | :--- | :--- | :--- | ---: | ---: | ---: | ---: | ---: | ---: | :--- | :--- |')
    expect(table).toHaveLength(report.rows.length + 2)
    expect(table[2]).toContain('a \\| pipe')
    expect(markdown.join('\n')).toContain('| **fail** |')
  })

  test('an inconclusive verdict says it is not a pass, in text and Markdown', () => {
    const report = compareResults(baseline, synthetic({seed: 7, runs: 15, noise: 0.3}), THRESHOLD)
    expect(renderText(report)).toMatch(/^holobench gate: INCONCLUSIVE \(\d+ inconclusive, /)
    expect(renderText(report)).toContain('Verdict INCONCLUSIVE: no evidence either way at +10.0%')
    expect(renderMarkdown(report)).toMatch(/^### ❔ holobench gate: INCONCLUSIVE/)
    expect(renderMarkdown(report)).toContain('| **inconclusive** |')
    expect(renderMarkdown(report)).toContain('Not a pass.')
  })
})

// --- the command, end to end ---------------------------------------------------------------------

describe('holobench gate (bin/run.js)', () => {
  const root = path.resolve(import.meta.dirname, '..')
  let dir: string

  beforeAll(() => {
    ensureBuilt(root)
    dir = mkdtempSync(path.join(tmpdir(), 'holobench-gate-'))
    writeFileSync(path.join(dir, 'baseline.json'), JSON.stringify(baseline))
    writeFileSync(path.join(dir, 'same.json'), JSON.stringify(sameCommit))
    // A clear +40% (samples stretched), so the exit-code checks do not depend on noise.
    writeFileSync(path.join(dir, 'slower.json'), JSON.stringify(stretched(sameCommit, 'zstd', 1.4)))
    writeFileSync(path.join(dir, 'noisy.json'), JSON.stringify(synthetic({seed: 7, runs: 15, noise: 0.3})))
    const v2 = {...clone(sameCommit), schemaVersion: 99}
    writeFileSync(path.join(dir, 'v2.json'), JSON.stringify(v2))
    const otherScenario = clone(sameCommit)
    otherScenario.scenarios[0].scenario = 'large'
    writeFileSync(path.join(dir, 'large.json'), JSON.stringify(otherScenario))
  })

  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  const gate = (...args: string[]) => {
    const result = spawnSync(process.execPath, [path.join(root, 'bin/run.js'), 'gate', ...args], {cwd: dir, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}, timeout: 60_000})
    return {status: result.status, stdout: result.stdout, stderr: result.stderr}
  }

  test('same commit: exit 0 and a verdict table on stdout', () => {
    const result = gate('--baseline', 'baseline.json', '--current', 'same.json')
    expect(result.stderr).not.toMatch(/ESCHEMA|EUSAGE/)
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/^holobench gate: PASS/)
    expect(result.stdout).toMatch(/Scenario\s+Variant\s+Metric\s+Clock\s+Baseline\s+Current\s+Change\s+95% joint interval\s+Runs\s+Detectable\s+Verdict/)
  })

  test('+20% zstd: exit 1, Markdown written, --json keeps the exit code', () => {
    const result = gate('--baseline', 'baseline.json', '--current', 'slower.json', '--markdown', 'summary.md')
    expect(result.status).toBe(1)
    expect(result.stdout).toMatch(/^holobench gate: FAIL/)
    const markdown = readFileSync(path.join(dir, 'summary.md'), 'utf8')
    expect(markdown).toMatch(/^### ❌ holobench gate: FAIL/)
    expect(markdown).toMatch(/\| small \| zstd \| ratioToGzip \| cpu \| .* \| \*\*fail\*\* \|/)

    const json = gate('--baseline', 'baseline.json', '--current', 'slower.json', '--json')
    expect(json.status).toBe(1)
    const parsed = JSON.parse(json.stdout) as {report: GateReport}
    expect(parsed.report.verdict).toBe('fail')
    expect(parsed.report.rows.find((row) => row.variant === 'zstd')!.verdict).toBe('fail')
    expect(JSON.parse(json.stdout)).toMatchObject({exitCode: 1})
  })

  test('inconclusive: exit 3 by default; --inconclusive fail exits 1, --inconclusive pass 0', () => {
    const result = gate('--baseline', 'baseline.json', '--current', 'noisy.json')
    expect(result.status).toBe(3)
    expect(result.stdout).toMatch(/^holobench gate: INCONCLUSIVE/)
    expect(gate('--baseline', 'baseline.json', '--current', 'noisy.json', '--inconclusive', 'fail').status).toBe(1)
    const passing = gate('--baseline', 'baseline.json', '--current', 'noisy.json', '--inconclusive', 'pass', '--json')
    expect(passing.status).toBe(0)
    expect(JSON.parse(passing.stdout)).toMatchObject({exitCode: 0, report: {verdict: 'inconclusive'}})
    expect(gate('--baseline', 'baseline.json', '--current', 'noisy.json', '--inconclusive', 'maybe').status).toBe(2)
  })

  test('usage and input errors: exit 2 with a clear message', () => {
    const v2 = gate('--baseline', 'baseline.json', '--current', 'v2.json')
    expect(v2.status).toBe(2)
    expect(v2.stderr).toContain('ESCHEMA: v2.json: has schemaVersion 99;')
    const oldBaseline = gate('--baseline', 'v2.json', '--current', 'same.json')
    expect(oldBaseline.status).toBe(2)
    expect(oldBaseline.stderr).toContain('--update-baseline')
    const scenarios = gate('--baseline', 'baseline.json', '--current', 'large.json')
    expect(scenarios.status).toBe(2)
    expect(scenarios.stderr).toContain('different scenarios')
    expect(gate('--baseline', 'missing.json', '--current', 'same.json').status).toBe(2)
    expect(gate('--baseline', 'baseline.json', '--current', 'same.json', '--threshold', '10').stderr).toContain('ambiguous')
    expect(gate('--current', 'same.json').status).toBe(2) // oclif's own usage errors keep exit 2
    const json = gate('--baseline', 'baseline.json', '--current', 'v2.json', '--json')
    expect(json.status).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({error: {message: expect.stringContaining('schemaVersion 99')}})
  })

  test('--update-baseline writes the current results atomically', () => {
    const target = path.join(dir, 'new', 'baseline.json')
    const created = gate('--baseline', target, '--current', 'slower.json', '--update-baseline')
    expect(created.status).toBe(0)
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual(JSON.parse(readFileSync(path.join(dir, 'slower.json'), 'utf8')))
    // Replacing an incompatible (older schema) baseline is what updates are for.
    writeFileSync(path.join(dir, 'old.json'), readFileSync(path.join(dir, 'v2.json')))
    const replaced = gate('--baseline', 'old.json', '--current', 'same.json', '--update-baseline')
    expect(replaced.status).toBe(0)
    expect(replaced.stdout).toContain('wrote baseline old.json')
    expect(JSON.parse(readFileSync(path.join(dir, 'old.json'), 'utf8')).schemaVersion).toBe(2)
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([])
  })
})

describe('holobench gate measuring a real run (structure and exactness only)', () => {
  const root = path.resolve(import.meta.dirname, '..')
  let dir: string
  beforeAll(() => {
    ensureBuilt(root)
    dir = mkdtempSync(path.join(tmpdir(), 'holobench-gate-live-'))
  })
  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })
  const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/run.js'), ...args], {cwd: dir, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}, timeout: 300_000})

  // Each test starts several CLI runs; on a loaded 2-core machine that takes minutes.
  const LIVE_TIMEOUT_MS = 600_000
  const timingKeys = (report: GateReport) => report.rows.filter((row) => row.interval).map((row) => `${row.variant}/${row.metric}`)

  test('--update-baseline pools --baseline-runs runs; a gate run reports its runs, budget and a verdict', () => {
    const baseline = path.join(dir, 'baseline.json')
    const update = cli('gate', '--baseline', baseline, '--update-baseline', '--baseline-runs', '2', '--scratch', dir)
    expect(update.status, update.stderr).toBe(2) // no baseline yet, so no settings to run with
    const run = cli('run', '--scenario', 'small', '--mode', 'in-process', '--variants', 'gzip,zstd,floor', '--runs', '2', '--min-time', '0', '--scratch', dir, '--out', baseline)
    expect(run.status, run.stderr).toBe(0)
    const pooled = cli('gate', '--baseline', baseline, '--update-baseline', '--baseline-runs', '2', '--scratch', dir)
    expect(pooled.status, pooled.stderr).toBe(0)
    const rows = (JSON.parse(readFileSync(baseline, 'utf8')) as ResultsFile).scenarios[0].rows
    // Two pooled runs of `--runs 2`: at least 4 restores per variant.
    for (const row of rows) expect(row.samples.length, row.variant).toBeGreaterThanOrEqual(4)

    const gate = cli('gate', '--baseline', baseline, '--scratch', dir, '--time-budget', '0', '--json')
    expect([0, 1, 3], gate.stderr).toContain(gate.status)
    const {report, exitCode} = JSON.parse(gate.stdout) as {report: GateReport; exitCode: number}
    expect(exitCode).toBe(gate.status)
    expect(report.currentRuns).toBe(1) // a zero budget lets no second run start
    expect(report.measuring).toMatchObject({budgetSeconds: 0})
    expect(timingKeys(report)).toEqual(['gzip/ratioToFloor', 'zstd/ratioToGzip', 'zstd/ratioToFloor'])
  }, LIVE_TIMEOUT_MS)

  test('in process mode the gate measures in process mode and compares child CPU times', () => {
    const baseline = path.join(dir, 'process.json')
    const run = cli('run', '--scenario', 'small', '--mode', 'process', '--variants', 'gzip,zstd,floor', '--runs', '2', '--min-time', '0', '--scratch', dir, '--out', baseline)
    expect(run.status, run.stderr).toBe(0)
    const out = path.join(dir, 'process-current.json')
    const gate = cli('gate', '--baseline', baseline, '--scratch', dir, '--time-budget', '0', '--out', out, '--json')
    expect([0, 1, 3], gate.stderr).toContain(gate.status)
    const {report} = JSON.parse(gate.stdout) as {report: GateReport}
    expect(timingKeys(report)).toEqual(['gzip/ratioToFloor', 'zstd/ratioToGzip', 'zstd/ratioToFloor'])
    expect(report.rows.filter((row) => row.interval).every((row) => row.clock === 'cpu')).toBe(true)
    const current = JSON.parse(readFileSync(out, 'utf8')) as ResultsFile
    expect(current.settings.mode).toBe('process')
    expect(current.scenarios[0].rows.find((row) => row.variant === 'zstd')!.mode).toBe('process')
  }, LIVE_TIMEOUT_MS)
})

/** The end-to-end tests run the built CLI; rebuild when the gate sources are newer than dist. */
function ensureBuilt(root: string): void {
  const built = path.join(root, 'dist/commands/gate.js')
  const sources = [path.join(root, 'src/commands/gate.ts'), ...readdirSync(path.join(root, 'src/gate')).map((name) => path.join(root, 'src/gate', name))]
  if (existsSync(built) && sources.every((source) => statSync(source).mtimeMs <= statSync(built).mtimeMs)) return
  // Emits even when another module has type errors; the gate's own files are checked by tsc --noEmit.
  spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {cwd: root, stdio: 'ignore', timeout: 300_000})
  if (!existsSync(built)) throw new Error('dist/commands/gate.js is missing: run `npm run build`')
}
