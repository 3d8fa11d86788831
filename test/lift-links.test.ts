import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadCatalog} from '../src/engine/catalog.js'
import {check} from '../src/engine/check/index.js'
import {decompressBuffer} from '../src/engine/codec/index.js'
import {drop} from '../src/engine/drop.js'
import {lift} from '../src/engine/lift.js'
import {GO_MODE_SYMLINK} from '../src/engine/types.js'
import {libraryPath} from './helpers/hololib.js'
import {tempDir} from './helpers/tree.js'

let work: {dir: string; cleanup: () => Promise<void>}
beforeAll(async () => {
  work = await tempDir('holobench-links-')
})
afterAll(() => work.cleanup())

/** Every library file's content, decompressed. */
async function libraryContents(library: string): Promise<Buffer[]> {
  const out: Buffer[] = []
  for (const entry of await fsp.readdir(join(library, 'library'), {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue
    const stored = await fsp.readFile(join(entry.parentPath, entry.name))
    out.push(/^[0-9a-f]{32}$/.test(entry.name) ? stored : await decompressBuffer(stored))
  }

  return out
}

describe('lift stores only what is inside the tree', () => {
  it.each(['gzip', 'zstd', 'none'] as const)('links out of the tree: a symlink to a private file outside is recorded as a link, its content never stored (%s)', async (codec) => {
    const dir = join(work.dir, `out-of-tree-${codec}`)
    const secret = join(dir, 'home', 'secret.txt')
    await fsp.mkdir(join(dir, 'home'), {recursive: true})
    await fsp.writeFile(secret, `password=${codec}-hunter2-do-not-store\n`, {mode: 0o600})
    const source = join(dir, 'tree')
    await fsp.mkdir(join(source, 'etc'), {recursive: true})
    await fsp.writeFile(join(source, 'etc', 'real.ini'), 'inside\n')
    await fsp.symlink(secret, join(source, 'settings.ini'))
    await fsp.symlink('../../home/secret.txt', join(source, 'etc', 'relative.ini'))
    const library = join(dir, 'lib')
    const {catalog} = await lift({source, library, codec, fsync: false})

    const {tree} = await loadCatalog(catalog)
    for (const [entry, raw] of [
      [tree.files['settings.ini'], secret],
      [tree.subdirs.etc.files['relative.ini'], '../../home/secret.txt'],
    ] as const) {
      expect(entry.symlink).toBe(raw)
      expect(entry.digest).toBe('')
      expect(entry.mode).toBe(GO_MODE_SYMLINK + 0o777)
      expect(entry.size).toBe(Buffer.byteLength(raw))
    }

    const contents = await libraryContents(library)
    expect(contents.map(String)).toEqual(['inside\n'])
    expect((await check({library})).ok).toBe(true)

    // The restore recreates the links as links, with their raw targets.
    const target = join(dir, 'restored')
    await drop({catalog, target})
    expect(await fsp.readlink(join(target, 'settings.ini'))).toBe(secret)
    expect(await fsp.readlink(join(target, 'etc', 'relative.ini'))).toBe('../../home/secret.txt')
  })

  it('links inside the tree carry their target file\'s digest, size and mode, as RCC records them, and store nothing more', async () => {
    const dir = join(work.dir, 'in-tree')
    const source = join(dir, 'tree')
    await fsp.mkdir(join(source, 'bin'), {recursive: true})
    await fsp.writeFile(join(source, 'bin', 'python3.12'), '#!/bin/sh\necho python\n', {mode: 0o755})
    await fsp.chmod(join(source, 'bin', 'python3.12'), 0o755)
    await fsp.symlink('python3.12', join(source, 'bin', 'python3'))
    await fsp.symlink(join(source, 'bin', 'python3'), join(source, 'python')) // absolute, through another link
    const library = join(dir, 'lib')
    const {catalog} = await lift({source, library, codec: 'gzip', fsync: false})
    const {tree} = await loadCatalog(catalog)
    const real = tree.subdirs.bin.files['python3.12']
    for (const link of [tree.subdirs.bin.files.python3, tree.files.python]) {
      expect(link.symlink).toBeTruthy()
      expect({digest: link.digest, size: link.size, mode: link.mode}).toEqual({digest: real.digest, size: real.size, mode: real.mode})
    }

    expect((await libraryContents(library)).length).toBe(1)
  })

  it('library files never widen permissions: a 0600 file is stored 0600, a 0640 one 0640, a 0755 one 0644 (small and streamed)', async () => {
    const dir = join(work.dir, 'modes')
    const source = join(dir, 'tree')
    await fsp.mkdir(source, {recursive: true})
    const cases = [
      ['private.txt', 0o600, 0o600],
      ['group.txt', 0o640, 0o640],
      ['tool.sh', 0o755, 0o644],
      ['readonly.txt', 0o400, 0o600],
    ] as const
    const big = Buffer.alloc(5 * 1024 * 1024 + 17)
    for (const [i, [name, mode]] of cases.entries()) {
      await fsp.writeFile(join(source, name), `content of ${name} ${i}\n`)
      big.write(name, 0)
      await fsp.writeFile(join(source, `big-${name}`), big)
      await fsp.chmod(join(source, name), mode)
      await fsp.chmod(join(source, `big-${name}`), mode)
    }

    const previous = process.umask(0o022)
    try {
      for (const codec of ['zstd', 'none'] as const) {
        const library = join(dir, `lib-${codec}`)
        const {catalog} = await lift({source, library, codec, fsync: false})
        const {tree} = await loadCatalog(catalog)
        for (const [name, , stored] of cases) {
          for (const file of [name, `big-${name}`]) {
            const stats = await fsp.stat(libraryPath(library, tree.files[file].digest))
            expect([file, codec, (stats.mode & 0o777).toString(8)]).toEqual([file, codec, stored.toString(8)])
          }
        }
      }
    } finally {
      process.umask(previous)
    }
  })
})
