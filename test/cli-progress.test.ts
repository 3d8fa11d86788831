import {promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {formatDuration, PhaseLines, PhaseState, ProgressBar} from '../src/cli/progress.js'
import {loadCatalog} from '../src/engine/catalog.js'
import {lift} from '../src/engine/lift.js'
import {cli} from './helpers/cli.js'
import {libraryPath} from './helpers/hololib.js'
import {IDENTITY, makeSampleTree, tempDir} from './helpers/tree.js'

describe('progress', () => {
  it('formats durations rounded once: no 7m60s, nothing for NaN or Infinity (no "ETA NFs")', () => {
    expect(formatDuration(479.6)).toBe('8m00s')
    expect(formatDuration(59.6)).toBe('1m00s')
    expect(formatDuration(425)).toBe('7m05s')
    expect(formatDuration(3599.7)).toBe('1h00m')
    expect(formatDuration(Number.NaN)).toBe('')
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('')
    expect(formatDuration(-1)).toBe('')
  })

  it('a phase never goes backwards and never shows more done than its total (no "92/10 runs")', () => {
    const state = new PhaseState('round 1/5 gzip', 'runs', 0)
    state.take({phase: 'round 1/5 gzip', done: 5, total: 10}, 100)
    state.take({phase: 'round 1/5 gzip', done: 3, total: 10}, 200)
    expect(state.done).toBe(5)
    state.take({phase: 'round 1/5 gzip', done: 92, total: 10}, 300)
    expect([state.done, state.total]).toEqual([92, 92])
    expect(state.describe(300)).not.toMatch(/92\/10|NaN|Infinity/)
  })

  it('shows a visible step after 100%: the time since the count was reached', () => {
    const state = new PhaseState('migrate', 'files', 0)
    state.take({phase: 'migrate', done: 10, total: 10}, 4_000)
    expect(state.describe(4_000)).toBe('10 files · finishing 0s')
    expect(state.describe(130_000)).toBe('10 files · finishing 2m06s')
    const working = new PhaseState('migrate', 'files', 0)
    expect(working.describe(0)).not.toMatch(/ETA|NaN/) // no rate yet: no ETA rather than a made-up one
    working.take({phase: 'migrate', done: 5, total: 10}, 10_000)
    expect(working.describe(10_000)).toBe('5/10 files · 0.5/s · ETA 10s')
  })

  it('off a TTY writes one line per phase, then one closing line', () => {
    const lines: string[] = []
    const sink = new PhaseLines('run', (line) => lines.push(line))
    for (const phase of ['lift gzip', 'lift gzip', 'round 1/2 gzip', 'round 1/2 gzip', 'round 1/2 gzip', 'round 2/2 gzip']) sink.update({phase, done: 1, total: 2})
    sink.stop()
    expect(lines.map((line) => line.replace(/^\[\s*\d+s\] /, ''))).toEqual(['run: lift gzip', 'run: round 1/2 gzip', 'run: round 2/2 gzip', 'run: finished'])
  })

  it('on a TTY draws a bar per phase whose percentage never falls', async () => {
    const stream = Object.assign(new PassThrough(), {isTTY: true, columns: 120, rows: 40, cursorTo: () => true, clearLine: () => true, moveCursor: () => true}) as unknown as NodeJS.WriteStream
    let output = ''
    ;(stream as unknown as PassThrough).on('data', (chunk: Buffer) => (output += chunk.toString()))
    const bar = new ProgressBar('run', stream)
    for (const done of [1, 4, 2, 8, 3, 10, 12]) {
      bar.update({phase: 'round 1/1 zstd', done, total: 10, unit: 'runs'})
      await new Promise((resolve) => setTimeout(resolve, 30))
    }
    bar.stop()
    const percentages = [...output.matchAll(/(\d+)% \|/g)].map((match) => Number(match[1]))
    expect(percentages.length).toBeGreaterThan(0)
    for (let i = 1; i < percentages.length; i++) expect(percentages[i]).toBeGreaterThanOrEqual(percentages[i - 1])
    expect(output).not.toMatch(/12\/10|NaN|Infinity|ETA NF/)
  })
})

describe('progress of a command that fails', () => {
  it('misleading success: a failed drop says "failed", never "finished", through the fast path and through oclif', async () => {
    const {dir, cleanup} = await tempDir()
    try {
      const source = await makeSampleTree(join(dir, 'src'))
      const library = join(dir, 'lib')
      const {catalog} = await lift({source, library, codec: 'gzip', fsync: false})
      // One library file flipped: the drop fails on it (ECORRUPT or EINTEGRITY).
      const victim = (await loadCatalog(catalog)).tree.subdirs.lib.files['libdemo.so.1'].digest
      const path = libraryPath(library, victim)
      const stored = await fsp.readFile(path)
      stored[stored.length - 5] ^= 0xff
      await fsp.writeFile(path, stored)
      for (const env of [{}, {HOLOBENCH_NO_FAST_PATH: '1'}]) {
        const result = await cli(['drop', catalog, '--target', join(dir, `out${Object.keys(env).length}`, IDENTITY), '--no-fsync'], {env})
        expect(result.code, result.stderr).toBe(1)
        expect(result.stderr).toMatch(/drop: failed/)
        expect(result.stderr).not.toMatch(/drop: finished/)
      }
    } finally {
      await cleanup()
    }
  }, 60_000)
})
