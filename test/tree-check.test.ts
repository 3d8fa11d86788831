import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {checkRestoredTree} from '../src/bench/tree-check.js'
import {IDENTITY, tempDir} from './helpers/tree.js'

const NAME = `r${IDENTITY.slice(1)}`
let work: {dir: string; cleanup: () => Promise<void>}
let source: string
let target: string

beforeEach(async () => {
  work = await tempDir()
  source = join(work.dir, IDENTITY)
  target = join(work.dir, 't', NAME)
  await fsp.mkdir(join(source, 'bin'), {recursive: true})
  await fsp.writeFile(join(source, 'bin', 'tool'), `#!/home/user/.robocorp/holotree/${IDENTITY}/bin/python\n`, {mode: 0o755})
  await fsp.writeFile(join(source, 'plain.txt'), 'no relocation here\n')
  await fsp.symlink('plain.txt', join(source, 'link'))
  await fsp.mkdir(join(source, '__pycache__'))
  await fsp.writeFile(join(source, '__pycache__', 'x.pyc'), 'bytecode')
  // A correct restore: relocations rewritten to the target's name.
  await fsp.cp(source, target, {recursive: true, verbatimSymlinks: true})
  await fsp.writeFile(join(target, 'bin', 'tool'), `#!/home/user/.robocorp/holotree/${NAME}/bin/python\n`)
})
afterEach(() => work.cleanup())

const check = (extra: Partial<Parameters<typeof checkRestoredTree>[0]> = {}) => checkRestoredTree({source, target, identity: IDENTITY, targetName: NAME, ...extra})

describe('the restored-tree check', () => {
  it('accepts a correct restore', async () => {
    expect(await check()).toEqual({ok: true, files: 3, dirs: 2, symlinks: 1, problems: [], problemCount: 0})
  })

  it('names a relocation left unrewritten, a wrong mode, a wrong symlink and a missing file', async () => {
    await fsp.writeFile(join(target, 'bin', 'tool'), `#!/home/user/.robocorp/holotree/${IDENTITY}/bin/python\n`)
    await fsp.chmod(join(target, 'plain.txt'), 0o600)
    await fsp.rm(join(target, 'link'))
    await fsp.symlink('elsewhere', join(target, 'link'))
    await fsp.rm(join(target, '__pycache__', 'x.pyc'))
    const result = await check()
    expect(result.ok).toBe(false)
    expect(result.problems.sort()).toEqual([
      'bin/tool: a relocation is not rewritten (still holds h59acff1_493f813dad24d3t)',
      'missing file __pycache__/x.pyc',
      'plain.txt has mode 600, expected 644',
      'symlink link points to "elsewhere", expected "plain.txt"',
    ])
  })

  it("follows RCC's excludes and ignores only the extra files named", async () => {
    await fsp.rm(join(target, '__pycache__'), {recursive: true})
    await fsp.writeFile(join(target, 'identity.yaml'), 'added by RCC\n')
    expect((await check({rccExcludes: true, extraFiles: ['identity.yaml']})).ok).toBe(true)
    expect((await check({rccExcludes: true})).problems).toEqual(['unexpected file identity.yaml'])
  })

  it('streams large files, relocations across read boundaries included', async () => {
    // Files over 1 MiB are streamed in 1 MiB reads: put an occurrence across the first boundary.
    const size = 9 * 1024 * 1024
    const at = 1024 * 1024 - 10
    const raw = Buffer.alloc(size, 0x61)
    raw.write(IDENTITY, at)
    raw.write(IDENTITY, size - IDENTITY.length)
    await fsp.writeFile(join(source, 'big.bin'), raw)
    const good = Buffer.from(raw)
    good.write(NAME, at)
    good.write(NAME, size - NAME.length)
    await fsp.writeFile(join(target, 'big.bin'), good)
    expect((await check()).ok).toBe(true)
    await fsp.writeFile(join(target, 'big.bin'), raw)
    expect((await check()).problems).toEqual([`big.bin: a relocation is not rewritten (still holds ${IDENTITY})`])
    good[5] = 0x62
    await fsp.writeFile(join(target, 'big.bin'), good)
    expect((await check()).problems).toEqual(['big.bin: content differs'])
  })
})
