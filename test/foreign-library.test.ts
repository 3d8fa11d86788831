import {execFileSync} from 'node:child_process'
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {drop} from '../src/engine/drop.js'
import {lift} from '../src/engine/lift.js'
import {IDENTITY, OTHER_IDENTITY, snapshotTree, useSampleTree} from './helpers/tree.js'

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url))
const work = useSampleTree()

// Libraries written by an independent Python implementation (stdlib gzip, the zstd CLI).
describe.each([
  ['gzip', ''],
  ['zstd', '-1'],
  ['zstd', '-19 --check'],
  ['none', ''],
])('a hololib written by another tool (%s %s)', (codec, zstdArgs) => {
  it('drops byte for byte, relocations included', async () => {
    const library = join(work.dir, `py-${codec}-${zstdArgs.replace(/\W/g, '')}`)
    const args = [join(fixtures, 'make-hololib.py'), work.source, library, '--codec', codec]
    if (zstdArgs) args.push(`--zstd-args=${zstdArgs}`)
    const catalog = execFileSync('python3', args, {encoding: 'utf8'}).trim()
    const target = join(library, 'out', OTHER_IDENTITY)
    const result = await drop({catalog, target})
    expect(result.written).toBe(18)
    expect(result.rewritten).toBe(4)
    expect(await snapshotTree(target)).toEqual(await snapshotTree(work.source, {from: IDENTITY, to: OTHER_IDENTITY}))
  })
})

// Libraries holobench writes, read back by the independent reader.
describe.each(['gzip', 'gzip-pure', 'zstd', 'none'] as const)('a hololib holobench writes with %s', (codec) => {
  it('is read by another tool with the layout and digests RCC expects', async () => {
    const library = join(work.dir, `hb-${codec}`)
    const {catalog} = await lift({source: work.source, library, codec})
    expect(catalog).toMatch(/[/\\][0-9a-f]{16}v12\.[a-z]+_[a-z0-9]+$/)
    const info = JSON.parse(await fsp.readFile(`${catalog}.info`, 'utf8'))
    expect(Object.keys(info)).toEqual(['rcc', 'identity', 'path', 'controller', 'space', 'platform', 'blueprint'])
    const target = join(library, 'out', OTHER_IDENTITY)
    const counts = JSON.parse(execFileSync('python3', [join(fixtures, 'read-hololib.py'), catalog, target], {encoding: 'utf8'}))
    expect(counts).toEqual({files: 18, symlinks: 2, dirs: 8, relocated: 4})
    expect(await snapshotTree(target)).toEqual(await snapshotTree(work.source, {from: IDENTITY, to: OTHER_IDENTITY}))
  })
})
