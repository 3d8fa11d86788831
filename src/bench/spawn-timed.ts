import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'

import {childrenCpuSeconds} from './child-cpu.js'

/** One timed process: what a user waits for when a restore runs as its own process. */
export interface TimedProcess {
  /** Wall-clock seconds from spawn to exit (process start, module loading and exit included). */
  seconds: number
  /** CPU seconds of the process and the children it waited for (user + system), or null where unknown. */
  cpuSeconds: number | null
  code: number | null
  signal: NodeJS.Signals | null
  /** The last OUTPUT_TAIL bytes of each stream: enough for a JSON summary or an error line. */
  stdout: string
  stderr: string
}

export interface TimedOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Kill the process group after this many milliseconds (default 10 minutes). */
  timeoutMs?: number
}

const OUTPUT_TAIL = 64 * 1024
// Processes started here and not yet exited, so an interrupted run can stop them.
const live = new Set<number>()

/**
 * Run argv[0] directly (no shell) with argv[1…] and time it from spawn to exit. The process
 * leads its own process group, so a timeout or an interrupt stops its children too. Rejects when
 * it cannot start (ENOENT, EACCES); a non-zero exit is a result, not an error. One at a time:
 * CPU time is the growth of this process's waited-for children's time across the run.
 */
export function runTimed(argv: readonly string[], options: TimedOptions = {}): Promise<TimedProcess> {
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpuSeconds()
    const started = performance.now()
    const child = spawn(argv[0], argv.slice(1), {env: options.env ?? process.env, cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe']})
    let seconds = 0
    let cpuSeconds: number | null = null
    const out = {stdout: '', stderr: ''}
    const keep = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      out[stream] = (out[stream] + chunk.toString('utf8')).slice(-OUTPUT_TAIL)
    }

    child.stdout.on('data', keep('stdout'))
    child.stderr.on('data', keep('stderr'))
    const timer = setTimeout(() => killGroup(child.pid), options.timeoutMs ?? 600_000)
    if (child.pid !== undefined) live.add(child.pid)
    child.once('error', (error) => {
      clearTimeout(timer)
      if (child.pid !== undefined) live.delete(child.pid)
      reject(error)
    })
    child.once('exit', () => {
      seconds = (performance.now() - started) / 1000
      const cpuAfter = childrenCpuSeconds()
      cpuSeconds = cpuBefore === null || cpuAfter === null ? null : Math.max(0, Math.round((cpuAfter - cpuBefore) * 1e6) / 1e6)
      clearTimeout(timer)
      if (child.pid !== undefined) live.delete(child.pid)
    })
    child.once('close', (code, signal) => resolve({seconds, cpuSeconds, code, signal, ...out}))
  })
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/**
 * Synchronous, for signal handlers: kill every running timed process group and wait (up to 2 s)
 * until each is dead, so nothing writes into a scratch directory being removed.
 */
export function killTimedProcessesSync(): void {
  const pids = [...live]
  for (const pid of pids) killGroup(pid)
  const deadline = Date.now() + 2000
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (const pid of pids) {
    while (Date.now() < deadline && running(pid)) Atomics.wait(pause, 0, 0, 10)
  }

  live.clear()
}

/** A process that exists and is not a zombie (a zombie writes nothing). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    // No /proc (not Linux): signal 0 tells whether it still exists.
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }
}
