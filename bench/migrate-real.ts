/**
 * Migrating a real hololib: a real Python installation lifted with gzip (tens of thousands of
 * files), migrated to zstd in place, checked and dropped. Measures migrate against the shell
 * pipeline `gzip -dc | zstd -1` over the same library files, two processes (one per half of the
 * file list), as throughput of uncompressed bytes.
 *
 *   npm run build && npx tsx bench/migrate-real.ts [--prefix DIR] [--work DIR] [--runs N] [--jobs N] [--durability syncfs,fsync,none] [--keep]
 *
 * --prefix: the tree to lift (default: python3's sys.prefix). --work: scratch directory (default
 * <tmpdir>/holobench-migrate-real; the gzip library is kept there and reused). For each durability
 * (syncfs: batched, the default; fsync: each file; none: --no-fsync) a run copies the gzip
 * library, syncs and lets the filesystem settle (ext4 skips recently freed inodes for a while
 * after mass deletions, which would penalise only the side that creates files), then times the
 * pipeline and migrate back to back; the first run also checks and drops the migrated library.
 * Wall and CPU (user + sys) seconds are reported: on a shared machine CPU time is the steadier.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const args = process.argv.slice(2)
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}

const REPO = fileURLToPath(new URL('../', import.meta.url))
const RUN = join(REPO, 'bin/run.js')
const prefix = resolve(option('prefix', execFileSync('python3', ['-c', 'import sys; print(sys.prefix)'], {encoding: 'utf8'}).trim()))
const work = resolve(option('work', join(tmpdir(), 'holobench-migrate-real')))
const runs = Number(option('runs', '1'))
const jobs = option('jobs', '')
const gzipLibrary = join(work, 'lib-gzip')
const scratch = join(work, 'lib-run')

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

interface Timed {
  seconds: number
  /** user + sys seconds of the process and its children, where /usr/bin/time is there. */
  cpu?: number
}

/** Run a program, timing wall and CPU; stdout is returned. */
function timed(file: string, argv: string[], input?: string): Timed & {stdout: string; status: number | null; stderr: string} {
  const started = performance.now()
  const result = TIME
    ? spawnSync(TIME, ['-f', '@@time %U %S', file, ...argv], {encoding: 'utf8', maxBuffer: 1 << 30, input})
    : spawnSync(file, argv, {encoding: 'utf8', maxBuffer: 1 << 30, input})
  const seconds = (performance.now() - started) / 1000
  const match = /@@time ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr)
  return {seconds, cpu: match ? Number(match[1]) + Number(match[2]) : undefined, stdout: result.stdout, status: result.status, stderr: result.stderr}
}

function cli(argv: string[]): Timed & {json: Record<string, unknown>} {
  const result = timed(process.execPath, [RUN, ...argv, '--json'])
  if (result.status !== 0 && result.status !== 1) throw new Error(`holobench ${argv.join(' ')} failed (${result.status}): ${result.stderr}`)
  return {seconds: result.seconds, cpu: result.cpu, json: JSON.parse(result.stdout) as Record<string, unknown>}
}

function sh(script: string): Timed {
  const result = timed('sh', ['-c', script])
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`)
  return result
}

function freshCopy(): void {
  rmSync(scratch, {recursive: true, force: true})
  execFileSync('mkdir', ['-p', scratch])
  execFileSync('cp', ['-a', `${gzipLibrary}/.`, scratch])
  execFileSync('sync')
  // ext4 skips inodes freed in the last few seconds when allocating (longer while the inode table
  // block is dirty): after the sync, let the mass deletion of the previous copy age out.
  execFileSync('sleep', ['8'])
}

/** The library files split in two lists, for two pipelines side by side. */
function fileLists(): [string, string] {
  const files = readdirSync(join(scratch, 'library'), {recursive: true, encoding: 'utf8'})
    .map((rel) => join(scratch, 'library', rel))
    .filter((path) => statSync(path).isFile())
  const half = Math.ceil(files.length / 2)
  const a = join(work, 'files.a')
  const b = join(work, 'files.b')
  writeFileSync(a, files.slice(0, half).join('\n') + '\n')
  writeFileSync(b, files.slice(half).join('\n') + '\n')
  return [a, b]
}

/** Two `xargs cat | gzip -dc | zstd -1` pipelines at once, output discarded. */
function pipeline([a, b]: [string, string]): Timed {
  // Warm the page cache first, as migrate finds it after the copy.
  sh(`xargs cat < ${a} > /dev/null; xargs cat < ${b} > /dev/null`)
  const one = (list: string) => `(xargs cat < ${list} | gzip -dc | zstd -1 -q -c > /dev/null)`
  return sh(`${one(a)} & ${one(b)} & wait`)
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

if (!existsSync(join(REPO, 'dist/commands/migrate.js'))) throw new Error('run `npm run build` first')
if (!existsSync(join(gzipLibrary, 'catalog'))) {
  console.error(`lifting ${prefix} into ${gzipLibrary} (gzip)…`)
  const lifted = cli(['lift', prefix, '--library', gzipLibrary, '--codec', 'gzip', '--no-fsync'])
  console.error(`  ${lifted.json.files} files, ${((lifted.json.bytes as number) / 1e6).toFixed(0)} MB in ${lifted.seconds.toFixed(1)} s`)
}

interface Row {
  what: string
  seconds: number
  cpu?: number
  filesSeconds?: number
  rawBytes: number
}

const rows: Row[] = []
let summary: Record<string, unknown> = {}
for (let run = 0; run < runs; run++) {
  for (const durability of option('durability', 'syncfs,fsync,none').split(',')) {
    freshCopy()
    const lists = fileLists()
    const pipe = pipeline(lists)
    const migrated = cli(['migrate', '--library', scratch, '--to', 'zstd', '--durability', durability, ...(jobs ? ['--jobs', jobs] : [])])
    const r = migrated.json as {rawBytes: number; bytesBefore: number; bytesAfter: number; files: {total: number; migrated: number; failed: number}; phases: Array<{name: string; seconds: number}>; durability: string}
    const filesSeconds = r.phases.find((p) => p.name === 'files')?.seconds ?? migrated.seconds
    rows.push({what: 'gzip -dc \\| zstd -1 (2 processes)', seconds: pipe.seconds, cpu: pipe.cpu, rawBytes: r.rawBytes})
    rows.push({what: `holobench migrate --to zstd (durability ${r.durability})`, seconds: migrated.seconds, cpu: migrated.cpu, filesSeconds, rawBytes: r.rawBytes})
    console.error(
      `run ${run + 1}, ${r.durability}: pipeline ${pipe.seconds.toFixed(2)} s (cpu ${pipe.cpu?.toFixed(2)}), migrate ${migrated.seconds.toFixed(2)} s (files ${filesSeconds.toFixed(2)} s, cpu ${migrated.cpu?.toFixed(2)}), ` +
        `${r.files.migrated}/${r.files.total} files, ${(r.bytesBefore / 1e6).toFixed(1)} -> ${(r.bytesAfter / 1e6).toFixed(1)} MB`,
    )
    if (run === 0 && durability === 'syncfs') {
      const checked = cli(['check', '--library', scratch])
      const catalog = readdirSync(join(scratch, 'catalog')).find((name) => /v12\.[^.]+$/.test(name))
      // Relocations need a target name as long as the lifted tree's (its basename is the identity).
      const target = join(work, 'drop', basename(prefix))
      rmSync(join(work, 'drop'), {recursive: true, force: true})
      const dropped = catalog ? cli(['drop', join(scratch, 'catalog', catalog), '--target', target]) : undefined
      summary = {
        files: r.files,
        bytesBefore: r.bytesBefore,
        bytesAfter: r.bytesAfter,
        rawBytes: r.rawBytes,
        checkSeconds: checked.seconds,
        checkOk: checked.json.ok,
        dropSeconds: dropped?.seconds,
        dropWritten: dropped?.json.written,
      }
      rmSync(join(work, 'drop'), {recursive: true, force: true})
    }
  }
}

const mbps = (row: Row, seconds = row.seconds) => row.rawBytes / seconds / 1e6
const pipeRows = rows.filter((row) => row.what.startsWith('gzip'))
const pipeMBps = median(pipeRows.map((row) => mbps(row)))
const pipeCpu = median(pipeRows.map((row) => row.cpu ?? Number.NaN))
console.log(`\n${prefix}: ${JSON.stringify(summary)}\n`)
console.log('| what | wall s | files phase s | CPU s (user+sys) | MB/s uncompressed (wall) | vs pipeline (wall) | CPU vs pipeline |')
console.log('|---|---:|---:|---:|---:|---:|---:|')
for (const what of [...new Set(rows.map((row) => row.what))]) {
  const same = rows.filter((row) => row.what === what)
  const seconds = median(same.map((row) => row.seconds))
  const files = same[0].filesSeconds === undefined ? undefined : median(same.map((row) => row.filesSeconds as number))
  const cpu = median(same.map((row) => row.cpu ?? Number.NaN))
  const wall = median(same.map((row) => mbps(row)))
  console.log(`| ${what} | ${seconds.toFixed(2)} | ${files?.toFixed(2) ?? '–'} | ${cpu.toFixed(2)} | ${wall.toFixed(0)} | ${(wall / pipeMBps).toFixed(2)}× | ${(cpu / pipeCpu).toFixed(2)}× |`)
}

if (!args.includes('--keep')) rmSync(scratch, {recursive: true, force: true})
