import {promises as fsp, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, relative, resolve} from 'node:path'
import {gzipSync} from 'node:zlib'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {FILE_KINDS, type GeneratedTree, RELOCATION_PARENT, digestDirectory, findIdentity, generateTree, loadScenario} from '../src/scenario/index.js'

const SMALL_SEED_1_DIGEST = '14d6fb2ae5a0dc5ae4db482e1baa8f467d8d2c7fdf8456644e5433933e63f61d'

const out = mkdtempSync(join(tmpdir(), 'holobench-scenario-gen-'))
afterAll(() => rmSync(out, {recursive: true, force: true}))

interface Entry {
  path: string
  mode: number
  content?: Buffer
  link?: string
}

/** Every file and symlink below `root`, read back from disk. */
async function walk(root: string, rel = ''): Promise<Entry[]> {
  const entries: Entry[] = []
  for (const entry of await fsp.readdir(join(root, rel), {withFileTypes: true})) {
    const path = rel ? `${rel}/${entry.name}` : entry.name
    const full = join(root, path)
    if (entry.isSymbolicLink()) entries.push({path, mode: 0, link: await fsp.readlink(full)})
    else if (entry.isDirectory()) entries.push(...(await walk(root, path)))
    else entries.push({path, mode: (await fsp.stat(full)).mode & 0o777, content: await fsp.readFile(full)})
  }
  return entries
}

function gzipRatio(files: Entry[]): number {
  const raw = files.reduce((sum, f) => sum + f.content!.length, 0)
  const packed = files.reduce((sum, f) => sum + gzipSync(f.content!, {level: 1}).length, 0)
  return raw / packed
}

describe('generateTree', () => {
  it('gives the same bytes for the same scenario and seed, and other bytes for another seed', async () => {
    const definition = loadScenario('small')
    const a = await generateTree({definition, seed: 1, outDir: join(out, 'a')})
    const b = await generateTree({definition, seed: 1, outDir: join(out, 'b')})
    const c = await generateTree({definition, seed: 2, outDir: join(out, 'c')})
    expect(a.identity).toBe(b.identity)
    expect(a.root).toBe(join(out, 'a', a.identity))
    const [da, db, dc] = await Promise.all([digestDirectory(a.root), digestDirectory(b.root), digestDirectory(c.root)])
    expect(da).toBe(db)
    expect(da).toBe(a.treeDigest)
    expect(dc).toBe(c.treeDigest)
    expect(dc).not.toBe(da)
    expect(c.identity).not.toBe(a.identity)
    // Pinned: the bytes must not depend on the machine, Node version or write order. If a
    // deliberate generator change breaks this, bump GENERATOR_VERSION and update the digest.
    expect(a.treeDigest).toBe(SMALL_SEED_1_DIGEST)
    await expect(generateTree({definition, seed: 1, outDir: join(out, 'a')})).rejects.toThrow(/already exists/)
  })

  describe('medium', () => {
    let tree: GeneratedTree
    let entries: Entry[]
    beforeAll(async () => {
      tree = await generateTree({definition: loadScenario('medium'), seed: 1, outDir: join(out, 'medium')})
      entries = await walk(tree.root)
    })
    const files = () => entries.filter((e) => e.content)

    it('has exactly the planned files, bytes and kinds', () => {
      expect(tree.identity).toMatch(/^h[0-9a-f]{7}_[0-9a-f]{14}t$/)
      expect(files()).toHaveLength(1000)
      expect(tree.files).toBe(1000)
      expect(files().reduce((sum, f) => sum + f.content!.length, 0)).toBe(tree.bytes)
      expect(tree.bytes).toBeLessThan(60e6)
      for (const kind of FILE_KINDS) expect(tree.byKind[kind].files, kind).toBeGreaterThan(0)
      const names = files().map((f) => f.path)
      expect(names.filter((p) => p.endsWith('.py')).length).toBeGreaterThan(250)
      expect(names.filter((p) => p.endsWith('.cpython-311.pyc')).length).toBeGreaterThan(250)
      expect(names.filter((p) => /\.so(\.|$)/.test(p)).length).toBeGreaterThan(5)
      expect(names).toContain('bin/python3.11')
      expect(names.some((p) => p.endsWith('.dist-info/RECORD'))).toBe(true)
      expect(names.some((p) => p.split('/').length >= 6)).toBe(true) // nested packages
    })

    it('embeds the identity in exactly the relocation share of files, always as part of the path', () => {
      const prefix = `${RELOCATION_PARENT}/${tree.identity}`
      const relocated = files().filter((f) => findIdentity(f.content!, tree.identity).length > 0)
      expect(relocated).toHaveLength(350)
      expect(tree.relocatedFiles).toBe(350)
      let occurrences = 0
      for (const file of relocated) {
        const text = file.content!.toString('latin1')
        occurrences += findIdentity(file.content!, tree.identity).length
        expect(text.split(tree.identity).length - 1, file.path).toBe(text.split(tree.identity.slice(0, 8)).length - 1)
        expect(text.split(tree.identity).length - 1, file.path).toBe(text.split(`/${tree.identity}`).length - 1)
        expect(text.includes(prefix), file.path).toBe(true)
      }
      expect(occurrences).toBe(tree.relocations)
      // Text and binaries both carry it: shebangs, config, bytecode, ELF.
      expect(relocated.some((f) => f.content!.subarray(0, 2).toString() === '#!')).toBe(true)
      expect(relocated.some((f) => f.path.endsWith('.pyc'))).toBe(true)
      expect(relocated.some((f) => f.content!.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])))).toBe(true)
      expect(relocated.some((f) => f.path === 'pyvenv.cfg' || f.path.endsWith('.pth') || f.path.startsWith('conda-meta/'))).toBe(true)
    })

    it('has relative symlinks that resolve inside the tree, and executables', async () => {
      const links = entries.filter((e) => e.link !== undefined)
      expect(links).toHaveLength(tree.symlinks)
      expect(links.length).toBe(10)
      for (const link of links) {
        expect(link.link!.startsWith('/'), link.path).toBe(false)
        const target = resolve(tree.root, dirname(link.path), link.link!)
        expect(relative(tree.root, target).startsWith('..'), link.path).toBe(false)
        await expect(fsp.stat(target), link.path).resolves.toBeTruthy()
      }
      expect(links.some((l) => l.path === 'lib64' && l.link === 'lib')).toBe(true)
      expect(files().filter((f) => f.mode === 0o755)).toHaveLength(tree.executables)
      expect(tree.executables).toBe(30)
      expect(files().find((f) => f.path === 'bin/python3.11')?.mode).toBe(0o755)
    })

    it('compresses like real files: gzip -1 on sources, bytecode and shared libraries', () => {
      // Real CPython 3.11 on Linux (files under 200 KB): .py 3.55, .pyc 2.59, .so 2.37–2.69.
      const ratio = (pattern: RegExp) => gzipRatio(files().filter((f) => pattern.test(f.path) && f.content!.length > 0))
      expect(ratio(/\.py$/)).toBeGreaterThan(2.9)
      expect(ratio(/\.py$/)).toBeLessThan(4.2)
      expect(ratio(/\.pyc$/)).toBeGreaterThan(2.0)
      expect(ratio(/\.pyc$/)).toBeLessThan(3.0)
      expect(ratio(/\.so(\.|$)/)).toBeGreaterThan(2.0)
      expect(ratio(/\.so(\.|$)/)).toBeLessThan(3.2)
    })
  })

  it('keeps the low-relocation share of the lowreloc scenario', async () => {
    const tree = await generateTree({definition: loadScenario('medium-lowreloc'), seed: 1, outDir: join(out, 'low')})
    const relocated = (await walk(tree.root)).filter((e) => e.content && findIdentity(e.content, tree.identity).length > 0)
    expect(relocated).toHaveLength(40)
    expect(tree.relocatedFiles / tree.files).toBeCloseTo(0.04)
  })
})
