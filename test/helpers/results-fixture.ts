/**
 * Plausible results.json files for report tests, without hard-coded numbers.
 *
 * `measuredResults()` times real work on this machine: a miniature restore per variant (gunzip
 * or zstd-decompress each file of a generated tree, hash it unless verify is skipped, copy it
 * out; the floor is the copy alone). `syntheticResults(seed)` draws samples from a seeded
 * generator when a test needs the same numbers every time. Both compute their statistics here,
 * independently of src/bench, and mark what this machine cannot do as unsupported, with a reason.
 */
import {createHash} from 'node:crypto'
import {copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import zlib from 'node:zlib'
import {compress as zstdCompress, decompress as zstdDecompress} from '@mongodb-js/zstd'
import {seededRandom} from '../../src/bench/random.js'
import {RESULTS_SCHEMA, RESULTS_SCHEMA_VERSION, type LibraryResult, type Ratio, type ResultsFile, type ScenarioResult, type Stats, type VariantResult} from '../../src/bench/results.js'

/** Seeded numbers for test data: the same generator the bootstrap uses. */
export const rng = seededRandom

// ---------------------------------------------------------------- statistics (independent of src/bench)

function quantile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q
  const low = Math.floor(position)
  const high = Math.ceil(position)
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low)
}

const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5)

export function computeStats(samples: number[], files: number, bytes: number): Stats {
  const sorted = [...samples].sort((a, b) => a - b)
  const n = samples.length
  const mean = samples.reduce((sum, value) => sum + value, 0) / n
  const sd = Math.sqrt(samples.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(n - 1, 1))
  const med = quantile(sorted, 0.5)
  const mad = median(samples.map((value) => Math.abs(value - med)))
  return {
    runs: n,
    mean,
    median: med,
    p75: quantile(sorted, 0.75),
    p99: quantile(sorted, 0.99),
    min: sorted[0],
    max: sorted[n - 1],
    sd,
    mad,
    rme: ((1.96 * sd) / Math.sqrt(n) / mean) * 100,
    filesPerSecond: files / med,
    mbPerSecond: bytes / 1e6 / med,
  }
}

/** Ratio of medians a/b with a 95% percentile-bootstrap interval. */
export function bootstrapRatio(a: number[], b: number[], seed: number): Ratio {
  const random = rng(seed)
  const resample = (values: number[]) => values.map(() => values[Math.floor(random() * values.length)])
  const ratios = Array.from({length: 400}, () => median(resample(a)) / median(resample(b))).sort((x, y) => x - y)
  return {value: median(a) / median(b), low: quantile(ratios, 0.025), high: quantile(ratios, 0.975)}
}

function outliers(samples: number[]): number[] {
  const med = median(samples)
  const mad = median(samples.map((value) => Math.abs(value - med))) * 1.4826
  return samples.flatMap((value, index) => (mad > 0 && Math.abs(value - med) / mad > 3.5 ? [index] : []))
}

// ---------------------------------------------------------------- assembling a results file

interface VariantSpec {
  variant: string
  codec: string | null
  verify: boolean
  strategy: string
  samples?: number[] // absent: unsupported
  reason?: string
}

interface ScenarioSpec {
  name: string
  seed: number
  files: number
  bytes: number
  libraries: LibraryResult[]
  variants: VariantSpec[]
}

function scenarioResult(spec: ScenarioSpec): ScenarioResult {
  const samplesOf = (variant: string) => spec.variants.find((v) => v.variant === variant)?.samples
  const gzip = samplesOf('gzip')
  const floor = samplesOf('floor')
  const rows = spec.variants.map((v, index): VariantResult => {
    const kind = v.strategy === 'floor' ? ('floor' as const) : ('variant' as const)
    const base = {variant: v.variant, kind, mode: 'in-process' as const, codec: v.codec, verify: v.verify, strategy: v.strategy, outliers: [] as number[]}
    if (!v.samples) return {...base, status: 'unsupported', reason: v.reason, samples: [], stats: null, ratioToGzip: null, ratioToFloor: null}
    return {
      ...base,
      status: 'ok',
      samples: v.samples,
      stats: computeStats(v.samples, spec.files, spec.bytes),
      ratioToGzip: gzip ? bootstrapRatio(v.samples, gzip, spec.seed + index) : null,
      ratioToFloor: floor ? bootstrapRatio(v.samples, floor, spec.seed + 100 + index) : null,
      outliers: outliers(v.samples),
      ...(v.strategy === 'floor' ? {} : {strategyCounts: {[v.strategy]: spec.files}}),
    }
  })
  return {
    scenario: spec.name,
    source: {kind: 'scenario', definitionDigest: createHash('sha256').update(spec.name).digest('hex').slice(0, 16), seed: spec.seed},
    tree: {files: spec.files, dirs: Math.ceil(spec.files / 4), symlinks: 1, bytes: spec.bytes, relocatedFiles: Math.floor(spec.files / 8)},
    libraries: spec.libraries,
    rows,
  }
}

function resultsFile(scenarios: ScenarioSpec[], environment: Partial<ResultsFile['environment']>, runs: number): ResultsFile {
  return {
    schema: RESULTS_SCHEMA,
    schemaVersion: RESULTS_SCHEMA_VERSION,
    holobench: {version: '0.1.0', commit: null},
    environment: {
      date: new Date().toISOString(),
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      kernel: os.release(),
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      cpuCount: os.cpus().length,
      memoryBytes: os.totalmem(),
      scratchDir: os.tmpdir(),
      scratchFs: filesystemOf(os.tmpdir()),
      libraryFs: filesystemOf(os.tmpdir()),
      zstdBackends: ['napi', ...(hasZlibZstd() ? ['zlib'] : [])],
      ...environment,
    },
    settings: {
      argv: ['--scenario', ...scenarios.map((s) => s.name), '--min-runs', String(runs)],
      scenarios: scenarios.map((s) => s.name),
      variants: scenarios[0]?.variants.map((v) => v.variant) ?? [],
      warmupRuns: 2,
      minRuns: runs,
      minTimeSeconds: 0,
      jobs: 1,
      mode: 'in-process',
    },
    scenarios: scenarios.map(scenarioResult),
  }
}

function filesystemOf(path: string): string {
  try {
    const mounts = readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter((fields) => fields.length > 2 && (path === fields[1] || path.startsWith(fields[1].endsWith('/') ? fields[1] : `${fields[1]}/`)))
      .sort((a, b) => b[1].length - a[1].length)
    return mounts[0]?.[2] ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

function hasZlibZstd(): boolean {
  return typeof (zlib as unknown as Record<string, unknown>).zstdDecompressSync === 'function'
}

// ---------------------------------------------------------------- measured on this machine

/** Generated "tree": compressible text files plus some incompressible ones, from a seed. */
function generateFiles(seed: number, count: number, size: number, binaryShare: number): Buffer[] {
  const random = rng(seed)
  const words = ['import', 'def', 'return', 'self', 'robot', 'task', 'python', 'library', 'keyword', 'value', 'none', 'true', '    ', '\n']
  return Array.from({length: count}, (_, index) => {
    const buffer = Buffer.alloc(size)
    if (index < count * binaryShare) {
      for (let i = 0; i < size; i++) buffer[i] = Math.floor(random() * 256)
      return buffer
    }
    let offset = 0
    while (offset < size) offset += buffer.write(`${words[Math.floor(random() * words.length)]} `, offset)
    return buffer
  })
}

async function time(work: () => Promise<void> | void, warmup: number, runs: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await work()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await work()
    samples.push((performance.now() - start) / 1e3)
  }
  return samples
}

/**
 * A miniature restore per variant into a temporary directory: decode each library file, hash it
 * when verifying, write it out. The floor copies the raw files with copyFileSync, like the real
 * floor row's plain recursive copy.
 */
async function measuredScenario(name: string, seed: number, files: Buffer[], runs: number): Promise<ScenarioSpec> {
  const bytes = files.reduce((sum, file) => sum + file.length, 0)
  const catalogBytes = JSON.stringify(files.map((file, i) => ({name: `f${i}`, size: file.length, digest: 'x'.repeat(64)}))).length
  const dir = mkdtempSync(join(os.tmpdir(), 'holobench-fixture-'))
  try {
    const source = files.map((file, i) => {
      const path = join(dir, `raw-${i}`)
      writeFileSync(path, file)
      return path
    })
    const target = (i: number) => join(dir, `out-${i}`)

    let start = performance.now()
    const gz = files.map((file) => zlib.gzipSync(file, {level: 6}))
    const gzipLift = (performance.now() - start) / 1e3
    start = performance.now()
    const zs = await Promise.all(files.map((file) => zstdCompress(file, 3)))
    const zstdLift = (performance.now() - start) / 1e3
    const library = (codec: string, stored: Buffer[], liftSeconds: number): LibraryResult => {
      const storedBytes = stored.reduce((sum, file) => sum + file.length, 0)
      return {codec, ...(codec === 'zstd' ? {zstdBackend: 'napi'} : {}), rawBytes: bytes, storedBytes, ratio: bytes / storedBytes, liftSeconds, catalogBytes}
    }

    const hash = (data: Buffer) => createHash('sha256').update(data).digest()
    const restore = (decode: (index: number) => Buffer | Promise<Buffer>, verify: boolean) => async () => {
      for (let i = 0; i < files.length; i++) {
        const data = await decode(i)
        if (verify) hash(data)
        writeFileSync(target(i), data)
      }
    }
    const floor = () => {
      for (let i = 0; i < files.length; i++) copyFileSync(source[i], target(i))
    }
    const warmup = 2
    const variants: VariantSpec[] = [
      {variant: 'gzip', codec: 'gzip', verify: true, strategy: 'copy', samples: await time(restore((i) => zlib.gunzipSync(gz[i]), true), warmup, runs)},
      {variant: 'zstd', codec: 'zstd', verify: true, strategy: 'copy', samples: await time(restore((i) => zstdDecompress(zs[i]), true), warmup, runs)},
      {variant: 'zstd-noverify', codec: 'zstd', verify: false, strategy: 'copy', samples: await time(restore((i) => zstdDecompress(zs[i]), false), warmup, runs)},
      {variant: 'none-copy', codec: 'none', verify: true, strategy: 'copy', samples: await time(restore((i) => readFileSync(source[i]), true), warmup, runs)},
      // Honest about this helper: it never tries a reflink, so the row is what an ext4 run reports.
      {variant: 'none-reflink', codec: 'none', verify: false, strategy: 'reflink', reason: 'ext4 cannot clone'},
      {variant: 'floor', codec: null, verify: false, strategy: 'floor', samples: await time(floor, warmup, runs)},
    ]
    return {
      name,
      seed,
      files: files.length,
      bytes,
      libraries: [library('gzip', gz, gzipLift), library('zstd', zs, zstdLift), library('none', files, 0)],
      variants,
    }
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

export interface MeasuredOptions {
  runs?: number
  seed?: number
}

/** Two scenarios measured now, on this machine: ~1 s of work in total. */
export async function measuredResults(options: MeasuredOptions = {}): Promise<ResultsFile> {
  const runs = options.runs ?? 12
  const seed = options.seed ?? 7
  const text = await measuredScenario('python-text', seed, generateFiles(seed, 12, 96 * 1024, 0), runs)
  const mixed = await measuredScenario('mixed-binary', seed + 1, generateFiles(seed + 1, 12, 96 * 1024, 0.5), runs)
  return resultsFile([text, mixed], {}, runs)
}

// ---------------------------------------------------------------- seeded, for exact expectations

/** Same shape as measured results, samples drawn around plausible medians with seeded noise. */
export function syntheticResults(seed = 1, options: {speed?: number; variantSpeed?: Record<string, number>} = {}): ResultsFile {
  const random = rng(seed)
  const speed = options.speed ?? 1 // >1 = a faster machine: every median divided by it
  // variantSpeed: >1 = that variant alone got faster (its in-run ratio to gzip changes).
  const draw = (medianSeconds: number, runs: number, variant = '') =>
    Array.from({length: runs}, () => (medianSeconds / speed / (options.variantSpeed?.[variant] ?? 1)) * Math.exp((random() + random() + random() - 1.5) * 0.12))
  const spec = (name: string, scale: number, offset: number): ScenarioSpec => {
    const files = Math.round(3000 * scale)
    const bytes = Math.round(250e6 * scale)
    const library = (codec: string, ratio: number) => fixtureLibrary(codec, ratio, bytes, files, (bytes / 60e6) * (codec === 'none' ? 0.2 : 1))
    return {
      name,
      seed: seed + offset,
      files,
      bytes,
      libraries: [library('gzip', 3.1), library('zstd', 3.4), library('none', 1)],
      variants: [
        {variant: 'gzip', codec: 'gzip', verify: true, strategy: 'copy', samples: draw(1.2 * scale, 15)},
        {variant: 'zstd', codec: 'zstd', verify: true, strategy: 'copy', samples: draw(0.36 * scale, 15, 'zstd')},
        {variant: 'zstd-noverify', codec: 'zstd', verify: false, strategy: 'copy', samples: draw(0.27 * scale, 15, 'zstd-noverify')},
        {variant: 'none-copy', codec: 'none', verify: true, strategy: 'copy', samples: draw(0.3 * scale, 15)},
        {variant: 'none-reflink', codec: 'none', verify: false, strategy: 'reflink', reason: 'ext4 cannot clone'},
        {variant: 'floor', codec: null, verify: false, strategy: 'floor', samples: draw(0.08 * scale, 15)},
      ],
    }
  }
  return resultsFile([spec('python-ml', 1, 0), spec('robot-minimal', 0.2, 1)], {date: '2025-01-01T12:00:00.000Z', node: 'v20.0.0', platform: 'linux', arch: 'x64', cpuModel: 'Synthetic CPU', cpuCount: 2, memoryBytes: 8e9, scratchDir: '/scratch', scratchFs: 'ext4', libraryFs: 'ext4', kernel: '6.1.0', zstdBackends: ['napi']}, 15)
}

// ---------------------------------------------------------------- one headline verdict per case

export type VerdictCase = 'faster' | 'no-difference' | 'slower' | 'inconclusive'

/**
 * A one-scenario run whose candidates (zstd, zstd-noverify, none-copy) all land in one headline
 * case against gzip: `faster` (≈1.3–1.5× with tight samples), `no-difference` (the same median,
 * tight), `slower` (≈1.3× the time, tight), `inconclusive` (about the same median but wide spread
 * and few runs). Samples are seeded; the intervals come from this file's own bootstrap.
 */
export function verdictCaseResults(kind: VerdictCase, options: {scratchFs?: string; seed?: number} = {}): ResultsFile {
  const random = rng(options.seed ?? 11)
  const tight = kind !== 'inconclusive'
  const runs = tight ? 20 : 6
  const spread = tight ? 0.02 : 0.5
  const draw = (medianSeconds: number) => Array.from({length: runs}, () => medianSeconds * Math.exp((random() + random() + random() - 1.5) * spread))
  const factor: Record<VerdictCase, [number, number, number]> = {
    faster: [0.76, 0.66, 0.7],
    'no-difference': [1, 0.995, 1.005],
    slower: [1.3, 1.25, 1.35],
    inconclusive: [0.97, 1.02, 1.0],
  }
  const [zstd, noverify, copy] = factor[kind]
  const files = 5000
  const bytes = 120e6
  const library = (codec: string, ratio: number) => fixtureLibrary(codec, ratio, bytes, files, 2)
  const gzipMedian = 0.8
  const gzipSamples = draw(gzipMedian)
  // A tie is the same restore times in another order (a true tie can still look different by chance).
  const candidate = (scale: number) => (kind === 'no-difference' ? [...gzipSamples].reverse().map((value) => value * scale) : draw(gzipMedian * scale))
  const spec: ScenarioSpec = {
    name: 'medium',
    seed: options.seed ?? 11,
    files,
    bytes,
    libraries: [library('gzip', 3.1), library('zstd', 3.09), library('none', 1)],
    variants: [
      {variant: 'gzip', codec: 'gzip', verify: true, strategy: 'copy', samples: gzipSamples},
      {variant: 'zstd', codec: 'zstd', verify: true, strategy: 'copy', samples: candidate(zstd)},
      {variant: 'zstd-noverify', codec: 'zstd', verify: false, strategy: 'copy', samples: candidate(noverify)},
      {variant: 'none-copy', codec: 'none', verify: true, strategy: 'copy', samples: candidate(copy)},
      {variant: 'none-reflink', codec: 'none', verify: false, strategy: 'reflink', reason: 'reflink is not possible on tmpfs: it cannot clone files'},
      {variant: 'floor', codec: null, verify: false, strategy: 'floor', samples: draw(gzipMedian * 0.5)},
    ],
  }
  const fs = options.scratchFs ?? 'tmpfs'
  spec.variants[4].reason = `reflink is not possible on ${fs}: it cannot clone files`
  return resultsFile([spec], {date: '2026-11-30T06:00:00.000Z', node: 'v22.12.0', platform: 'linux', arch: 'x64', cpuModel: 'Fixture CPU', cpuCount: 2, memoryBytes: 8e9, scratchDir: '/dev/shm', scratchFs: fs, libraryFs: fs, kernel: '6.1.0', zstdBackends: ['napi']}, runs)
}

/** A library row of `bytes` raw bytes stored at `ratio` (raw ÷ stored), its catalog ~180 bytes a file. */
function fixtureLibrary(codec: string, ratio: number, bytes: number, files: number, liftSeconds: number): LibraryResult {
  return {
    codec,
    ...(codec === 'zstd' ? {zstdBackend: 'napi'} : {}),
    rawBytes: bytes,
    storedBytes: Math.round(bytes / ratio),
    ratio: bytes / Math.round(bytes / ratio),
    liftSeconds,
    catalogBytes: files * 180,
  }
}
