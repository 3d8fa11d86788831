import {spawnSync} from 'node:child_process'

import {describe, expect, it} from 'vitest'

import {plainWarning} from '../src/cli/plain-warning.js'
import {Rng} from '../src/scenario/prng.js'
import {REPO} from './helpers/hololib.js'

// Replay a failure: HOLOBENCH_WARNING_SEED=<seed> (printed in the test's name).
const SEED = Number(process.env.HOLOBENCH_WARNING_SEED ?? Date.now() % 100_000)
const SEPARATOR = '\u0000--\u0000'

/** What oclif's own warn prints for each message, in a child process whose stderr is a pipe. */
function oclifWarnings(messages: string[], env: Record<string, string>): string[] {
  const script = `const {warn} = require('@oclif/core/errors'); for (const m of JSON.parse(process.argv[1])) { warn(m); process.stderr.write(${JSON.stringify(SEPARATOR)}) }`
  const {FORCE_COLOR: _force, OCLIF_COLUMNS: _columns, ...base} = process.env
  const child = spawnSync(process.execPath, ['-e', script, JSON.stringify(messages)], {cwd: REPO, env: {...base, ...env}, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe']})
  expect(child.status, child.stderr).toBe(0)
  const stderr = child.stderr
  return stderr.split(SEPARATOR).slice(0, -1)
}

describe('warnings printed without loading oclif', () => {
  it(`are oclif's own lines, byte for byte, wherever no colour is taken: wrapping of long words and paths, spaces, % signs, line breaks, widths (seed ${SEED})`, () => {
    const rng = new Rng(`warning/${SEED}`)
    const word = () => (rng.chance(0.1) ? `/dev/shm/${'x'.repeat(rng.int(120))}/hololib` : rng.chance(0.05) ? '%s%%d' : 'abcdefghij'.slice(0, 1 + rng.int(10)))
    const messages = [
      "/tmp/lib holds zstd files: released RCC cannot read them (only RCC's zstd fork can). To go back: holobench migrate --library /tmp/lib --to gzip",
      '',
      'two  spaces   and trailing ',
      'a line\nbreak\n\nand an empty line',
    ]
    for (let i = 0; i < 60; i++) messages.push(Array.from({length: rng.int(40)}, word).join(rng.chance(0.2) ? '  ' : ' '))
    for (const env of [{}, {OCLIF_COLUMNS: '40'}, {OCLIF_COLUMNS: '1000'}] as Array<Record<string, string>>) {
      const theirs = oclifWarnings(messages, env)
      expect(theirs).toHaveLength(messages.length)
      const stderr = {isTTY: false}
      expect(messages.map((m) => plainWarning(m, env, stderr))).toEqual(theirs)
    }
  })

  it('leave coloured output (FORCE_COLOR, a terminal) to oclif', () => {
    expect(plainWarning('x', {FORCE_COLOR: '1'}, {isTTY: false})).toBeUndefined()
    expect(plainWarning('x', {}, {isTTY: true})).toBeUndefined()
  })
})
