import {execFile} from 'node:child_process'
import {readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

import {describe, expect, it} from 'vitest'

import {FAST_COMMANDS} from '../src/cli/fast-path.js'
import {MANIFEST} from '../src/cli/manifest.js'
import {cli} from './helpers/cli.js'
import {OTHER_IDENTITY, snapshotTree, useSampleTree} from './helpers/tree.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const work = useSampleTree()
const oclifOnly = {HOLOBENCH_NO_FAST_PATH: '1'}
/** Timings differ between any two runs; everything else must not. */
const steady = (text: string) => text.replace(/"seconds": [\d.e-]+/g, '"seconds": 0').replace(/ in [\d.]+ s /g, ' in 0 s ').replace(/, [\d.]+ s$/gm, ', 0 s').replace(/\[ *\d+s\]/g, '[0s]')

describe('the drop and lift fast path (no oclif)', () => {
  it('prints what oclif prints, as text and as JSON, for lift and drop', async () => {
    for (const json of [[], ['--json']]) {
      const outputs = []
      for (const env of [{}, oclifOnly]) {
        const library = join(work.dir, `lib-${outputs.length}`)
        const target = join(work.dir, `out-${outputs.length}`, OTHER_IDENTITY)
        const lifted = await cli(['lift', work.source, '-l', library, '--codec', 'gzip', '--no-fsync', ...json], {env})
        expect(lifted.code, lifted.stderr).toBe(0)
        const catalog = json.length > 0 ? JSON.parse(lifted.stdout).catalog : lifted.stdout.trim()
        const dropped = await cli(['drop', catalog, '--target', target, '--no-verify', '-j', '2', ...json], {env})
        expect(dropped.code, dropped.stderr).toBe(0)
        outputs.push({
          lift: steady(lifted.stdout.replaceAll(library, 'LIB')),
          liftErr: steady(lifted.stderr),
          drop: steady(dropped.stdout.replaceAll(library, 'LIB').replaceAll(target, 'TARGET')),
          dropErr: steady(dropped.stderr),
          tree: await snapshotTree(target),
        })
      }

      expect(outputs[0]).toEqual(outputs[1])
    }
  })

  it('leaves oclif to report an engine failure, identically (exit code, message, --json object)', async () => {
    const library = join(work.dir, 'lib-broken')
    const lifted = await cli(['lift', work.source, '-l', library, '--no-fsync'])
    expect(lifted.code, lifted.stderr).toBe(0)
    // Every library file gone (the hololib's shape stays): the restore itself fails.
    for (const name of readdirSync(join(library, 'library'), {recursive: true})) {
      const path = join(library, 'library', String(name))
      if (statSync(path).isFile()) rmSync(path)
    }
    for (const json of [[], ['--json']]) {
      const runs = []
      for (const env of [{}, oclifOnly]) {
        const target = join(work.dir, `broken-${runs.length}${json.length}`, OTHER_IDENTITY)
        const result = await cli(['drop', lifted.stdout.trim(), '--target', target, ...json], {env})
        // Which missing file a worker meets first varies from run to run.
        const which = (text: string) => steady(text.replaceAll(target, 'T')).replace(/library\/[0-9a-f/]+(, needed for [^\n"]+)?/g, 'FILE')
        runs.push({code: result.code, stdout: which(result.stdout), stderr: which(result.stderr)})
      }

      expect(runs[0].code).toBe(1)
      expect(runs[0].stdout + runs[0].stderr).toContain('EMISSING')
      expect(runs[0]).toEqual(runs[1])
    }
  })

  it('hands help, unknown flags and values oclif refuses to oclif', async () => {
    const cases = [
      ['drop', '--help'],
      ['drop', 'no-such-catalog', '--target', join(work.dir, 'x')],
      ['lift', work.source, '-l', join(work.dir, 'lib-x'), '--jobs', '0'],
      ['lift', work.source, '-l', join(work.dir, 'lib-x'), '--codec', 'brotli'],
      ['lift', work.source, '-l', join(work.dir, 'lib-x'), '--no-such-flag'],
      ['lift', '-l', join(work.dir, 'lib-x')],
    ]
    for (const args of cases) {
      const [fast, slow] = [await cli(args), await cli(args, {env: oclifOnly})]
      expect(fast, args.join(' ')).toEqual(slow)
      expect(fast.code === 0, args.join(' ')).toBe(args.includes('--help'))
    }
  })

  it('does not load oclif for a plain drop', async () => {
    const library = join(work.dir, 'lib-load')
    const lifted = await cli(['lift', work.source, '-l', library, '--no-fsync'])
    const target = join(work.dir, 'load', OTHER_IDENTITY)
    // Run bin/run.js in a process that then lists the CommonJS modules it loaded (oclif is CommonJS).
    const probe = `process.argv.splice(1, Infinity, ${JSON.stringify(join(root, 'bin', 'run.js'))}, 'drop', ${JSON.stringify(lifted.stdout.trim())}, '--target', ${JSON.stringify(target)}, '--json')
      await import(${JSON.stringify(join(root, 'bin', 'run.js'))})
      const {createRequire} = await import('node:module')
      console.error('loaded:' + Object.keys(createRequire(import.meta.url).cache).filter((p) => p.includes('@oclif')).length)`
    // A file, not -e: worker threads inherit -e's --input-type and would fail.
    const script = join(work.dir, 'probe.mjs')
    writeFileSync(script, probe)
    const {stderr} = await promisify(execFile)(process.execPath, [script])
    expect(stderr).toContain('loaded:0')
    expect(Object.keys(await snapshotTree(target))).toContain('bin/python3')
  })

  it('knows every flag the manifest gives drop and lift, so they take the fast path (stale fast path fault)', () => {
    const manifest = JSON.parse(readFileSync(join(root, MANIFEST), 'utf8')) as {commands: Record<string, {flags: object; args: object}>}
    for (const [id, command] of Object.entries(FAST_COMMANDS)) {
      expect(Object.keys(command.flags).sort(), id).toEqual(Object.keys(manifest.commands[id].flags).sort())
      expect(command.args.map((a) => a.name), id).toEqual(Object.keys(manifest.commands[id].args))
    }
  })
})
