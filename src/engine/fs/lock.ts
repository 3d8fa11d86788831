import {createHash, randomBytes} from 'node:crypto'
import {closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmdirSync, unlinkSync, writeSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {HoloError} from '../errors.js'

/**
 * Locks between holobench processes: one writer per target, lifts and drops against migrations
 * per library. RCC takes flock(2) on `<space>.lck` (pathlib/lock_unix.go); Node.js has no flock
 * and no binding installs without a compiler, so a lock here is a directory of *claim* files:
 *
 * - A process claims by creating `<mode>.<host>.<pid>.<start>.<nonce>` with O_EXCL. The name is
 *   unique to that process (its pid and its start time, /proc/<pid>/stat field 22), so a claim
 *   is never taken over: a stale one (its process is gone, or its pid now belongs to a process
 *   that started later) is simply deleted by whoever finds it, which is race-free because no
 *   live process can ever own that name again.
 * - After creating its claim a process lists the directory. It proceeds only if no *other* live
 *   claim conflicts (exclusive: any claim; shared: an exclusive one). Of two conflicting claims,
 *   the later one always sees the earlier one (claims stay while held), so two conflicting
 *   holders never proceed together; both may back off, and retry after a random pause.
 * - An exclusive claim that sees only shared claims stays while it waits, so that new shared
 *   claims back off and a migration is not starved by a stream of lifts.
 *
 * Nothing needs refreshing, so a blocked event loop cannot make a held lock look stale (the
 * weakness of mtime-based locks such as proper-lockfile).
 */
export type LockMode = 'shared' | 'exclusive'

export interface LockHolder {
  mode: LockMode
  pid: number
  /** What the holder is doing (`drop`, `lift`, `migrate`, …), when its claim could be read. */
  purpose?: string
  /** Claims of another host cannot be tested for liveness: they always count as live. */
  host: string
}

export interface LockOptions {
  mode: LockMode
  /** Written into the claim for other processes' messages: `drop`, `lift`, `migrate`. */
  purpose: string
  /** What is locked, for messages: `target /x/y`, `library /x/lib`. */
  what: string
  /** Wait for conflicting holders (default); false: fail at once with ELOCKED. */
  wait?: boolean
  /** Called once, when the lock is busy and this process starts waiting. */
  onWait?: (holders: LockHolder[]) => void
}

export interface Lock {
  readonly dir: string
  release(): void
}

/** Where a target's lock lives: beside it, as RCC's `<space>.lck`. */
export function targetLockDir(target: string): string {
  return `${target}.holobench-lock`
}

/** Where a library's lock lives: in its root, beside `catalog/` and `library/`. */
export function libraryLockDir(root: string): string {
  return join(root, '.holobench-lock')
}

const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8)
const CLAIM = /^(shared|exclusive)\.([0-9a-f]{8})\.(\d+)\.(\d+)\.[0-9a-f]{8}$/
// Claims this process made and has not removed: the exit hook removes them.
const held = new Set<string>()
let exitHookInstalled = false

/**
 * Take the lock in `dir` (created if missing). Resolves once held; the holder must call
 * `release()`. Errors: ELOCKED when `wait` is false and another live process holds it; the
 * filesystem's own (EACCES, EROFS) when the directory cannot be written.
 */
export async function acquireLock(dir: string, options: LockOptions): Promise<Lock> {
  const name = `${options.mode}.${HOST}.${process.pid}.${processStartTime(process.pid) ?? 0}.${randomBytes(4).toString('hex')}`
  const claim = join(dir, name)
  let claimed = false
  let waited = false
  for (let attempt = 0; ; attempt++) {
    if (!claimed) {
      createClaim(dir, claim, options.purpose)
      held.add(claim)
      installExitHook()
      claimed = true
    }

    const others = liveClaims(dir, name)
    const exclusive = others.filter((o) => o.mode === 'exclusive')
    const conflict = options.mode === 'exclusive' ? others.length > 0 : exclusive.length > 0
    if (!conflict) {
      return {dir, release: () => releaseClaim(dir, claim)}
    }

    // An exclusive claim waiting only on shared holders stays (new shared claims defer to it);
    // any other conflict backs off, so two waiting claims cannot block each other for ever.
    const keep = options.mode === 'exclusive' && exclusive.length === 0 && options.wait !== false
    if (!keep) {
      held.delete(claim)
      removeQuietly(claim)
      claimed = false
    }

    if (options.wait === false) {
      throw new HoloError('ELOCKED', `${capitalize(options.what)} is in use by ${describe(others)}; try again when it has finished`, {data: {holders: others}})
    }

    if (!waited) options.onWait?.(others)
    waited = true
    // Random pauses, growing to about a second: contenders fall out of step.
    await sleep(Math.min(1000, 20 * 1.5 ** Math.min(attempt, 10)) * (0.5 + Math.random()))
  }
}

function createClaim(dir: string, claim: string, purpose: string): void {
  for (let tries = 0; ; tries++) {
    try {
      const fd = openSync(claim, 'wx', 0o644)
      try {
        writeSync(fd, `${JSON.stringify({pid: process.pid, purpose, host: hostname(), since: new Date().toISOString()})}\n`)
      } catch {
        // Only for messages (a full disk may refuse it): the name alone is the claim.
      } finally {
        closeSync(fd)
      }

      return
    } catch (error) {
      // The directory is missing, or was just removed by a holder releasing it: make it again
      // (never its parents: a lock does not create the library or the target's parent).
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || tries > 100) throw error
      try {
        mkdirSync(dir)
      } catch (mkdirError) {
        if ((mkdirError as NodeJS.ErrnoException).code !== 'EEXIST') throw mkdirError
      }
    }
  }
}

/** The claims in `dir` other than `mine` whose process is alive; stale ones are deleted. */
function liveClaims(dir: string, mine: string): LockHolder[] {
  const live: LockHolder[] = []
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return live
    throw error
  }

  for (const name of names) {
    if (name === mine) continue
    const match = CLAIM.exec(name)
    if (!match) continue
    const [, mode, host, pid, start] = match
    if (host === HOST && !isAlive(Number(pid), Number(start))) {
      // Unique to a process that is gone: nobody can be holding it, so removing it races with nothing.
      removeQuietly(join(dir, name))
      continue
    }

    live.push({mode: mode as LockMode, pid: Number(pid), host, purpose: purposeOf(join(dir, name))})
  }

  return live
}

function purposeOf(claim: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(claim, 'utf8')) as {purpose?: string}).purpose
  } catch {
    return undefined
  }
}

/** Alive, and the same process that made the claim (not a later one given the same pid). */
function isAlive(pid: number, start: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }

  const now = processStartTime(pid)
  return now === undefined || start === 0 || now === start
}

/**
 * A process's start time in clock ticks after boot (/proc/<pid>/stat field 22): with the pid it
 * names one process for the life of the machine. Undefined where /proc is not there.
 */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 2 (the command) is in parentheses and may hold spaces: count fields after its end.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const start = Number(fields[22 - 3])
    return Number.isSafeInteger(start) ? start : undefined
  } catch {
    return undefined
  }
}

function releaseClaim(dir: string, claim: string): void {
  if (!held.delete(claim)) return
  removeQuietly(claim)
  // The directory goes with its last claim, so a lock leaves nothing behind.
  try {
    rmdirSync(dir)
  } catch {
    // Other claims remain, or it is gone already.
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Already gone.
  }
}

/** A process that exits without releasing (process.exit after an error) still removes its claims. */
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const claim of held) removeQuietly(claim)
  })
}

function describe(holders: LockHolder[]): string {
  return holders.map((h) => `${h.purpose ? `holobench ${h.purpose}` : 'holobench'} (pid ${h.pid}${h.host === HOST ? '' : ', another host'})`).join(', ')
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** A message for a waiting process: who holds the lock. */
export function describeHolders(holders: LockHolder[]): string {
  return describe(holders)
}
