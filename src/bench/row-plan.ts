/**
 * What the runner times for one row, and the restores rows are built from: a `holobench drop`
 * (a fresh process in process mode, the engine in this process otherwise), a command, or work
 * in this process. Shared by the seed's variants (runner.ts) and the candidates (candidates/).
 */
import {fileURLToPath} from 'node:url'

import {gzipBackendFor} from '../engine/codec/index.js'
import {drop} from '../engine/drop.js'
import type {DropOptions} from '../engine/drop.js'
import {isHoloError} from '../engine/errors.js'
import {warmUpRestoreWorkers} from '../engine/restore/pool.js'
import type {CodecName, ZstdBackend} from '../engine/types.js'
import type {RunMode, VariantResult} from './results.js'
import {runTimed} from './spawn-timed.js'
import type {TimedProcess} from './spawn-timed.js'

/** One restore, however it ran. */
export interface Timing {
  seconds: number // wall clock
  cpuSeconds: number | null // user + system, all threads; null where unknown
  engineSeconds?: number // the restore's own time as the engine reported it
  counts?: Record<string, number> // files per strategy, from a holobench drop
}

/** One timed restore into `target` (a fresh directory path; its parent exists). */
export type RestoreTask = (target: string) => Promise<Timing>

/** Why a row could not be timed; `unsupported` for what this machine or Node cannot do. */
export class RowError extends Error {
  constructor(
    message: string,
    readonly status: 'unsupported' | 'failed',
  ) {
    super(message)
  }
}

export interface RowPlan {
  row: VariantResult
  restore: RestoreTask
  /** Set for rows whose first restore is checked against the expected tree (not floor, not cp). */
  check?: {rccExcludes: boolean; extraFiles: readonly string[]; source?: string}
  /**
   * Untimed work before every restore of this row, warm-ups included, once `target`'s parent
   * exists (e.g. a warm restore fills the target with an earlier restore first).
   */
  prepare?: (target: string) => Promise<void>
}

/** The CLI a process-mode restore runs: this checkout's bin/run.js (it loads the built dist/). */
export const HOLOBENCH_BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/** How a row's `holobench drop` restores: the flags a user would pass, and any hidden ones. */
export interface DropRestore {
  catalog: string
  codec: CodecName
  verify: boolean
  strategy: 'copy' | 'reflink' | 'hardlink'
  zstdBackend?: ZstdBackend
  jobs: number
  mode: RunMode
  /** Extra drop flags in process mode (e.g. a candidate's hidden `--pack <file>`) … */
  extraArgs?: readonly string[]
  /** … and the same as drop options in-process. */
  extraOptions?: Partial<DropOptions>
  /** The row's name and the scratch's filesystem, for an unsupported strategy's message. */
  variant: string
  scratchFs: string
}

/**
 * A restore by holobench's drop. Process mode: a fresh `holobench drop` per restore, timed from
 * spawn to exit, its own `seconds` kept as the engine time. In-process: the engine called here.
 * Timed without a flush, as RCC restores; the flush's cost is measured apart (README, Guarantees).
 */
export function dropRestore(settings: DropRestore): RestoreTask {
  const backend = settings.zstdBackend ?? 'auto'
  if (settings.mode === 'in-process') {
    return inProcess(async (target) => {
      try {
        // Warm, as a long-lived process restores: its worker threads already running (a fresh
        // process starts fewer, or none for a small catalog: restore/pool.ts restoreLanes).
        warmUpRestoreWorkers(settings.jobs)
        const result = await drop({
          catalog: settings.catalog,
          target,
          verify: settings.verify,
          strategy: settings.strategy,
          jobs: settings.jobs,
          zstdBackend: backend,
          gzipBackend: gzipBackendFor(settings.codec),
          durable: false,
          ...settings.extraOptions,
        })
        return {engineSeconds: result.seconds, counts: {...result.strategy.counts}}
      } catch (error) {
        throw isHoloError(error, 'ENOTSUP_STRATEGY') ? unsupported(settings.strategy, String(error.data?.targetFs ?? settings.scratchFs)) : error
      }
    })
  }

  const argv = (target: string) => [
    process.execPath, HOLOBENCH_BIN, 'drop', settings.catalog, '--target', target, '--strategy', settings.strategy, '--jobs', String(settings.jobs),
    '--zstd-backend', backend, '--gzip-backend', gzipBackendFor(settings.codec), settings.verify ? '--verify' : '--no-verify', '--no-fsync', ...(settings.extraArgs ?? []), '--json',
  ]
  return async (target) => {
    const run = await runTimed(argv(target))
    if (run.code !== 0) {
      if (/ENOTSUP_STRATEGY/.test(run.stdout + run.stderr)) throw unsupported(settings.strategy, settings.scratchFs)
      throw new RowError(`holobench drop ${exitText(run)}: ${lastLine(run)}`, 'failed')
    }

    const result = lastJson(run.stdout) as {seconds?: number; strategy?: {counts?: Record<string, number>}} | undefined
    return {seconds: run.seconds, cpuSeconds: run.cpuSeconds, engineSeconds: result?.seconds, counts: result?.strategy?.counts}
  }
}

/** A restore in this process, timed with its CPU time (all threads of this process). */
export function inProcess(work: (target: string) => Promise<Omit<Timing, 'seconds' | 'cpuSeconds'>>): RestoreTask {
  return async (target) => {
    const cpu = process.cpuUsage()
    const started = performance.now()
    const extra = await work(target)
    const seconds = (performance.now() - started) / 1000
    return {seconds, cpuSeconds: cpuMs(process.cpuUsage(cpu)) / 1000, ...extra}
  }
}

/** A command run as a process; `argv(target)` without the target, which comes last. */
export function processTask(argv: () => string[], what: string): RestoreTask {
  return async (target) => {
    const run = await runTimed([...argv(), target])
    if (run.code !== 0) throw new RowError(`${what} ${exitText(run)}: ${lastLine(run)}`, 'failed')
    return {seconds: run.seconds, cpuSeconds: run.cpuSeconds}
  }
}

export function unsupported(strategy: string, fs: string): RowError {
  // Short and free of scratch paths: reports show it in a table cell.
  return new RowError(`${strategy} is not possible on ${fs}: it cannot clone files`, 'unsupported')
}

export function exitText(run: TimedProcess): string {
  return run.signal ? `was killed by ${run.signal}` : `exited ${run.code}`
}

/** The last non-empty line a failed process printed (stderr first): usually its error. */
export function lastLine(run: TimedProcess): string {
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

export function emptyMeasurements(): Pick<VariantResult, 'status' | 'samples' | 'cpuSamples' | 'engineSamples' | 'stats' | 'ratioToGzip' | 'ratioToFloor' | 'outliers'> {
  return {status: 'ok', samples: [], cpuSamples: [], engineSamples: [], stats: null, ratioToGzip: null, ratioToFloor: null, outliers: []}
}

export function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000
}
