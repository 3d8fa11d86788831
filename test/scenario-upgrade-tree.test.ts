/** The generic upgrade of a real tree (upgrade rows on a --tree corpus): deterministic, counted, the source untouched. */
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {excluded} from '../src/engine/lift.js'
import {upgradeTreeCopy} from '../src/scenario/upgrade-tree.js'
import {snapshotTree, sourceText, tempDir} from './helpers/tree.js'

let work: {dir: string; cleanup: () => Promise<void>}
let source: string

beforeAll(async () => {
  work = await tempDir()
  source = join(work.dir, 'python3.11')
  // 20 top-level packages of 10 modules, a top-level module, bytecode RCC never lifts, a link.
  for (let p = 0; p < 20; p++) {
    await fsp.mkdir(join(source, `pkg${p}`, '__pycache__'), {recursive: true})
    for (let m = 0; m < 10; m++) await fsp.writeFile(join(source, `pkg${p}`, `mod${m}.py`), sourceText(p * 10 + m + 1, 20))
    await fsp.writeFile(join(source, `pkg${p}`, '__pycache__', 'mod0.cpython-311.pyc'), 'bytecode')
  }

  await fsp.writeFile(join(source, 'os.py'), sourceText(999, 30))
  await fsp.symlink('pkg0/mod0.py', join(source, 'alias.py'))
})
afterAll(() => work?.cleanup())

describe('upgradeTreeCopy', () => {
  it('gives the same copy for the same tree, percent and seed, and leaves the source alone', async () => {
    const before = await snapshotTree(source)
    const one = await upgradeTreeCopy({source, out: join(work.dir, 'one'), percent: 10})
    const two = await upgradeTreeCopy({source, out: join(work.dir, 'two'), percent: 10})
    expect(await snapshotTree(one.root)).toEqual(await snapshotTree(two.root))
    expect(one.facts).toEqual(two.facts)
    expect(await snapshotTree(source)).toEqual(before)
    expect(one.root.endsWith('/python3.11')).toBe(true)
  })

  it('upgrades round(percent) of the top-level entries and counts every file it changed, removed or added', async () => {
    const {root, facts} = await upgradeTreeCopy({source, out: join(work.dir, 'half'), percent: 50, exclude: excluded})
    expect(facts.packages).toBe(21) // 20 packages and os.py; the link is not an entry
    expect(facts.upgraded).toBe(11)
    const [was, is] = await Promise.all([snapshotTree(source), snapshotTree(root)])
    const files = (snap: typeof was) => Object.keys(snap).filter((k) => snap[k].type === 'file' && !k.includes('__pycache__'))
    expect(Object.keys(is).some((k) => k.includes('__pycache__'))).toBe(false)
    expect(files(was).filter((k) => !is[k])).toHaveLength(facts.removed)
    expect(files(is).filter((k) => !was[k])).toHaveLength(facts.added)
    expect(files(is).filter((k) => was[k] && was[k].sha256 !== is[k].sha256)).toHaveLength(facts.changed)
    expect(facts.changed).toBeGreaterThan(0)
    expect(is['alias.py']).toEqual({type: 'symlink', mode: 0, link: 'pkg0/mod0.py'})
  })

  it('refuses a percent outside 0-100', async () => {
    await expect(upgradeTreeCopy({source, out: join(work.dir, 'bad'), percent: 101})).rejects.toThrow(/0 to 100 percent/)
  })
})
