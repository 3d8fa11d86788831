/**
 * Bad input, table-driven, against real `bin/run.js` processes (issue 14): every case gives its
 * input, the exit code, the words the message must hold, and what must stay unwritten (a target
 * or library that must not appear, a library that must be byte-for-byte unchanged).
 */
import {spawnSync} from 'node:child_process'
import {existsSync, promises as fsp} from 'node:fs'
import {join} from 'node:path'
import {gunzipSync, gzipSync} from 'node:zlib'

import {beforeAll, describe, expect, it} from 'vitest'

import {lift} from '../src/engine/lift.js'
import {cli} from './helpers/cli.js'
import type {CliResult} from './helpers/cli.js'
import {snapshotFiles} from './helpers/hololib.js'
import {IDENTITY, OTHER_IDENTITY, useSampleTree} from './helpers/tree.js'

const work = useSampleTree()
/** A gzip library lifted from the sample tree once; every case works on its own copy. */
let base = ''
let baseCatalog = ''
let caseNumber = 0

beforeAll(async () => {
  base = join(work.dir, 'base-lib')
  baseCatalog = (await lift({source: work.source, library: base, codec: 'gzip', fsync: false})).catalog
})

interface Case {
  /** A fresh directory for the case, with `lib`, a copy of the base library, and its catalog. */
  dir: string
  lib: string
  catalog: string
  /** Where a restore would go (never created by a refused command). */
  target: string
}

async function freshCase(): Promise<Case> {
  const dir = join(work.dir, `case-${++caseNumber}`)
  const lib = join(dir, 'lib')
  await fsp.cp(base, lib, {recursive: true})
  return {dir, lib, catalog: join(lib, 'catalog', baseCatalog.split('/').pop() as string), target: join(dir, 'out', OTHER_IDENTITY)}
}

type Json = Record<string, unknown> & {tree: Dir; identity: string}
type Dir = {files: Record<string, Record<string, unknown>>; subdirs: Record<string, Dir>}

/** Rewrite the case's catalog through `edit` (of its parsed JSON), gzip as RCC stores it. */
async function editCatalog(c: Case, edit: (json: Json) => void, text: (json: string) => string = (json) => json): Promise<void> {
  const json = JSON.parse(gunzipSync(await fsp.readFile(c.catalog)).toString('utf8')) as Json
  edit(json)
  await fsp.writeFile(c.catalog, gzipSync(text(JSON.stringify(json))))
}

/** A file entry of the sample tree's catalog by its path. */
function entry(json: Json, rel: string): Record<string, unknown> {
  const parts = rel.split('/')
  let dir = json.tree
  for (const part of parts.slice(0, -1)) dir = dir.subdirs[part]
  return dir.files[parts[parts.length - 1]]
}

const MODULE = 'lib/python3.12/site-packages/pkg/mod0.py'
const RELOCATED = 'bin/activate'

interface Row {
  name: string
  /** Prepares the case; returns the command line (and whether it must run with --json). */
  setup: (c: Case) => Promise<string[]>
  exit: number
  words: string[]
  /** Paths that must not exist afterwards (default: the case's target). */
  absent?: (c: Case) => string[]
  /** Keep the library byte-for-byte unchanged (default true). */
  libraryUnchanged?: boolean
}

const drop = (c: Case, ...more: string[]) => ['drop', c.catalog, '--target', c.target, ...more]
const entryValue = (rel: string, field: string, value: unknown) => async (c: Case) => {
  await editCatalog(c, (json) => {
    entry(json, rel)[field] = value
  })
  return drop(c)
}

/** Invalid catalog values (item 5): refused before the first write, naming the entry; exit 2. */
const invalidValues: Row[] = [
  ...[-1, 1.5, 2 ** 32, '420', null].map((mode) => ({name: `file mode ${JSON.stringify(mode)}`, setup: entryValue(MODULE, 'mode', mode), exit: 2, words: ['EINPUT', MODULE, 'mode', String(JSON.stringify(mode))]})),
  ...[-1, 1.5, '12'].map((size) => ({name: `size ${JSON.stringify(size)}`, setup: entryValue(MODULE, 'size', size), exit: 2, words: ['EINPUT', MODULE, 'size']})),
  {name: 'negative offset', setup: entryValue(RELOCATED, 'rewrite', [-1]), exit: 2, words: ['EINPUT', RELOCATED, 'offset -1']},
  {name: 'fractional offset', setup: entryValue(RELOCATED, 'rewrite', [2.5]), exit: 2, words: ['EINPUT', RELOCATED, 'offset 2.5']},
  {name: 'unsorted offsets', setup: entryValue(RELOCATED, 'rewrite', [40, 12]), exit: 2, words: ['EINPUT', RELOCATED, 'out of order']},
  {
    name: 'offset past the end by the identity length',
    setup: async (c) => (await editCatalog(c, (json) => Object.assign(entry(json, RELOCATED), {rewrite: [(entry(json, RELOCATED).size as number) - IDENTITY.length + 1]})), drop(c)),
    exit: 2,
    words: ['EINPUT', RELOCATED, 'run past'],
  },
  {name: 'digest not hex', setup: entryValue(MODULE, 'digest', 'zz'.repeat(32)), exit: 2, words: ['EINPUT', MODULE, 'digest']},
  {name: 'digest of upper-case hex', setup: entryValue(MODULE, 'digest', 'AB'.repeat(32)), exit: 2, words: ['EINPUT', MODULE, 'digest']},
  {name: 'directory mode NaN-ish (a string)', setup: async (c) => (await editCatalog(c, (json) => Object.assign(json.tree.subdirs.bin, {mode: 'NaN'})), drop(c)), exit: 2, words: ['EINPUT', 'entry bin', 'mode']},
]

/** Usage errors (item 7): exit 2, one clear message, nothing written. */
const usage: Row[] = [
  {name: 'lift without --library', setup: async () => ['lift', work.source], exit: 2, words: ['EUSAGE', 'library']},
  {name: 'drop without --target', setup: async (c) => ['drop', c.catalog], exit: 2, words: ['EUSAGE', 'target']},
  {name: 'lift of a missing directory', setup: async (c) => ['lift', join(c.dir, 'nope'), '--library', join(c.dir, 'new-lib')], exit: 2, words: ['nope'], absent: (c) => [join(c.dir, 'new-lib')]},
  {name: 'drop of a missing catalog', setup: async (c) => ['drop', join(c.lib, 'catalog', 'nonev12.linux_amd64'), '--target', c.target], exit: 2, words: ['EUSAGE', 'No catalog at', 'catalog/']},
  {name: 'inspect of a missing path', setup: async (c) => ['inspect', join(c.dir, 'nope')], exit: 2, words: ['nope']},
  {name: 'check of a missing library', setup: async (c) => ['check', '--library', join(c.dir, 'nope')], exit: 2, words: ['not a hololib']},
  {name: 'migrate of a missing library', setup: async (c) => ['migrate', '--library', join(c.dir, 'nope'), '--to', 'zstd'], exit: 2, words: ['not a hololib'], absent: (c) => [join(c.dir, 'nope')]},
  {name: 'report of a missing results file', setup: async (c) => ['report', join(c.dir, 'nope.json'), '--out', join(c.dir, 'report')], exit: 2, words: ['nope.json'], absent: (c) => [join(c.dir, 'report')]},
  {name: 'gate with a missing baseline and results', setup: async (c) => ['gate', '--baseline', join(c.dir, 'b.json'), '--current', join(c.dir, 'c.json')], exit: 2, words: ['b.json']},
  {name: 'a catalog given as --library (drop)', setup: async (c) => drop(c, '--library', c.catalog), exit: 2, words: ['EUSAGE', 'is a file', 'hololib root'], absent: (c) => [join(c.dir, 'out')]},
  {name: 'a catalog given as --library (lift)', setup: async (c) => ['lift', work.source, '--library', c.catalog], exit: 2, words: ['EUSAGE', 'is a file', 'hololib root']},
  {name: 'a catalog given as --library (check)', setup: async (c) => ['check', '--library', c.catalog], exit: 2, words: ['EUSAGE', 'not a hololib']},
  {name: 'a catalog given as --library (migrate)', setup: async (c) => ['migrate', '--library', c.catalog, '--to', 'zstd'], exit: 2, words: ['EUSAGE', 'not a hololib', 'hololib root']},
  {name: 'a library given as the catalog', setup: async (c) => ['drop', c.lib, '--target', c.target], exit: 2, words: ['EUSAGE', 'is a hololib, not a catalog file', 'catalog/']},
  {name: "a library's catalog/ directory given as the catalog", setup: async (c) => ['drop', join(c.lib, 'catalog'), '--target', c.target], exit: 2, words: ['EUSAGE', 'not a catalog file', 'for example']},
  {name: "inspect of a catalog's .info file", setup: async (c) => ['inspect', `${c.catalog}.info`], exit: 2, words: ['EUSAGE', '.info', 'pass the catalog beside it']},
  {name: 'inspect of a text file', setup: async (c) => (await fsp.writeFile(join(c.dir, 'notes.txt'), 'hello\n'), ['inspect', join(c.dir, 'notes.txt')]), exit: 2, words: ['EUSAGE', 'not a catalog', 'neither gzip, zstd nor JSON']},
  {name: 'drop of a text file', setup: async (c) => (await fsp.writeFile(join(c.dir, 'notes.txt'), 'hello\n'), ['drop', join(c.dir, 'notes.txt'), '--target', c.target]), exit: 2, words: ['EUSAGE', 'not a catalog']},
]

/** `check` finds what drop fails on (item 1): exit 1, the catalog and the entry named. */
const checkFinds: Row[] = [
  {
    name: 'check: a size that disagrees with the content (digest right)',
    setup: async (c) => (await editCatalog(c, (json) => Object.assign(entry(json, MODULE), {size: (entry(json, MODULE).size as number) + 1})), ['check', '--library', c.lib]),
    exit: 1,
    words: [MODULE, 'says', 'bytes', 'cannot be restored'],
  },
  {
    name: 'check: a relocation offset past the end of the content',
    setup: async (c) =>
      (await editCatalog(c, (json) => {
        const e = entry(json, MODULE)
        Object.assign(e, {size: (e.size as number) + 100, rewrite: [(e.size as number) + 10]})
      }),
      ['check', '--library', c.lib]),
    exit: 1,
    words: [MODULE, 'relocation at offset', "content's end"],
  },
  ...[
    ['mode', 'mode', -1],
    ['size', 'size', -5],
    ['offsets', 'rewrite', [3, 1]],
    ['digest form', 'digest', 'not-hex'],
  ].map(([what, field, value]) => ({
    name: `check: an invalid ${what as string}`,
    setup: async (c: Case) => (await editCatalog(c, (json) => Object.assign(entry(json, RELOCATED), {[field as string]: value})), ['check', '--library', c.lib]),
    exit: 1,
    words: ['unreadable catalog', 'EINPUT', RELOCATED],
  })),
  {
    name: 'drop: the same wrong size blames the catalog entry, not the library file',
    setup: async (c) => (await editCatalog(c, (json) => Object.assign(entry(json, MODULE), {size: (entry(json, MODULE).size as number) + 1})), drop(c)),
    exit: 2,
    words: ['EINPUT', 'Catalog entry', MODULE, 'the catalog is wrong'],
    absent: () => [],
  },
]

/** Deep nesting (item 5): refused with a limit, never a stack overflow. */
const deep: Row[] = (['drop', 'inspect', 'check', 'migrate'] as const).map((command) => ({
  name: `20,000 nested directories in a catalog: ${command}`,
  setup: async (c: Case) => {
    // Written as text: JSON.stringify itself overflows the stack on 20,000 levels.
    const nested = `${'{"name":"d","mode":2147484141,"files":{},"subdirs":{"d":'.repeat(20_000)}{"name":"leaf","mode":2147484141,"subdirs":{},"files":{}}${'}}'.repeat(20_000)}`
    await editCatalog(
      c,
      (json) => Object.assign(json.tree.subdirs, {d: 'DEEP'}),
      (text) => text.replace('"DEEP"', nested),
    )
    return {drop: drop(c), inspect: ['inspect', c.catalog], check: ['check', '--library', c.lib], migrate: ['migrate', '--library', c.lib, '--to', 'zstd']}[command]
  },
  // check and migrate work on a whole library: they report the catalog they cannot read and exit 1.
  exit: command === 'check' || command === 'migrate' ? 1 : 2,
  words: ['directories deep'],
  libraryUnchanged: command !== 'migrate',
}))

async function runRow(row: Row, json: boolean): Promise<void> {
  const c = await freshCase()
  const args = await row.setup(c)
  const before = await snapshotFiles(c.lib)
  const result = await cli(json ? [...args, '--json'] : args)
  const text = json ? result.stdout : result.stderr + result.stdout
  expect(result.code, `${args.join(' ')}\n${result.stderr}${result.stdout}`).toBe(row.exit)
  for (const word of row.words) expect(text.replace(/\s+›\s+/g, ' '), `"${word}" missing`).toContain(word)
  expect(text).not.toContain('Maximum call stack')
  if (json && row.exit !== 0) assertSmallJsonError(result, row.exit)
  for (const path of row.absent ? row.absent(c) : [c.target]) expect(existsSync(path), `${path} was written`).toBe(false)
  if (row.libraryUnchanged !== false) expect(await snapshotFiles(c.lib)).toEqual(before)
}

/** One small JSON object, the same shape for every command and error, with no internals. */
function assertSmallJsonError(result: CliResult, exit: number): void {
  expect(result.stdout.length).toBeLessThan(4000)
  const body = JSON.parse(result.stdout) as {error: {code: string; message: string; exit: number}}
  expect(Object.keys(body)).toEqual(['error'])
  expect(body.error.exit).toBe(exit)
  expect(body.error.code).toMatch(/^E[A-Z_]+$/)
  expect(typeof body.error.message).toBe('string')
  expect(result.stdout).not.toContain('"parse"')
  expect(result.stdout).not.toContain('"config"')
}

describe('bad input from the command line (exit code, message, nothing written)', () => {
  describe.each([
    ['invalid catalog values', invalidValues],
    ['usage errors', usage],
    ['check finds what drop fails on', checkFinds],
    ['deep nesting', deep],
  ] as const)('%s', (_group, rows) => {
    it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => runRow(row, false))
  })

  it.each(usage.filter((row) => ['lift without --library', 'drop without --target', 'a library given as the catalog'].includes(row.name)).map((row) => [row.name, row] as const))(
    '--json: %s is one small error object',
    async (_name, row) => runRow(row, true),
  )
})

/** Lift refuses what a catalog cannot hold (items 4, 5), before the library exists. */
const liftRefusals: Row[] = [
  {
    name: 'lift: a file name that is not UTF-8 (caf\\xe9.txt)',
    setup: async (c) => {
      const tree = join(c.dir, IDENTITY)
      await fsp.mkdir(tree, {recursive: true})
      await fsp.writeFile(Buffer.from(`${tree}/caf\xe9.txt`, 'latin1'), 'bonjour\n')
      return ['lift', tree, '--library', join(c.dir, 'new-lib')]
    },
    exit: 2,
    words: ['EINPUT', 'not valid UTF-8', 'caf\\xe9.txt'],
    absent: (c) => [join(c.dir, 'new-lib')],
  },
  {
    name: 'lift: 1,100 nested directories',
    setup: async (c) => {
      const tree = join(c.dir, IDENTITY)
      await fsp.mkdir(join(tree, ...Array.from({length: 1100}, () => 'd')), {recursive: true})
      return ['lift', tree, '--library', join(c.dir, 'new-lib')]
    },
    exit: 2,
    words: ['EINPUT', 'directories deep'],
    absent: (c) => [join(c.dir, 'new-lib')],
  },
]

describe('lift refuses names and depths a catalog cannot hold', () => {
  it.each(liftRefusals.map((row) => [row.name, row] as const))('%s', async (_name, row) => runRow(row, false))
})

describe('names as Go decodes them (item 4)', () => {
  it('a catalog name with a lone surrogate escape restores as U+FFFD and a second restore writes nothing', async () => {
    const c = await freshCase()
    await editCatalog(
      c,
      (json) => {
        const dir = json.tree.subdirs.lib.subdirs['python3.12'].subdirs['site-packages'].subdirs.pkg
        dir.files.LONE = {...dir.files['mod0.py'], name: 'LONE'}
      },
      // JSON.stringify writes a lone surrogate as the escape \udc80, as the catalog has it.
      (text) => text.replaceAll('"LONE"', JSON.stringify('x\udc80.py')),
    )
    const first = await cli(['drop', c.catalog, '--target', c.target, '--json'])
    expect(first.code, first.stderr).toBe(0)
    const names = await fsp.readdir(join(c.target, 'lib/python3.12/site-packages/pkg'), {encoding: 'buffer'})
    expect(names.map((n) => n.toString('hex'))).toContain(Buffer.from('x\ufffd.py').toString('hex'))
    const second = await cli(['drop', c.catalog, '--target', c.target, '--json'])
    expect(second.code, second.stderr).toBe(0)
    expect(JSON.parse(second.stdout)).toMatchObject({written: 0, removed: 0})
  })
})

describe('errors that say what happened (item 6)', () => {
  const root = process.getuid?.() === 0
  let mountable = false
  beforeAll(() => {
    if (!root) return
    const probe = join(work.dir, 'mount-probe')
    spawnSync('mkdir', ['-p', probe])
    mountable = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0
    if (mountable) spawnSync('umount', [probe])
    if (!mountable) console.log('mount tests skipped: tmpfs cannot be mounted here (needs root and mount rights)')
  })

  async function withMount(dir: string, options: string, body: () => Promise<void>): Promise<void> {
    await fsp.mkdir(dir, {recursive: true})
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]).status).toBe(0)
    try {
      await body()
    } finally {
      spawnSync('umount', [dir])
    }
  }

  it('a read-only mount is EROFS naming the path, not ENOENT … mkdir', async (ctx) => {
    if (!mountable) return ctx.skip()
    const c = await freshCase()
    const ro = join(c.dir, 'ro')
    await withMount(ro, 'ro,size=64k', async () => {
      const result = await cli(['drop', c.catalog, '--target', join(ro, 'space', OTHER_IDENTITY)])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('EROFS')
      expect(result.stderr).toContain('read-only file system')
      expect(result.stderr).toContain(join(ro, 'space'))
      expect(result.stderr).not.toContain('ENOENT')
    })
  })

  it('ENOSPC during drop names the catalog entry and the file', async (ctx) => {
    if (!mountable) return ctx.skip()
    const c = await freshCase()
    const small = join(c.dir, 'small')
    await withMount(small, 'size=12k', async () => {
      const result = await cli(['drop', c.catalog, '--target', join(small, OTHER_IDENTITY)])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('ENOSPC')
      expect(result.stderr).toMatch(/catalog entry \S+/i)
      expect(result.stderr).toContain(join(small, OTHER_IDENTITY))
    })
  })

  it('a catalog that cannot be read for permission is EACCES (exit 1), not ECORRUPT', async (ctx) => {
    const c = await freshCase()
    await fsp.chmod(c.catalog, 0)
    // root reads any file: run as nobody there (setpriv), and let nobody reach the case directory.
    const asNobody = root && spawnSync('setpriv', ['--version']).status === 0
    if (root && !asNobody) return ctx.skip('running as root without setpriv: root reads any file')
    const bin = join(import.meta.dirname, '../bin/run.js')
    if (asNobody && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'test', '-r', bin]).status !== 0) {
      return ctx.skip(`"nobody" cannot read ${bin} (a parent directory of the clone is closed to other users)`)
    }
    if (asNobody) for (let dir = c.dir; dir.startsWith(work.dir); dir = join(dir, '..')) await fsp.chmod(dir, 0o755)
    const command = [process.execPath, bin, 'inspect', c.catalog]
    const run = asNobody ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...command], {encoding: 'utf8'}) : spawnSync(command[0], command.slice(1), {encoding: 'utf8'})
    expect(run.status, run.stderr).toBe(1)
    expect(run.stderr).toContain('EACCES')
    expect(run.stderr).toContain('permission denied')
    expect(run.stderr).not.toContain('ECORRUPT')
  })

  it('hard links across file systems: the library and the target must be on one file system', async (ctx) => {
    const shm = '/dev/shm'
    const {dev: tmpDev} = await fsp.stat(work.dir)
    const shmDev = await fsp.stat(shm).then((s) => s.dev, () => tmpDev)
    if (shmDev === tmpDev) return ctx.skip()
    const lib = join(work.dir, 'lib-none-xdev')
    const {catalog} = await lift({source: work.source, library: lib, codec: 'none', fsync: false})
    const scratch = await fsp.mkdtemp(join(shm, 'holobench-xdev-'))
    try {
      const result = await cli(['drop', catalog, '--target', join(scratch, IDENTITY), '--strategy', 'hardlink'])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('ENOTSUP_STRATEGY')
      expect(result.stderr).toContain('one file system')
      expect(result.stderr).not.toContain('XFS with reflink')
    } finally {
      await fsp.rm(scratch, {recursive: true, force: true})
    }
  })

  it('FIFOs and sockets are reported as skipped, on stderr and in --json', async () => {
    const c = await freshCase()
    const tree = join(c.dir, IDENTITY)
    await fsp.mkdir(tree, {recursive: true})
    await fsp.writeFile(join(tree, 'a.txt'), 'a\n')
    expect(spawnSync('mkfifo', [join(tree, 'pipe')]).status).toBe(0)
    const server = (await import('node:net')).createServer().listen(join(tree, 'sock'))
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const text = await cli(['lift', tree, '--library', join(c.dir, 'lib-text')])
      expect(text.code, text.stderr).toBe(0)
      expect(text.stderr).toContain(`skipped ${join(tree, 'pipe')}: a named pipe (FIFO)`)
      expect(text.stderr).toContain(`skipped ${join(tree, 'sock')}: a socket`)
      const json = await cli(['lift', tree, '--library', join(c.dir, 'lib-json'), '--json'])
      expect(JSON.parse(json.stdout).skipped).toEqual([
        {path: join(tree, 'pipe'), reason: expect.stringContaining('FIFO')},
        {path: join(tree, 'sock'), reason: expect.stringContaining('socket')},
      ])
    } finally {
      server.close()
    }
  })
})

describe('lift does not reuse a damaged library file (item 2)', () => {
  /** The biggest library file, so every kind of damage changes it. */
  async function biggestLibraryFile(lib: string): Promise<string> {
    const files = (await fsp.readdir(join(lib, 'library'), {recursive: true, withFileTypes: true})).filter((e) => e.isFile() && /^[0-9a-f]{32,64}$/.test(e.name))
    const sized = await Promise.all(files.map(async (e) => ({path: join(e.parentPath, e.name), size: (await fsp.stat(join(e.parentPath, e.name))).size})))
    return sized.sort((a, b) => b.size - a.size)[0].path
  }

  const damages = [
    ['emptied', (data: Buffer) => data.subarray(0, 0)],
    ['truncated', (data: Buffer) => data.subarray(0, data.length - 9)],
    ['cut to its header', (data: Buffer) => data.subarray(0, 10)],
  ] as const
  it.each((['gzip', 'zstd', 'none'] as const).flatMap((codec) => damages.map(([name, damage]) => [codec, name, damage] as const)))(
    '%s, %s: lift stores it again and reports it; the catalog restores',
    async (codec, _name, damage) => {
      const c = await freshCase()
      const lib = join(c.dir, `lib-${codec}`)
      const {catalog} = await lift({source: work.source, library: lib, codec, fsync: false})
      const path = await biggestLibraryFile(lib)
      await fsp.writeFile(path, damage(await fsp.readFile(path)))
      const again = await lift({source: work.source, library: lib, codec, fsync: false})
      expect(again.replaced.map((r) => r.path)).toEqual([path])
      const {drop} = await import('../src/engine/drop.js')
      const restored = await drop({catalog, target: join(c.dir, 'out', OTHER_IDENTITY)})
      expect(restored.written).toBe(again.files)
    },
  )

  it('the command says so on stderr, and the library ends as it was before the damage', async () => {
    const c = await freshCase()
    const path = await biggestLibraryFile(c.lib)
    await fsp.writeFile(path, '')
    const text = await cli(['lift', work.source, '--library', c.lib, '--codec', 'gzip'])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stderr).toContain(`library file ${path} is empty: stored it again`)
    expect(await snapshotFiles(c.lib)).toEqual(await snapshotFiles(base))
  })
})
