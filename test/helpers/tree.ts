import {createHash} from 'node:crypto'
import {promises as fsp} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll} from 'vitest'

/** A fresh temp directory, removed by the returned cleanup. */
export async function tempDir(prefix = 'holobench-test-'): Promise<{dir: string; cleanup: () => Promise<void>}> {
  const dir = await fsp.mkdtemp(join(tmpdir(), prefix))
  return {dir, cleanup: () => fsp.rm(dir, {recursive: true, force: true})}
}

/** Two space names of RCC's shape and length (24 characters), for relocation tests. */
export const IDENTITY = 'h59acff1_493f813dad24d3t'
export const OTHER_IDENTITY = 'h0123456_89abcdef012345t'

/** Text that compresses like source code, seeded so tests are repeatable. */
export function sourceText(seed: number, lines: number): string {
  const words = ['def', 'return', 'self', 'import', 'class', 'value', 'name', 'path', 'None', 'for', 'in', 'if', 'else', 'items', 'data', 'result']
  let x = seed >>> 0 || 1
  const next = () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }

  const out: string[] = []
  for (let i = 0; i < lines; i++) {
    const n = 2 + Math.floor(next() * 8)
    out.push('    '.repeat(Math.floor(next() * 3)) + Array.from({length: n}, () => words[Math.floor(next() * words.length)]).join(' '))
  }

  return out.join('\n') + '\n'
}

/**
 * A small tree shaped like a Python environment: nested packages, an executable with a shebang
 * holding the tree's path, relocations in text and binary files, an empty file, a symlinked
 * file, a symlinked directory, and a duplicate file (deduplicated in the library).
 */
export async function makeSampleTree(parent: string, identity = IDENTITY, options: {bigFileBytes?: number} = {}): Promise<string> {
  const root = join(parent, identity)
  const prefix = `/home/user/.robocorp/holotree/${identity}`
  await fsp.mkdir(join(root, 'bin'), {recursive: true})
  await fsp.mkdir(join(root, 'lib/python3.12/site-packages/pkg/sub'), {recursive: true})
  await fsp.mkdir(join(root, 'empty-dir'), {recursive: true})
  await fsp.writeFile(join(root, 'bin/python3'), `#!${prefix}/bin/python3.12\nexec "$@"\n`, {mode: 0o755})
  await fsp.chmod(join(root, 'bin/python3'), 0o755)
  await fsp.writeFile(join(root, 'bin/activate'), `export PATH=${prefix}/bin:$PATH\nexport CONDA_PREFIX=${prefix}\n`)
  for (let i = 0; i < 12; i++) {
    await fsp.writeFile(join(root, `lib/python3.12/site-packages/pkg/mod${i}.py`), sourceText(i + 1, 40 + i * 10))
  }

  await fsp.writeFile(join(root, 'lib/python3.12/site-packages/pkg/sub/copy.py'), sourceText(3, 60))
  await fsp.writeFile(join(root, 'lib/python3.12/site-packages/pkg/__init__.py'), '')
  const binary = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(300, 7), Buffer.from(`${prefix}/lib\0`), Buffer.alloc(100, 1), Buffer.from(identity)])
  await fsp.writeFile(join(root, 'lib/libdemo.so.1'), binary, {mode: 0o755})
  await fsp.chmod(join(root, 'lib/libdemo.so.1'), 0o755)
  await fsp.symlink('libdemo.so.1', join(root, 'lib/libdemo.so'))
  await fsp.symlink('python3.12/site-packages', join(root, 'lib/site'))
  await fsp.writeFile(join(root, 'lib/python3.12/site-packages/pkg.pth'), `${prefix}/lib/python3.12/site-packages/pkg\n`)
  if (options.bigFileBytes) {
    const chunk = Buffer.from(sourceText(99, 20_000))
    const big = Buffer.alloc(options.bigFileBytes)
    for (let at = 0; at < big.length; at += chunk.length) chunk.copy(big, at)
    Buffer.from(identity).copy(big, 1000)
    Buffer.from(identity).copy(big, big.length - identity.length - 5)
    await fsp.writeFile(join(root, 'lib/big.dat'), big)
  }

  return root
}

export interface Entry {
  type: 'file' | 'dir' | 'symlink'
  mode: number
  sha256?: string
  link?: string
}

/** Every path of a tree with its type, permission bits, content digest or link target. */
export async function snapshotTree(root: string, replace?: {from: string; to: string}): Promise<Record<string, Entry>> {
  const out: Record<string, Entry> = {}
  const visit = async (dir: string, rel: string) => {
    for (const name of (await fsp.readdir(dir)).sort()) {
      const path = join(dir, name)
      const stats = await fsp.lstat(path)
      const key = rel + name
      // Names are data: a file named __proto__ must be an own key, not the object's prototype.
      const put = (entry: Entry) => Object.defineProperty(out, key, {value: entry, enumerable: true, writable: true, configurable: true})
      if (stats.isSymbolicLink()) put({type: 'symlink', mode: 0, link: await fsp.readlink(path)})
      else if (stats.isDirectory()) {
        put({type: 'dir', mode: stats.mode & 0o7777})
        await visit(path, `${key}/`)
      } else {
        let content = await fsp.readFile(path)
        if (replace) content = Buffer.from(content.toString('latin1').split(replace.from).join(replace.to), 'latin1')
        put({type: 'file', mode: stats.mode & 0o7777, sha256: createHash('sha256').update(content).digest('hex')})
      }
    }
  }

  await visit(root, '')
  return out
}

/**
 * Registers hooks that make a temp directory with a sample tree in it for the file's tests, and
 * remove it afterwards. Read `dir` and `source` inside tests (they are set by beforeAll).
 */
export function useSampleTree(): {readonly dir: string; readonly source: string} {
  let work: {dir: string; cleanup: () => Promise<void>} | undefined
  let source = ''
  beforeAll(async () => {
    work = await tempDir()
    source = await makeSampleTree(join(work.dir, 'src'))
  })
  afterAll(() => work?.cleanup())
  return {
    get dir() {
      return work?.dir as string
    },
    get source() {
      return source
    },
  }
}
