import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Config} from '@oclif/core'
import {afterAll, describe, expect, it} from 'vitest'

import {MANIFEST, manifestIsStale} from '../src/cli/manifest.js'
import {cli} from './helpers/cli.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'holobench-startup-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

describe('CLI start-up shortcuts', () => {
  it('answers --version without oclif with the line oclif prints', async () => {
    const config = await Config.load(root)
    const result = await cli(['--version'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toBe(`${config.userAgent}\n`)
  })

  it('ships a manifest naming every built command, so oclif imports only the one it runs', async () => {
    // bin/run.js renews a stale manifest before oclif reads it: any CLI run leaves it current.
    expect((await cli(['--help'])).code).toBe(0)
    const manifest = JSON.parse(readFileSync(join(root, MANIFEST), 'utf8')) as {commands: Record<string, {flags: Record<string, unknown>}>}
    const built = readdirSync(join(root, 'dist', 'commands')).filter((n) => n.endsWith('.js')).map((n) => n.slice(0, -3))
    expect(Object.keys(manifest.commands).sort()).toEqual(built.sort())
    expect(Object.keys(manifest.commands.drop.flags)).toContain('target')
  })

  it('calls a manifest stale when a command was built after it (stale-cache fault)', () => {
    const pkg = join(scratch, 'pkg')
    mkdirSync(join(pkg, 'dist', 'commands'), {recursive: true})
    expect(manifestIsStale(pkg)).toBe(true) // missing
    writeFileSync(join(pkg, 'dist', 'commands', 'drop.js'), '')
    writeFileSync(join(pkg, MANIFEST), '{}')
    utimesSync(join(pkg, 'dist', 'commands', 'drop.js'), 1000, 1000)
    utimesSync(join(pkg, MANIFEST), 2000, 2000)
    expect(manifestIsStale(pkg)).toBe(false)
    utimesSync(join(pkg, 'dist', 'commands', 'drop.js'), 3000, 3000)
    expect(manifestIsStale(pkg)).toBe(true)
  })
})
