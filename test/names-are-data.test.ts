import {execFileSync} from 'node:child_process'
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {gunzipSync} from 'node:zlib'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadCatalog} from '../src/engine/catalog.js'
import {check} from '../src/engine/check/index.js'
import {drop} from '../src/engine/drop.js'
import {lift} from '../src/engine/lift.js'
import {migrate} from '../src/engine/migrate/index.js'
import type {CatalogDir} from '../src/engine/types.js'
import {snapshotTree, tempDir} from './helpers/tree.js'

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url))

// Names that are members of Object.prototype (or its accessors): legal file names all the same.
const SPECIAL = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf']

let work: {dir: string; cleanup: () => Promise<void>}
let source: string

/** A tree where each special name is a file at the root and a directory holding files of every special name. */
async function specialTree(root: string): Promise<string> {
  await fsp.mkdir(join(root, 'dirs'), {recursive: true})
  for (const [i, name] of SPECIAL.entries()) {
    await fsp.writeFile(join(root, name), `file ${name} ${i}\n`)
    await fsp.mkdir(join(root, 'dirs', name))
    for (const inner of SPECIAL) await fsp.writeFile(join(root, 'dirs', name, inner), `${name}/${inner}\n`)
  }

  return root
}

beforeAll(async () => {
  work = await tempDir('holobench-names-')
  source = await specialTree(join(work.dir, 'src', 'tree'))
})
afterAll(() => work.cleanup())

function ownNames(dir: CatalogDir): {files: string[]; subdirs: string[]} {
  return {files: Object.keys(dir.files).filter((n) => Object.hasOwn(dir.files, n)).sort(), subdirs: Object.keys(dir.subdirs).filter((n) => Object.hasOwn(dir.subdirs, n)).sort()}
}

async function expectEveryName(catalog: string): Promise<void> {
  const {tree} = await loadCatalog(catalog)
  expect(ownNames(tree)).toEqual({files: [...SPECIAL].sort(), subdirs: ['dirs']})
  const dirs = tree.subdirs.dirs
  expect(ownNames(dirs).subdirs).toEqual([...SPECIAL].sort())
  for (const name of SPECIAL) expect(ownNames(Object.getOwnPropertyDescriptor(dirs.subdirs, name)?.value as CatalogDir).files).toEqual([...SPECIAL].sort())
}

async function expectRestores(catalog: string, target: string): Promise<void> {
  const result = await drop({catalog, target})
  expect(result.files).toBe(SPECIAL.length * (SPECIAL.length + 1))
  const restored = await snapshotTree(target)
  expect(restored).toEqual(await snapshotTree(source))
  for (const name of SPECIAL) expect(Object.hasOwn(restored, name) && Object.hasOwn(restored, `dirs/${name}/${name}`)).toBe(true)
}

async function expectCheckOk(library: string): Promise<void> {
  const result = await check({library})
  expect(result.problems).toEqual([])
  expect(result.ok).toBe(true)
  expect(result.orphans.count).toBe(0)
}

describe('names are data, not object keys', () => {
  it('names are data: __proto__, constructor, toString … round-trip through lift, drop, migrate to every codec and check', async () => {
    const library = join(work.dir, 'lib-holobench')
    const {catalog} = await lift({source, library, codec: 'gzip', fsync: false})
    await expectEveryName(catalog)
    const target = join(work.dir, 'out-holobench')
    await expectRestores(catalog, target)
    await expectCheckOk(library)
    for (const to of ['zstd', 'none', 'gzip', 'none', 'zstd'] as const) {
      const result = await migrate({library, to, fsync: false})
      expect(result.catalogs.failed).toBe(0)
      await expectEveryName(catalog)
      await expectCheckOk(library)
      // A changed restore into the previous target, and a fresh one.
      await expectRestores(catalog, target)
      await expectRestores(catalog, join(work.dir, `out-holobench-${to}-${Math.random().toString(16).slice(2)}`))
    }
  })

  it('names are data: an RCC-written catalog keeps __proto__ and friends through migrate and check', async () => {
    const library = join(work.dir, 'lib-python')
    const catalog = execFileSync('python3', [join(fixtures, 'make-hololib.py'), source, library, '--codec', 'gzip'], {encoding: 'utf8'}).trim()
    // The independent writer really wrote the names (json.dumps has no special keys).
    expect(gunzipSync(await fsp.readFile(catalog)).toString('utf8')).toContain('"__proto__": {')
    await expectEveryName(catalog)
    await expectCheckOk(library)
    const target = join(work.dir, 'out-python')
    await expectRestores(catalog, target)
    for (const to of ['none', 'zstd', 'gzip'] as const) {
      await migrate({library, to, fsync: false})
      await expectEveryName(catalog)
      await expectCheckOk(library)
      await expectRestores(catalog, target)
    }
  })

  it('names are data: catalog names are sorted as Go sorts map keys (by bytes), integer-like names included', async () => {
    const names = ['10', '9', 'a', 'B', '\u{e000}x', '\u{1f600}', 'é', '0', '__proto__']
    const tree = join(work.dir, 'src-order', 'tree')
    await fsp.mkdir(tree, {recursive: true})
    for (const name of names) await fsp.writeFile(join(tree, name), name)
    const library = join(work.dir, 'lib-order')
    const {catalog} = await lift({source: tree, library, codec: 'gzip', fsync: false})
    const json = gunzipSync(await fsp.readFile(catalog)).toString('utf8')
    // Order of the file entries as written: each entry's "name" field, in text order.
    const written = [...json.matchAll(/^ {8}"name": (".*"),$/gm)].map((m) => JSON.parse(m[1]) as string)
    // Go sorts map keys as byte strings; Python sorts str by code point: the same order.
    const expected = JSON.parse(execFileSync('python3', ['-c', 'import json,sys; print(json.dumps(sorted(json.load(sys.stdin))))'], {input: JSON.stringify(names), encoding: 'utf8'}))
    expect(written).toEqual(expected)
  })
})
