import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'

let ticksPerSecond: number | undefined

/**
 * CPU seconds (user + system) of every child process this process has waited for, and their own
 * waited-for children, so far: `cutime + cstime` of /proc/self/stat (proc(5)), the figure
 * getrusage(RUSAGE_CHILDREN) gives, which Node does not expose. libuv waits for a child before
 * its 'exit' event, so the difference across one restore is that restore's CPU time, to a clock
 * tick (10 ms). Null where /proc is missing (not Linux).
 */
export function childrenCpuSeconds(): number | null {
  let stat: string
  try {
    stat = readFileSync('/proc/self/stat', 'utf8')
  } catch {
    return null
  }

  // Fields after the command name (which may hold spaces) in parentheses; cutime and cstime are fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[13]) + Number(fields[14])
  return Number.isFinite(ticks) ? ticks / clockTicks() : null
}

/** sysconf(_SC_CLK_TCK): 100 on every common Linux; asked once. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim()) || 100
    } catch {
      ticksPerSecond = 100
    }
  }

  return ticksPerSecond
}
