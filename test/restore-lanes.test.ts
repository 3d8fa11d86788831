import {execFileSync} from 'node:child_process'
import {promises as fsp, readFileSync, readdirSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadCatalog} from '../src/engine/catalog.js'
import {drop} from '../src/engine/drop.js'
import {defaultJobs, restoreJobs} from '../src/engine/jobs.js'
import {lift} from '../src/engine/lift.js'
import {WORKERS_CATALOG_BYTES, restoreLanes, runOnWorkers, warmUpRestoreWorkers} from '../src/engine/restore/pool.js'
import {stopAllWorkers} from '../src/engine/worker-pool.js'
import type {RestoreTask} from '../src/engine/restore/types.js'
import type {CatalogDir} from '../src/engine/types.js'
import {REPO, ensureBuilt, libraryPath, snapshotFiles} from './helpers/hololib.js'
import {rejection} from './helpers/rejection.js'
import {sourceText, tempDir} from './helpers/tree.js'

/** 300 small files in 10 directories, some of them repeated content. */
async function smallFilesTree(root: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const dir = join(root, `pkg${i % 10}`)
    await fsp.mkdir(dir, {recursive: true})
    await fsp.writeFile(join(dir, `mod${i}.py`), sourceText(i % 250, 5 + (i % 40)))
  }
}

/** The restore tasks of a catalog's files into `target` (directories made), as drop plans them. */
async function restoreTasks(catalog: string, library: string, target: string): Promise<RestoreTask[]> {
  const list: RestoreTask[] = []
  const visit = (dir: CatalogDir, rel: string) => {
    for (const [name, f] of Object.entries(dir.files)) list.push({path: join(target, rel, name), rel: rel + name, source: libraryPath(library, f.digest), size: f.size, perm: 0o644, digest: f.digest, rewrite: [], unchanged: false})
    for (const [name, d] of Object.entries(dir.subdirs)) visit(d, `${rel}${name}/`)
  }

  visit((await loadCatalog(catalog)).tree, '')
  for (const task of list) await fsp.mkdir(dirname(task.path), {recursive: true})
  return list
}

const SETTINGS = {verify: true, eligible: 'copy' as const, fresh: true, relocationTo: Buffer.alloc(0), umask: 0o022}

describe('restore lanes: this thread and worker threads', () => {
  let work: {dir: string; cleanup: () => Promise<void>}
  beforeAll(async () => {
    work = await tempDir('holobench-lanes-')
  })
  afterAll(() => work.cleanup())

  // First: this process has no restore worker yet.
  it('a fresh process: a small catalog starts no worker thread, a big one jobs - 1 beside a lane here', () => {
    expect(restoreLanes(1, 10 * WORKERS_CATALOG_BYTES)).toEqual({threads: 0, local: true})
    expect(restoreLanes(2, WORKERS_CATALOG_BYTES)).toEqual({threads: 1, local: true})
    expect(restoreLanes(4, WORKERS_CATALOG_BYTES)).toEqual({threads: 3, local: true})
    expect(restoreLanes(4, WORKERS_CATALOG_BYTES - 1)).toEqual({threads: 0, local: true})
  })

  it.each(['gzip', 'zstd'] as const)('%s: the same tree whatever the lanes (this thread alone or beside workers, workers only, drop)', async (codec) => {
    const source = join(work.dir, codec, 'tree')
    await smallFilesTree(source)
    const library = join(work.dir, codec, 'lib')
    const {catalog} = await lift({source, library, codec, fsync: false})
    const expected = await snapshotFiles(source)
    for (const [name, lanes] of [['here', {threads: 0, local: true}], ['here+1', {threads: 1, local: true}], ['here+3', {threads: 3, local: true}], ['workers', {threads: 2, local: false}]] as const) {
      const target = join(work.dir, codec, name)
      const stats = await runOnWorkers(await restoreTasks(catalog, library, target), SETTINGS, {workers: lanes.threads + (lanes.local ? 1 : 0), ...lanes})
      expect(stats.written).toBe(300)
      expect(await snapshotFiles(target)).toEqual(expected)
    }

    const result = await drop({catalog, target: join(work.dir, codec, 'drop'), durable: false})
    expect(result.written).toBe(300)
    expect(await snapshotFiles(join(work.dir, codec, 'drop'))).toEqual(expected)
  })

  it('a process with restore workers running uses them, whatever the catalog', () => {
    warmUpRestoreWorkers(2)
    expect(restoreLanes(2, 100)).toEqual({threads: 2, local: false})
  })

  it('a corrupted library file fails naming its entry, restored on this thread or on a worker', async () => {
    const source = join(work.dir, 'corrupt', 'tree')
    await smallFilesTree(source)
    const library = join(work.dir, 'corrupt', 'lib')
    const {catalog} = await lift({source, library, codec: 'zstd', fsync: false})
    const tree = (await loadCatalog(catalog)).tree
    // Another file's content under this file's name: only verification can tell.
    await fsp.copyFile(libraryPath(library, tree.subdirs.pkg4.files['mod14.py'].digest), libraryPath(library, tree.subdirs.pkg3.files['mod13.py'].digest))
    for (const lanes of [{threads: 0, local: true}, {threads: 1, local: false}]) {
      const tasks = await restoreTasks(catalog, library, join(work.dir, 'corrupt', `out${lanes.threads}`))
      const error = await rejection(runOnWorkers(tasks, SETTINGS, {workers: 1, ...lanes}))
      expect(error.message).toContain('pkg3/mod13.py')
      expect(['EINTEGRITY', 'EINPUT', 'ECORRUPT']).toContain(error.code)
    }
  })
})

describe('what a restore thread loads', () => {
  /** Local modules reachable by static imports from `entry` (dist, as it runs). */
  function staticClosure(entry: string): string[] {
    const seen = new Set<string>()
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) visit(resolve(dirname(file), m[1]))
    }

    visit(entry)
    return [...seen].map((file) => file.slice(join(REPO, 'dist').length + 1))
  }

  it('a restore worker does not load the streams, pako or fzstd (loaded only when a file needs them)', () => {
    ensureBuilt()
    const loaded = staticClosure(join(REPO, 'dist', 'engine', 'restore', 'worker.js'))
    expect(loaded).toContain('engine/restore/restore-file.js')
    for (const heavy of ['engine/codec/index.js', 'engine/codec/gzip-pure.js', 'engine/codec/zstd-fzstd.js', 'engine/codec/zstd-stream.js', 'engine/codec/decompress-stream.js', 'engine/codec/zstd-cli.js']) {
      expect(loaded).not.toContain(heavy)
    }
  })

  it('the zstd binding loads without a diagnostic report (process.report.getReport) on glibc Linux', () => {
    ensureBuilt()
    const script = `
      let reports = 0
      const original = process.report.getReport.bind(process.report)
      process.report.getReport = (...args) => (reports++, original(...args))
      const {napiBinding} = await import(${JSON.stringify(new URL(`file://${join(REPO, 'dist', 'engine', 'codec', 'zstd-napi.js')}`).href)})
      const binding = napiBinding()
      const out = await binding.decompress(await binding.compress(Buffer.from('holobench'.repeat(100)), 1))
      console.log(JSON.stringify({reports, ok: out.toString() === 'holobench'.repeat(100)}))`
    const result = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8'}).trim())
    expect(result.ok).toBe(true)
    const glibc = process.platform === 'linux' && (process.report.getReport() as {header: {glibcVersionRuntime?: string}}).header.glibcVersionRuntime !== undefined
    if (glibc) expect(result.reports).toBe(0)
  })
})

describe('an interrupted restore (stopAllWorkers, as `run` does on Ctrl-C)', () => {
  let work: {dir: string; cleanup: () => Promise<void>}
  beforeAll(async () => {
    work = await tempDir('holobench-stop-')
  })
  afterAll(() => work.cleanup())

  it('hang and late writes: the restore fails instead of waiting forever, and no worker writes once stopped', async () => {
    const source = join(work.dir, 'tree')
    for (let i = 0; i < 2000; i++) {
      await fsp.mkdir(join(source, `pkg${i % 20}`), {recursive: true})
      await fsp.writeFile(join(source, `pkg${i % 20}`, `mod${i}.py`), sourceText(i, 20 + (i % 30)))
    }
    const library = join(work.dir, 'lib')
    const {catalog} = await lift({source, library, codec: 'gzip', fsync: false})
    const target = join(work.dir, 'out')
    const tasks = await restoreTasks(catalog, library, target)
    let stopped: Promise<void> | undefined
    const error = await rejection(
      runOnWorkers(tasks, SETTINGS, {
        workers: 2,
        threads: 2,
        local: false,
        onBatch() {
          stopped ??= stopAllWorkers()
        },
      }),
    )
    expect(error.message).toMatch(/worker thread stopped/)
    await stopped
    const count = async () => (await Promise.all((await fsp.readdir(target)).map(async (d) => (await fsp.readdir(join(target, d))).length))).reduce((a, b) => a + b, 0)
    const written = await count()
    expect(written).toBeLessThan(tasks.length)
    await new Promise((done) => setTimeout(done, 300))
    expect(await count()).toBe(written)
    // The pool starts fresh workers afterwards: a later restore works.
    const again = await runOnWorkers(await restoreTasks(catalog, library, join(work.dir, 'again')), SETTINGS, {workers: 2, threads: 2, local: false})
    expect(again.written).toBe(tasks.length)
  }, 120_000)
})

describe('--jobs beyond the cores', () => {
  it('unbounded threads: a drop with --jobs 64 starts no more restore threads than there are cores', async () => {
    const {dir, cleanup} = await tempDir('holobench-jobs-')
    try {
      const source = join(dir, 'tree')
      await smallFilesTree(source)
      const {catalog} = await lift({source, library: join(dir, 'lib'), codec: 'zstd', fsync: false})
      expect(restoreJobs(64)).toBe(defaultJobs())
      expect(restoreJobs(1)).toBe(1)
      expect(restoreJobs()).toBe(defaultJobs())
      const threads = () => readdirSync('/proc/self/task').length
      const before = threads()
      const result = await drop({catalog, target: join(dir, 'out'), jobs: 64, durable: false})
      expect(result.written).toBe(300)
      // Other tests' idle workers may already exist; this drop adds at most one per core.
      expect(threads() - before).toBeLessThanOrEqual(defaultJobs())
    } finally {
      await cleanup()
    }
  })
})
