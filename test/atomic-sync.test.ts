import {mkdirSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {writeFileAtomicUnsyncedSync} from '../src/engine/fs/atomic.js'
import {tempDir} from './helpers/tree.js'

const work = await tempDir('holobench-atomic-sync-')
afterAll(() => work.cleanup())

describe('writeFileAtomicUnsyncedSync (lift without fsync)', () => {
  it('replaces the file whole, with its mode, leaving no temp name behind', () => {
    const dir = join(work.dir, 'ok')
    mkdirSync(dir)
    const path = join(dir, 'content')
    writeFileAtomicUnsyncedSync(path, Buffer.from('first'), 0o600)
    writeFileAtomicUnsyncedSync(path, Buffer.from('second'), 0o640)
    expect(readFileSync(path, 'utf8')).toBe('second')
    expect(statSync(path).mode & 0o777).toBe(0o640 & ~process.umask())
    expect(readdirSync(dir)).toEqual(['content'])
  })

  it('removes its temp file when the rename fails (leftover temp fault)', () => {
    const dir = join(work.dir, 'fail')
    mkdirSync(join(dir, 'taken'), {recursive: true})
    // A non-empty directory under the name: rename(2) refuses it.
    mkdirSync(join(dir, 'taken', 'inside'))
    expect(() => writeFileAtomicUnsyncedSync(join(dir, 'taken'), Buffer.from('x'))).toThrow()
    expect(readdirSync(dir)).toEqual(['taken'])
    expect(readdirSync(join(dir, 'taken'))).toEqual(['inside'])
  })
})
