/** `holobench report` end to end through the built CLI (npm test builds first via pretest). */
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {syntheticResults} from './helpers/results-fixture.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin', 'run.js')
const BUILT = join(ROOT, 'dist', 'commands', 'report.js')

interface Run {
  code: number
  stdout: string
  stderr: string
}

async function holobench(args: string[], cwd: string): Promise<Run> {
  try {
    const {stdout, stderr} = await promisify(execFile)(process.execPath, [BIN, ...args], {cwd, env: {...process.env, NO_COLOR: '1', OCLIF_COLUMNS: '1000'}})
    return {code: 0, stdout, stderr: plain(stderr)}
  } catch (error) {
    const failed = error as {code: number; stdout: string; stderr: string}
    return {code: failed.code, stdout: failed.stdout, stderr: plain(failed.stderr)}
  }
}

/** oclif highlights and wraps error text; compare words, not layout. */
function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '').replace(/\s+/g, ' ')
}

describe('holobench report', () => {
  let dir: string
  let first: string
  let second: string

  beforeAll(async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm test does)`)
    dir = await mkdtemp(join(os.tmpdir(), 'holobench-report-command-'))
    first = join(dir, 'laptop.json')
    second = join(dir, 'ci-runner.json')
    await writeFile(first, JSON.stringify(syntheticResults(1)))
    await writeFile(second, JSON.stringify(syntheticResults(2, {speed: 1.3})))
  })

  afterAll(async () => {
    if (dir) await rm(dir, {recursive: true, force: true})
  })

  it('writes CSV, HTML and Markdown to --out', async () => {
    const out = join(dir, 'out')
    const run = await holobench(['report', first, '--out', out, '--format', 'csv,html,md'], dir)
    expect(run.code, run.stderr).toBe(0)
    const files = ['results.csv', 'report.html', 'summary.md'].map((name) => join(out, name))
    expect(run.stdout.trim().split('\n')).toEqual(files)
    for (const file of files) expect((await readFile(file, 'utf8')).length).toBeGreaterThan(100)
    expect(await readFile(files[2], 'utf8')).toContain('## holobench: laptop')
  })

  it('defaults to reports/<name of the first file>, compares several files, and answers --json', async () => {
    const run = await holobench(['report', 'laptop.json', 'ci-runner.json', '--format', 'html', '--json'], dir)
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({files: [join('reports', 'laptop', 'report.html')]})
    expect(await readFile(join(dir, 'reports', 'laptop', 'report.html'), 'utf8')).toContain('Comparison: ci-runner against laptop')
  })

  it('fails with the file name when a results file has another schema version', async () => {
    const bad = join(dir, 'old.json')
    await writeFile(bad, JSON.stringify({...syntheticResults(1), schemaVersion: 0}))
    const run = await holobench(['report', first, bad, '--out', join(dir, 'never')], dir)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('ESCHEMA')
    expect(run.stderr).toContain(`${bad}: has schemaVersion 0`)
    expect(existsSync(join(dir, 'never'))).toBe(false)
  })

  it('rejects an unknown format', async () => {
    const run = await holobench(['report', first, '--format', 'csv,pdf', '--out', join(dir, 'never')], dir)
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/--format takes a comma-separated list of csv, html, md/)
  })
})
