import {readFileSync} from 'node:fs'
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {ResultsFile} from '../src/bench/results.js'
import {cli} from './helpers/cli.js'
import {ensureBuilt} from './helpers/hololib.js'
import {tempDir} from './helpers/tree.js'
import {checkRunIdentity, identityWarning, relocatedWarning} from '../src/cli/identity-check.js'

describe('run --tree identity checks', () => {
  it('warn for short or common identities, not for holotree-like ones', () => {
    expect(identityWarning('python3.11', 'the basename of /x/python3.11')).toMatch(/"python3\.11" \(the basename of \/x\/python3\.11\) is short \(10 bytes\)/)
    expect(identityWarning('site-packages', '--identity')).toMatch(/is common text/)
    expect(identityWarning('env', '--identity')).toMatch(/is short/)
    expect(identityWarning('h59acff1_493f813dad24d3t', '--identity')).toBeUndefined()
    expect(identityWarning('robot-env-2f9c81d07ab3', '--identity')).toBeUndefined()
  })

  it('refuse a path identity for run, whose restores go to scratch directories', () => {
    expect(() => checkRunIdentity('/opt/conda/envs/robot')).toThrow(/run needs a name \(no "\/"\)/)
    expect(() => checkRunIdentity('..')).toThrow(/EUSAGE|run needs a name/)
    expect(() => checkRunIdentity('h59acff1_493f813dad24d3t')).not.toThrow()
  })

  it('warn after lifting when most files were marked relocated', () => {
    expect(relocatedWarning('tree:python3.11', 'python3.11', 68, 100)).toMatch(/^tree:python3\.11: 68% of files were marked relocated by the identity "python3\.11"/)
    expect(relocatedWarning('tree:env', 'h59acff1_493f813dad24d3t', 5, 100)).toBeUndefined()
    expect(relocatedWarning('tree:empty', 'x', 0, 0)).toBeUndefined()
  })
})

describe('run --tree --identity', () => {
  it('lifts with the given identity: files naming the basename are no longer relocated', async () => {
    ensureBuilt()
    const work = await tempDir('holobench-run-identity-')
    try {
      const tree = join(work.dir, 'python3.11')
      await mkdir(join(tree, 'lib'), {recursive: true})
      for (let i = 0; i < 6; i++) await writeFile(join(tree, 'lib', `m${i}.py`), i % 2 === 0 ? `# made for python3.11, file ${i}\n` : `# file ${i}\n`)
      const args = ['run', '--tree', tree, '--runs', '1', '--min-time', '0', '--variants', 'gzip', '--mode', 'in-process', '--scratch', work.dir, '--out', join(work.dir, 'results.json')]
      const results = () => JSON.parse(readFileSync(join(work.dir, 'results.json'), 'utf8')) as ResultsFile
      const plain = await cli(args)
      expect(plain.code, plain.stderr).toBe(0)
      expect(results().scenarios[0].tree.relocatedFiles).toBe(3)
      expect(plain.stderr.replace(/\s*›\s*/g, ' ')).toMatch(/the identity "python3\.11" \(the basename of .*\) is short/)
      const named = await cli([...args, '--identity', 'h59acff1_493f813dad24d3t'])
      expect(named.code, named.stderr).toBe(0)
      expect(results().scenarios[0].tree.relocatedFiles).toBe(0)
      expect(named.stderr).not.toMatch(/is short|common text/)
    } finally {
      await work.cleanup()
    }
  }, 120_000)
})

describe('lift identity warning', () => {
  it('silent relocation: lift warns when a short or word-like directory name marked files relocated, not for a holotree-like one', async () => {
    ensureBuilt()
    const {dir, cleanup} = await tempDir()
    try {
      for (const name of ['python3.11', 'h59acff1_493f813dad24d3t']) {
        const tree = join(dir, name)
        await mkdir(tree, {recursive: true})
        await writeFile(join(tree, 'sysconfig.py'), `LIBDEST = "/usr/lib/${name}"\n`)
        await writeFile(join(tree, 'plain.py'), 'print(1)\n')
        const result = await cli(['lift', tree, '--library', join(dir, `lib-${name}`), '--codec', 'gzip', '--no-fsync'])
        expect(result.code, result.stderr).toBe(0)
        if (name === 'python3.11') expect(result.stderr).toMatch(/1 file was marked relocated: the identity "python3\.11" \(the lifted directory's name\) is short/)
        else expect(result.stderr).not.toMatch(/marked relocated/)
      }
    } finally {
      await cleanup()
    }
  }, 60_000)
})
