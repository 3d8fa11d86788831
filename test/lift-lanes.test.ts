import {promises as fsp, statSync} from 'node:fs'
import {join, relative} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {catalogFiles, loadCatalog} from '../src/engine/catalog.js'
import {digestBuffer} from '../src/engine/digest.js'
import {lift} from '../src/engine/lift.js'
import {LibraryWriter} from '../src/engine/lift/library-writer.js'
import type {LiftSettings} from '../src/engine/lift/library-writer.js'
import {WORKERS_MIN_FILES, liftLanes, liftOnLanes, sizeGroups} from '../src/engine/lift/lanes.js'
import type {LiftItem} from '../src/engine/lift/lanes.js'
import type {CodecName} from '../src/engine/types.js'
import {makeManyFilesTree, snapshotFiles, tempFilesUnder} from './helpers/hololib.js'
import {rejection} from './helpers/rejection.js'
import {IDENTITY, makeSampleTree, tempDir} from './helpers/tree.js'

/** Every file's mode under `root`, by relative path: library files' modes derive from their sources'. */
async function modes(root: string): Promise<Record<string, number>> {
  const entries = await fsp.readdir(root, {recursive: true, withFileTypes: true})
  return Object.fromEntries(entries.filter((e) => e.isFile()).map((e) => {
    const path = join(e.parentPath ?? (e as unknown as {path: string}).path, e.name)
    return [relative(root, path), statSync(path).mode]
  }))
}

describe('lift on lanes: this thread and worker threads', () => {
  let work: {dir: string; cleanup: () => Promise<void>}
  let source: string
  beforeAll(async () => {
    work = await tempDir('holobench-lift-lanes-')
    // Relocations in text and binary files, symlinks, a streamed file (9 MiB) and a copy of it,
    // and enough small files, many sharing content under other names, for worker threads.
    source = await makeSampleTree(work.dir, IDENTITY, {bigFileBytes: 9 << 20})
    await fsp.copyFile(join(source, 'lib/big.dat'), join(source, 'lib/big-copy.dat'))
    await makeManyFilesTree(join(source, 'many'), WORKERS_MIN_FILES + 100)
    await fsp.writeFile(join(source, 'private.key'), 'secret\n', {mode: 0o600})
    for (let i = 0; i < 20; i++) await fsp.writeFile(join(source, 'many', `empty${i}`), '')
    // 300 files of one size, 30 contents: duplicates that only dedupe if they meet one writer.
    await fsp.mkdir(join(source, 'dups'))
    for (let i = 0; i < 300; i++) await fsp.writeFile(join(source, 'dups', `d${i}.txt`), `content ${i % 30}`.padEnd(200, '.'))
  })
  afterAll(() => work.cleanup())

  it.each(['zstd', 'none'] as CodecName[])('%s: the same catalog and library bytes as a lift on one lane (no content stored twice, no facts given to another entry, same modes)', async (codec) => {
    expect(liftLanes(4, WORKERS_MIN_FILES + 100).threads).toBeGreaterThan(0)
    const one = join(work.dir, `one-${codec}`)
    const lanes = join(work.dir, `lanes-${codec}`)
    const a = await lift({source, library: one, codec, jobs: 1, fsync: false})
    const b = await lift({source, library: lanes, codec, jobs: 4, fsync: false})
    expect(a.filesDeduplicated).toBeGreaterThan(270) // the tree repeats content under other names
    for (const key of ['files', 'filesStored', 'filesDeduplicated', 'storedBytesWritten', 'relocatedFiles', 'relocations', 'bytes', 'catalogName'] as const) {
      expect(b[key], key).toEqual(a[key])
    }

    expect(await snapshotFiles(lanes)).toEqual(await snapshotFiles(one))
    expect(await modes(lanes)).toEqual(await modes(one))
    // Against the tree itself: each entry's digest is its own file's, and each content is stored once.
    const digests = new Set<string>()
    for (const {rel, file} of catalogFiles((await loadCatalog(b.catalog)).tree)) {
      if (file.symlink) continue
      const content = await fsp.readFile(join(source, rel))
      expect(file.digest, rel).toBe(digestBuffer(codec === 'none' ? 'siphash128' : 'sha256', content))
      expect(file.size, rel).toBe(content.length)
      digests.add(file.digest)
    }

    expect(b.filesStored).toBe(digests.size)
  })

  it('puts all files of one size in one group, each file once: the only files that can share content meet one writer', () => {
    const item = (i: number, size: number): LiftItem => ({task: {path: `/t/f${i}`, size, mode: 0o100644}, entry: {name: `f${i}`, size, mode: 0o644, digest: '', rewrite: []}})
    const items = [item(0, 5), item(1, 7), item(2, 5), item(3, 0), item(4, 7), item(5, 5), item(6, 9 << 20)]
    const groups = sizeGroups(items)
    expect(groups.map((g) => g.map((i) => i.task.path))).toEqual([['/t/f6'], ['/t/f1', '/t/f4'], ['/t/f0', '/t/f2', '/t/f5'], ['/t/f3']])
  })

  it('a file gone after the walk fails the lift on whichever lane reads it, naming the file, and leaves no temp file', async () => {
    const library = join(work.dir, 'gone')
    const settings: LiftSettings = {liftId: 'gone', library, codec: 'zstd', algorithm: 'sha256', identity: IDENTITY, fsync: false, existing: 'probe'}
    const files = join(work.dir, 'gone-src')
    await fsp.mkdir(files)
    const items: LiftItem[] = []
    for (let i = 0; i < 400; i++) {
      const path = join(files, `f${i}.txt`)
      await fsp.writeFile(path, 'x'.repeat(100 + i))
      items.push({task: {path, size: 100 + i, mode: 0o100644}, entry: {name: `f${i}.txt`, size: 0, mode: 0o644, digest: '', rewrite: []}})
    }

    const missing = join(work.dir, 'no-such-file.py')
    items.splice(200, 0, {task: {path: missing, size: 7, mode: 0o100644}, entry: {name: 'gone', size: 0, mode: 0o644, digest: '', rewrite: []}})
    const error = await rejection(liftOnLanes(items, settings, {lanes: {threads: 1, inFlight: 4}, writer: new LibraryWriter(settings)}))
    expect(error.message).toContain(`Cannot lift ${missing}`)
    expect(error.path).toBe(missing)
    expect(tempFilesUnder(library)).toEqual([])
  })
})
