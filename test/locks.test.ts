import {spawn, spawnSync} from 'node:child_process'
import {existsSync, promises as fsp} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {isHoloError} from '../src/engine/errors.js'
import {acquireLock, processStartTime} from '../src/engine/fs/lock.js'
import {lift} from '../src/engine/lift.js'
import {JOURNAL_NAME, migrate} from '../src/engine/migrate/index.js'
import {tempDir, useSampleTree} from './helpers/tree.js'

const work = useSampleTree()
const lockModule = fileURLToPath(new URL('../dist/engine/fs/lock.js', import.meta.url))
const HOST = (await import('node:crypto')).createHash('sha256').update(hostname()).digest('hex').slice(0, 8)

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'})
  return Number(child.stdout)
}

/**
 * Real processes take the lock in `dir` and log `+pid`/`-pid` around a 50 ms critical section
 * (long enough that unlocked processes would overlap); the log says whether two holders ever did.
 */
function contender(dir: string, log: string, mode: 'shared' | 'exclusive'): Promise<number | null> {
  const script = `
    const {acquireLock} = await import(${JSON.stringify(lockModule)})
    const {appendFileSync} = await import('node:fs')
    const lock = await acquireLock(${JSON.stringify(dir)}, {mode: ${JSON.stringify(mode)}, purpose: 'test', what: 'test lock'})
    appendFileSync(${JSON.stringify(log)}, '+${mode[0]}' + process.pid + '\\n')
    await new Promise((r) => setTimeout(r, 50))
    appendFileSync(${JSON.stringify(log)}, '-${mode[0]}' + process.pid + '\\n')
    lock.release()
  `
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {stdio: 'inherit'})
    child.on('close', resolve)
  })
}

/** The most holders at once, of each mode, replaying the log. */
function overlap(lines: string[]): {exclusiveWithOther: boolean; sharedAtOnce: number} {
  const inside = new Map<string, string>()
  let exclusiveWithOther = false
  let sharedAtOnce = 0
  for (const line of lines) {
    const [sign, mode, pid] = [line[0], line[1], line.slice(2)]
    if (sign === '+') {
      inside.set(pid, mode)
      const modes = [...inside.values()]
      if (modes.includes('e') && modes.length > 1) exclusiveWithOther = true
      sharedAtOnce = Math.max(sharedAtOnce, modes.filter((m) => m === 's').length)
    } else inside.delete(pid)
  }

  return {exclusiveWithOther, sharedAtOnce}
}

describe('one writer per target and per library', () => {
  it('exclusive holders in separate processes never overlap, and shared ones never overlap an exclusive one', async () => {
    const {dir, cleanup} = await tempDir()
    try {
      const lockDir = join(dir, 'lock')
      const log = join(dir, 'log')
      await fsp.writeFile(log, '')
      const modes = ['exclusive', 'shared', 'exclusive', 'shared', 'shared', 'exclusive', 'exclusive', 'shared'] as const
      const codes = await Promise.all(modes.map((mode) => contender(lockDir, log, mode)))
      expect(codes).toEqual(modes.map(() => 0))
      const lines = (await fsp.readFile(log, 'utf8')).trim().split('\n')
      expect(lines).toHaveLength(modes.length * 2)
      expect(overlap(lines).exclusiveWithOther).toBe(false)
      // Released with its last claim: a lock leaves nothing behind.
      expect(existsSync(lockDir)).toBe(false)
    } finally {
      await cleanup()
    }
  })

  it('a stale lock (its process died) is taken over', async () => {
    const {dir, cleanup} = await tempDir()
    try {
      const stale = join(dir, `exclusive.${HOST}.${deadPid()}.12345.0badc0de`)
      await fsp.writeFile(stale, '{}\n')
      const lock = await acquireLock(dir, {mode: 'exclusive', purpose: 'test', what: 'test lock', wait: false})
      expect(existsSync(stale)).toBe(false)
      lock.release()
    } finally {
      await cleanup()
    }
  })

  it('a lock whose pid now belongs to another process is recognised as stale', async (ctx) => {
    const start = processStartTime(1)
    if (start === undefined) return ctx.skip('no /proc here: start times cannot be read')
    const {dir, cleanup} = await tempDir()
    try {
      // pid 1 is alive, but it started before this claim's process did: the pid was reused.
      const reused = join(dir, `exclusive.${HOST}.1.${start + 1}.0badc0de`)
      await fsp.writeFile(reused, '{}\n')
      const lock = await acquireLock(dir, {mode: 'exclusive', purpose: 'test', what: 'test lock', wait: false})
      expect(existsSync(reused)).toBe(false)
      lock.release()
    } finally {
      await cleanup()
    }
  })

  it('a live holder is never taken over: without waiting, the error names it', async () => {
    const {dir, cleanup} = await tempDir()
    try {
      const held = await acquireLock(dir, {mode: 'shared', purpose: 'lift', what: 'library x'})
      const error = await acquireLock(dir, {mode: 'exclusive', purpose: 'migrate', what: 'library x', wait: false}).catch((error_: unknown) => error_)
      expect(isHoloError(error, 'ELOCKED')).toBe(true)
      expect((error as Error).message).toContain(`holobench lift (pid ${process.pid})`)
      // Shared holders do not exclude each other.
      const second = await acquireLock(dir, {mode: 'shared', purpose: 'lift', what: 'library x', wait: false})
      second.release()
      held.release()
    } finally {
      await cleanup()
    }
  })

  it('a migration journal whose pid was reused by another process does not block migrate', async () => {
    const library = join(work.dir, 'journal-lib')
    await lift({source: work.source, library, codec: 'gzip'})
    // pid 1 is alive for ever: the old journal-as-lock refused this for ever.
    await fsp.writeFile(join(library, JOURNAL_NAME), JSON.stringify({tool: 'holobench migrate', version: 1, to: 'zstd', pid: 1, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z'}))
    const result = await migrate({library, to: 'zstd', durability: 'none'})
    expect(result.resumed?.to).toBe('zstd')
    expect(existsSync(join(library, JOURNAL_NAME))).toBe(false)
  })
})
