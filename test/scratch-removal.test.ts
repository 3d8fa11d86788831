import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {removeScratchSettling} from '../src/bench/scratch.js'
import {tempDir} from './helpers/tree.js'

// A writer that renames 4,000 files into `dir`, one after another, as a lift's temp files land,
// then exits by itself (by count, not by time).
const WRITER = `
const fs = require('node:fs'), path = require('node:path')
const dir = process.argv[1]
for (let i = 0; i < 4000; i++) {
  const temp = path.join(dir, '..', 'part-' + process.pid + '-' + i)
  fs.writeFileSync(temp, 'x')
  try { fs.renameSync(temp, path.join(dir, process.pid + '-' + i)) } catch { fs.rmSync(temp, {force: true}); break }
  if (i === 0) process.stdout.write('started\\n')
}`

describe('removing a scratch directory that still fills (Ctrl-C during a lift)', () => {
  it('listing fault: files landing after rmSync listed the directory do not leave it behind (ENOTEMPTY)', async () => {
    const {dir, cleanup} = await tempDir('holobench-scratch-')
    try {
      const target = join(dir, 'lib')
      mkdirSync(target)
      const writers = [0, 1].map(() => spawn(process.execPath, ['-e', WRITER, target], {stdio: ['ignore', 'pipe', 'inherit']}))
      await Promise.all(writers.map((writer) => new Promise<void>((resolve) => writer.stdout.once('data', () => resolve()))))
      // While the writer still renames files in: each pass lists again.
      removeScratchSettling(target)
      await Promise.all(writers.map((writer) => new Promise((resolve) => writer.once('exit', resolve))))
      // The writer stops at its first rename into a removed directory; nothing of it is left inside.
      expect(existsSync(target) ? readdirSync(target) : 'removed').toBe('removed')
    } finally {
      await cleanup()
    }
  }, 60_000)
})
