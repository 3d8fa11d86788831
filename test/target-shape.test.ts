import {spawn, spawnSync} from 'node:child_process'
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {drop} from '../src/engine/drop.js'
import {lift} from '../src/engine/lift.js'
import {ensureBuilt, REPO} from './helpers/hololib.js'
import {IDENTITY, OTHER_IDENTITY, snapshotTree, tempDir, useSampleTree} from './helpers/tree.js'

const work = useSampleTree()

const PKG = 'lib/python3.12/site-packages/pkg'

/** What a user (or a crashed tool) may leave where the catalog has something else. */
const SHAPES: Array<[string, (target: string, outside: string) => Promise<void>]> = [
  [
    'a file replaced by a directory (holding a link out of the target)',
    async (target, outside) => {
      const path = join(target, PKG, 'mod1.py')
      await fsp.rm(path)
      await fsp.mkdir(join(path, 'deeper'), {recursive: true})
      await fsp.writeFile(join(path, 'deeper', 'note.txt'), 'mine\n')
      await fsp.symlink(join(outside, 'keep.txt'), join(path, 'link-out'))
    },
  ],
  [
    'a directory replaced by a file',
    async (target) => {
      await fsp.rm(join(target, PKG, 'sub'), {recursive: true})
      await fsp.writeFile(join(target, PKG, 'sub'), 'a file now\n')
    },
  ],
  [
    'a directory replaced by a symlink to a directory outside the target',
    async (target, outside) => {
      await fsp.rm(join(target, PKG, 'sub'), {recursive: true})
      await fsp.symlink(outside, join(target, PKG, 'sub'))
    },
  ],
  [
    'a file replaced by a symlink to a file outside the target',
    async (target, outside) => {
      await fsp.rm(join(target, PKG, 'mod2.py'))
      await fsp.symlink(join(outside, 'copy.py'), join(target, PKG, 'mod2.py'))
    },
  ],
  [
    'a symlink replaced by a directory',
    async (target) => {
      await fsp.rm(join(target, 'lib/site'))
      await fsp.mkdir(join(target, 'lib/site/inner'), {recursive: true})
    },
  ],
  [
    'a symlink replaced by a file',
    async (target) => {
      await fsp.rm(join(target, 'lib/libdemo.so'))
      await fsp.writeFile(join(target, 'lib/libdemo.so'), 'not a link\n')
    },
  ],
]

describe('the target\'s shape may have changed between restores', () => {
  let catalog: string
  beforeAll(async () => {
    ;({catalog} = await lift({source: work.source, library: join(work.dir, 'lib'), codec: 'zstd', fsync: false}))
  })

  it.each(SHAPES)('target shape: %s converges to the catalog, nothing outside touched', async (label, change) => {
    const base = join(work.dir, `shape-${SHAPES.findIndex(([l]) => l === label)}`)
    const outside = join(base, 'outside')
    await fsp.mkdir(outside, {recursive: true})
    await fsp.writeFile(join(outside, 'keep.txt'), 'not the target\'s\n')
    await fsp.writeFile(join(outside, 'copy.py'), 'not the target\'s either\n')
    const target = join(base, OTHER_IDENTITY)
    await drop({catalog, target})
    const expected = await snapshotTree(work.source, {from: IDENTITY, to: OTHER_IDENTITY})
    await change(target, outside)
    await drop({catalog, target})
    expect(await snapshotTree(target)).toEqual(expected)
    // And a third time, now that it is right: nothing is written.
    expect((await drop({catalog, target})).written).toBe(0)
    expect(await fsp.readFile(join(outside, 'keep.txt'), 'utf8')).toBe('not the target\'s\n')
    expect(await fsp.readFile(join(outside, 'copy.py'), 'utf8')).toBe('not the target\'s either\n')
    expect((await fsp.readdir(outside)).sort()).toEqual(['copy.py', 'keep.txt'])
  })
})

/**
 * How to run the CLI as a user who is not root: directly when the suite is not root; as root,
 * through setpriv as `nobody`. Undefined (with the reason) where neither works.
 */
function unprivileged(): {prefix: string[]; uid: number; gid: number} | {skip: string} {
  if (process.platform === 'win32') return {skip: 'POSIX permissions only'}
  const uid = process.getuid?.() ?? 0
  if (uid !== 0) return {prefix: [], uid, gid: process.getgid?.() ?? 0}
  const ids = spawnSync('id', ['-u', 'nobody'], {encoding: 'utf8'})
  const gids = spawnSync('id', ['-g', 'nobody'], {encoding: 'utf8'})
  if (ids.status !== 0 || gids.status !== 0) return {skip: 'running as root and there is no user "nobody" to drop privileges to'}
  if (spawnSync('setpriv', ['--version']).status !== 0) return {skip: 'running as root and setpriv (util-linux) is missing, so privileges cannot be dropped'}
  const [nobody, group] = [Number(ids.stdout.trim()), Number(gids.stdout.trim())]
  const prefix = ['setpriv', `--reuid=${nobody}`, `--regid=${group}`, '--clear-groups', '--']
  // A clone under a directory only root may enter (mktemp -d is 0700) cannot be run as nobody.
  if (spawnSync(prefix[0], [...prefix.slice(1), 'test', '-r', join(REPO, 'bin/run.js')]).status !== 0) return {skip: `running as root and "nobody" cannot read ${join(REPO, 'bin/run.js')} (a parent directory is closed to other users)`}
  return {prefix, uid: nobody, gid: group}
}

function runAs(prefix: string[], args: string[], home: string): Promise<{code: number | null; stderr: string}> {
  const command = [...prefix, process.execPath, join(REPO, 'bin/run.js'), ...args]
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), {env: {...process.env, HOME: home, OCLIF_COLUMNS: '1000'}})
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({code, stderr}))
  })
}

async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  await fsp.lchown(path, uid, gid)
  const stats = await fsp.lstat(path)
  if (!stats.isDirectory()) return
  for (const name of await fsp.readdir(path)) await chownTree(join(path, name), uid, gid)
}

/** Write `files` (path → content), then give each listed directory its mode, deepest first. */
async function makeTree(root: string, files: Record<string, string>, dirModes: Record<string, number>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await fsp.mkdir(join(root, path, '..'), {recursive: true})
    await fsp.writeFile(join(root, path), content)
  }

  for (const dir of Object.keys(dirModes).sort((a, b) => b.length - a.length)) await fsp.chmod(join(root, dir), dirModes[dir])
}

describe('directory modes never lock a non-root user out of a restore', () => {
  const who = unprivileged()
  let work2: {dir: string; cleanup: () => Promise<void>}
  beforeAll(async () => {
    ensureBuilt()
    work2 = await tempDir('holobench-dirmodes-')
  })
  afterAll(async () => {
    // Root removes anything; a non-root suite opens its read-only test dirs first.
    spawnSync('chmod', ['-R', 'u+rwx', work2.dir])
    await work2.cleanup()
  })

  it('read-only directories and directories without search: fresh and changed restores converge, as a non-root user', async (context) => {
    if ('skip' in who) {
      console.log(`skipped: ${who.skip}`)
      return context.skip(who.skip)
    }

    const dir = join(work2.dir, 'case')
    const dirModes = {ro: 0o555, 'ro/sub': 0o555, nox: 0o644, 'nox/inner': 0o500}
    const v1 = join(dir, 'v1', 'tree')
    await makeTree(v1, {'top.txt': 'top 1\n', 'ro/a.txt': 'a 1\n', 'ro/b.txt': 'b 1\n', 'ro/sub/c.txt': 'c 1\n', 'nox/d.txt': 'd 1\n', 'nox/inner/e.txt': 'e 1\n'}, dirModes)
    const v2 = join(dir, 'v2', 'tree')
    await makeTree(v2, {'top.txt': 'top 2\n', 'ro/a.txt': 'a 2 changed\n', 'ro/sub/new.txt': 'new\n', 'nox/d.txt': 'd 2 changed\n', 'nox/inner/e.txt': 'e 1\n'}, dirModes)
    const library = join(dir, 'lib')
    // Lifted here (root can read a directory without search); restored as the other user.
    const {catalog: one} = await lift({source: v1, library, codec: 'gzip', fsync: false})
    const {catalog: two} = await lift({source: v2, library, codec: 'gzip', fsync: false})
    const home = join(dir, 'home')
    const out = join(dir, 'out')
    await fsp.mkdir(home)
    await fsp.mkdir(out)
    await fsp.chmod(work2.dir, 0o755)
    await chownTree(home, who.uid, who.gid)
    await chownTree(out, who.uid, who.gid)
    const target = join(out, 'env')

    for (const [catalog, source] of [
      [one, v1],
      [two, v2],
      [one, v1],
    ]) {
      const result = await runAs(who.prefix, ['drop', catalog, '--target', target], home)
      expect({code: result.code, stderr: result.stderr}).toEqual({code: 0, stderr: expect.any(String)})
      expect(result.stderr).not.toMatch(/EACCES|EISDIR|Error/)
      expect(await snapshotTree(target)).toEqual(await snapshotTree(source))
    }
  })
})
