/**
 * Fault injection: `holobench migrate` is killed with SIGKILL at random moments, over and over,
 * between targets that recompress (gzip <-> zstd) and that re-key (to and from none). After every
 * kill, every catalog must still be restorable (no catalog names a missing or corrupt file);
 * at the end a run finishes the job: check is clean and drops are byte-identical.
 */
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {check} from '../src/engine/check/index.js'
import {drop} from '../src/engine/drop.js'
import {lift} from '../src/engine/lift.js'
import {JOURNAL_NAME, migrate, readJournal} from '../src/engine/migrate/index.js'
import type {TargetCodec} from '../src/engine/migrate/index.js'
import {REPO, ensureBuilt, makeManyFilesTree, tempFilesUnder} from './helpers/hololib.js'
import type {Entry} from './helpers/tree.js'
import {IDENTITY, OTHER_IDENTITY, makeSampleTree, snapshotTree, tempDir} from './helpers/tree.js'

const KILLS = 20
const MAX_ROUNDS = 45
// Replay a run with HOLOBENCH_CRASH_SEED=<seed>: the seed is printed and in the test's name.
const SEED = Number(process.env.HOLOBENCH_CRASH_SEED ?? Date.now() % 100_000)
// Each round starts a CLI process; on a loaded 2-core machine (load 10+) one round can take
// several seconds, so the limit is generous: a slow machine must not read as a crash bug.
const TIMEOUT_MS = 600_000
console.info(`migrate crash test: seed ${SEED} (replay with HOLOBENCH_CRASH_SEED=${SEED})`)

let work: {dir: string; cleanup: () => Promise<void>}
let library: string
const catalogs: Array<{catalog: string; expected: Record<string, Entry>}> = []

beforeAll(async () => {
  ensureBuilt()
  work = await tempDir('holobench-crash-')
  library = join(work.dir, 'lib')
  const many = await makeManyFilesTree(join(work.dir, 'many', IDENTITY), 300)
  const sample = await makeSampleTree(join(work.dir, 'sample'), IDENTITY, {bigFileBytes: 5 << 20})
  for (const [tree, blueprint] of [[many, 'aaaaaaaaaaaaaaaa'], [sample, 'bbbbbbbbbbbbbbbb']]) {
    const {catalog} = await lift({source: tree, library, codec: 'gzip', blueprint, fsync: false})
    catalogs.push({catalog, expected: await snapshotTree(tree, {from: IDENTITY, to: OTHER_IDENTITY})})
  }
})
afterAll(() => work.cleanup())

/** xorshift32: repeatable randomness from SEED (printed on failure). */
function random(): () => number {
  let x = SEED || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }
}

async function expectDropsIdentical(label: string): Promise<void> {
  for (const [i, {catalog, expected}] of catalogs.entries()) {
    const target = join(work.dir, 'drops', `${label}-${i}`, OTHER_IDENTITY)
    await drop({catalog, target})
    expect(await snapshotTree(target), `${label}: catalog ${i}`).toEqual(expected)
  }
}

interface Round {
  killed: boolean
  /** ms from the journal's appearance to the exit (only for runs that finished). */
  workMs?: number
}

/** Start a migration; once it holds the journal, SIGKILL it after `delay(workMs)` ms unless it finishes first. */
async function runAndKill(to: TargetCodec, delayMs: number, fsync = true): Promise<Round> {
  const args = ['migrate', '--library', library, '--to', to, '--json', ...(fsync ? [] : ['--no-fsync'])]
  const child = spawn(process.execPath, [join(REPO, 'bin/run.js'), ...args], {stdio: 'ignore'})
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
  let finished = false
  void exited.then(() => {
    finished = true
  })
  // A killed run leaves its journal: wait for this child's own.
  while (!finished && (await readJournal(library))?.pid !== child.pid) await sleep(2)
  const journalAt = performance.now()
  if (!finished) {
    await Promise.race([sleep(delayMs), exited])
    if (!finished) child.kill('SIGKILL')
  }

  const signal = await exited
  return signal === 'SIGKILL' ? {killed: true} : {killed: false, workMs: performance.now() - journalAt}
}

describe('migrate killed at random moments', () => {
  it(`survives ${KILLS} SIGKILLs and finishes (seed ${SEED})`, async () => {
    const next = random()
    const targets: TargetCodec[] = ['zstd', 'none', 'gzip', 'zstd', 'gzip', 'none']
    // Calibrate: how long a whole run works once it holds the journal, for each kind of run.
    // Per kind of run, and lowered whenever a run finishes before its kill: on a machine whose
    // load changes, a calibration from a slow moment would let most later runs finish unkilled.
    const workMs: Record<string, number> = {}
    for (const to of ['zstd', 'none', 'gzip'] as const) workMs[to] = (await runAndKill(to, 60_000)).workMs ?? 0
    let kills = 0
    let rounds = 0
    const killedPhases: TargetCodec[] = []
    while (kills < KILLS && rounds < MAX_ROUNDS) {
      const to = targets[rounds % targets.length]
      rounds++
      // Mostly inside the file phase, sometimes in the short catalog, marker and cleanup phases at the
      // end. Every other run renames file by file (--no-fsync) rather than in syncfs batches.
      const round = await runAndKill(to, next() * workMs[to] * 0.9, rounds % 2 === 0)
      if (round.killed) {
        kills++
        killedPhases.push(to)
      } else if (round.workMs !== undefined) {
        workMs[to] = Math.min(workMs[to], round.workMs)
      }

      // At every instant: every catalog names only files that exist and verify.
      const state = await check({library})
      expect(state.bad, `round ${rounds} (${to}), seed ${SEED}`).toEqual([])
      expect(state.missing, `round ${rounds} (${to}), seed ${SEED}`).toEqual([])
      expect(state.catalogs.unreadable).toEqual([])
      expect(state.catalogs.unrestorable).toEqual([])
      if (process.env.CRASH_DEBUG) console.log(rounds, to, round, Math.round(workMs[to]), JSON.stringify(state.files.formats), state.files.algorithms, state.leftovers.length, state.catalogs.wrongAlgorithm.length, state.orphans.count)
      if (rounds % 8 === 0) await expectDropsIdentical(`mid-${rounds}`)
    }

    expect(kills, `only ${kills} of ${rounds} runs were killed mid-way (seed ${SEED})`).toBeGreaterThanOrEqual(KILLS)
    // Killed while re-keying as well as while recompressing.
    expect(new Set(killedPhases).size).toBeGreaterThanOrEqual(2)

    // The next run finishes whatever was interrupted.
    const finish = await migrate({library, to: 'zstd'})
    expect(finish.files.failed).toBe(0)
    expect(finish.catalogs.failed).toBe(0)
    const final = await check({library})
    expect(final.problems).toEqual([])
    expect(final.orphans.count).toBe(0)
    expect(final.leftovers).toEqual([])
    expect(final.files.formats).toMatchObject({gzip: 0, raw: 0})
    expect(tempFilesUnder(library)).toEqual([])
    expect(existsSync(join(library, JOURNAL_NAME))).toBe(false)
    await expectDropsIdentical('final')
    // And once more changes nothing.
    expect((await migrate({library, to: 'zstd'})).files.migrated).toBe(0)
  }, TIMEOUT_MS)
})
