/**
 * Every command's help examples, as a user on a fresh clone would type them (`holobench` is
 * `./bin/run.js` there), in a fresh directory holding what a clone has (bin/, scripts/, test/,
 * reports/). The cheap ones run for real, in order, each using what the earlier ones created;
 * the benchmark ones (run, gate: minutes each) are parsed by the command's own flag parser and
 * the files they read are checked to exist.
 */
import {execFile} from 'node:child_process'
import {cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ensureBuilt, REPO} from './helpers/hololib.js'

const COMMANDS = ['generate', 'lift', 'inspect', 'drop', 'migrate', 'check', 'report', 'run', 'gate'] as const
/** Minutes of benchmarking each: parsed, not run. */
const PARSE_ONLY = new Set(['run', 'gate'])
const BIN = '<%= config.bin %> <%= command.id %>'
/** Flags whose value is written, not read: it need not exist beforehand. */
const OUTPUTS = new Set(['--out', '-o', '--report', '--markdown', '--scratch'])

let dir: string
const examples = new Map<string, string[]>()
const descriptions = new Map<string, string[]>()

async function shell(script: string): Promise<{code: number; stdout: string; stderr: string}> {
  try {
    const {stdout, stderr} = await promisify(execFile)('bash', ['-c', script], {cwd: dir, env: {...process.env, NO_COLOR: '1'}, maxBuffer: 64 << 20, timeout: 300_000})
    return {code: 0, stdout, stderr}
  } catch (error) {
    const failed = error as {code: number; stdout: string; stderr: string}
    return {code: failed.code, stdout: failed.stdout, stderr: failed.stderr}
  }
}

beforeAll(async () => {
  ensureBuilt()
  dir = mkdtempSync(join(os.tmpdir(), 'holobench-examples-'))
  for (const name of ['bin', 'scripts', 'test']) symlinkSync(join(REPO, name), join(dir, name))
  for (const name of ['reports/sample', 'reports/baseline']) cpSync(join(REPO, name), join(dir, name), {recursive: true})
  // Parses argv with the command's own flags and args, as oclif does before run().
  writeFileSync(
    join(dir, 'parse-check.mjs'),
    `import {Flags, Parser} from ${JSON.stringify(join(REPO, 'node_modules/@oclif/core/lib/index.js'))}
const [id, ...argv] = process.argv.slice(2)
const Command = (await import(${JSON.stringify(join(REPO, 'dist/commands/'))} + id + '.js')).default
await Parser.parse(argv, {flags: {...Command.flags, json: Flags.boolean()}, args: Command.args ?? {}, strict: Command.strict ?? true})
console.log(JSON.stringify(argv))
`,
  )
  for (const id of COMMANDS) {
    const Command = (await import(join(REPO, 'dist/commands', `${id}.js`))).default as {examples: Array<string | {command: string; description: string}>}
    examples.set(id, Command.examples.map((example) => (typeof example === 'string' ? example : example.command)))
    descriptions.set(id, Command.examples.map((example) => (typeof example === 'string' ? '' : example.description)))
  }
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('help examples run as written on a fresh clone', () => {
  it('every command has examples, each calling the command itself', () => {
    for (const id of COMMANDS) {
      expect(examples.get(id)!.length, id).toBeGreaterThan(0)
      for (const example of examples.get(id)!) expect(example, id).toContain(BIN)
    }
  })

  it('a missing prerequisite: examples reading what generate/lift write say so before the first of them', () => {
    for (const id of ['lift', 'inspect', 'drop', 'migrate', 'check']) {
      expect(descriptions.get(id)![0], id).toContain('generate --scenario small --out ./trees')
      if (id !== 'lift') expect(descriptions.get(id)![0], id).toContain('lift --help')
    }
  })

  it.runIf(process.platform === 'linux' && process.arch === 'x64')('the cheap ones run, in order, on what the earlier ones made', async () => {
    for (const id of COMMANDS.filter((name) => !PARSE_ONLY.has(name))) {
      for (const example of examples.get(id)!) {
        const result = await shell(example.replaceAll(BIN, `./bin/run.js ${id}`))
        expect(result.code, `${example}\n${result.stderr}`).toBe(0)
        if (example.includes('--json')) expect(() => JSON.parse(result.stdout), example).not.toThrow()
      }
    }
  }, 600_000)

  it('the benchmark ones parse, and the files they read exist', async () => {
    for (const id of PARSE_ONLY) {
      for (const example of examples.get(id)!) {
        // `sudo scripts/cow-scratch.sh up /mnt/cow && holobench run …`: the holobench part is checked.
        const segments = example.split('&&')
        let part = segments.find((segment) => segment.includes(BIN))!
        // A directory the first part makes (the CoW scratch) stands in as this temp dir.
        for (const made of segments.flatMap((segment) => [...segment.matchAll(/cow-scratch\.sh up (\S+)/g)].map((match) => match[1]))) part = part.replaceAll(made, dir)
        const result = await shell(part.replaceAll(BIN, `node ./parse-check.mjs ${id}`))
        expect(result.code, `${example}\n${result.stderr}`).toBe(0)
        const argv = JSON.parse(result.stdout) as string[]
        argv.forEach((word, index) => {
          if (/^(reports|scripts|test)\//.test(word) && !OUTPUTS.has(argv[index - 1])) expect(existsSync(join(dir, word)), `${example}: ${word}`).toBe(true)
        })
        for (const script of example.match(/\bscripts\/[\w.-]+/g) ?? []) expect(existsSync(join(dir, script)), script).toBe(true)
      }
    }
  })
})
