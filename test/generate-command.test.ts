import {execFile, execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {digestDirectory} from '../src/scenario/index.js'

const run = promisify(execFile)
const out = mkdtempSync(join(tmpdir(), 'holobench-generate-cli-'))
afterAll(() => rmSync(out, {recursive: true, force: true}))

/** The CLI runs from dist/: rebuild when it is missing or older than the sources it needs. */
beforeAll(() => {
  const built = 'dist/commands/generate.js'
  const sources = ['src/commands/generate.ts', ...readdirSync('src/scenario', {recursive: true}).map((f) => join('src/scenario', String(f)))]
  const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs))
  // tsc still emits when another engineer's file fails to type-check, so ignore its exit code.
  if (!existsSync(built) || statSync(built).mtimeMs < newest) {
    try {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {stdio: 'ignore'})
    } catch {}
  }
}, 120_000)

describe('holobench generate', () => {
  it('writes the tree and prints it as JSON', async () => {
    const {stdout} = await run('node', ['bin/run.js', 'generate', '--scenario', 'small', '--seed', '3', '--out', out, '--json'])
    const tree = JSON.parse(stdout)
    expect(tree).toMatchObject({scenario: 'small', seed: 3, files: 100, cached: false})
    expect(tree.root).toBe(join(out, tree.identity))
    expect(tree.relocatedFiles).toBe(35)
    expect(await digestDirectory(tree.root)).toBe(tree.treeDigest)
  })

  it('fails with a usage error naming the available scenarios', async () => {
    const failure = await run('node', ['bin/run.js', 'generate', '--scenario', 'no-such-scenario', '--out', out]).catch((error) => error)
    expect(failure.code).toBe(2)
    // oclif wraps long error lines.
    expect(failure.stderr.replace(/\s+/g, ' ')).toMatch(/Unknown scenario "no-such-scenario"\. Available: .*medium/)
  })
})
