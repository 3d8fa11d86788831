/**
 * Migrating a real hololib: a real Python installation lifted with gzip (tens of thousands of
 * files), migrated to zstd in place, checked and dropped. Measures migrate against the shell
 * pipeline `gzip -dc | zstd -1` over the same library files, two processes (one per half of the
 * file list), as throughput of uncompressed bytes.
 *
 *   npm run build && npx tsx bench/migrate-real.ts [--prefix DIR] [--work DIR] [--runs N] [--jobs N] [--keep]
 *
 * --prefix: the tree to lift (default: python3's sys.prefix). --work: scratch directory (default
 * <tmpdir>/holobench-migrate-real; the gzip library is kept there and reused). Each run copies the
 * gzip library, then times, back to back: the pipeline, migrate (durable), the pipeline again,
 * migrate --no-fsync; then check and drop of the migrated library. The machine's other load
 * affects both sides alike, so runs alternate and medians are reported.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
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

function cli(argv: string[]): {seconds: number; json: Record<string, unknown>} {
  const started = performance.now()
  const result = spawnSync(process.execPath, [RUN, ...argv, '--json'], {encoding: 'utf8', maxBuffer: 1 << 30})
  const seconds = (performance.now() - started) / 1000
  if (result.status !== 0 && result.status !== 1) throw new Error(`holobench ${argv.join(' ')} failed (${result.status}): ${result.stderr}`)
  return {seconds, json: JSON.parse(result.stdout) as Record<string, unknown>}
}

function sh(script: string): number {
  const started = performance.now()
  execFileSync('sh', ['-c', script], {stdio: ['ignore', 'ignore', 'inherit']})
  return (performance.now() - started) / 1000
}

function freshCopy(): void {
  rmSync(scratch, {recursive: true, force: true})
  execFileSync('mkdir', ['-p', scratch])
  execFileSync('cp', ['-a', `${gzipLibrary}/.`, scratch])
  execFileSync('sync')
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
function pipeline([a, b]: [string, string]): number {
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
  filesSeconds?: number
  rawBytes: number
}

const rows: Row[] = []
let summary: Record<string, unknown> = {}
for (let run = 0; run < runs; run++) {
  for (const fsync of [true, false]) {
    freshCopy()
    const lists = fileLists()
    const migrateArgs = ['migrate', '--library', scratch, '--to', 'zstd', ...(fsync ? [] : ['--no-fsync']), ...(jobs ? ['--jobs', jobs] : [])]
    const pipe = pipeline(lists)
    const migrated = cli(migrateArgs)
    const r = migrated.json as {rawBytes: number; bytesBefore: number; bytesAfter: number; files: {total: number; migrated: number; failed: number}; phases: Array<{name: string; seconds: number}>; durability: string}
    const filesSeconds = r.phases.find((p) => p.name === 'files')?.seconds ?? migrated.seconds
    rows.push({what: 'gzip -dc | zstd -1 (2 processes)', seconds: pipe, rawBytes: r.rawBytes})
    rows.push({what: `holobench migrate --to zstd (${r.durability})`, seconds: migrated.seconds, filesSeconds, rawBytes: r.rawBytes})
    console.error(`run ${run + 1}, ${r.durability}: pipeline ${pipe.toFixed(2)} s, migrate ${migrated.seconds.toFixed(2)} s (files ${filesSeconds.toFixed(2)} s), ${r.files.migrated}/${r.files.total} files, ${(r.bytesBefore / 1e6).toFixed(1)} -> ${(r.bytesAfter / 1e6).toFixed(1)} MB`)
    if (fsync) {
      const checked = cli(['check', '--library', scratch])
      const catalog = readdirSync(join(scratch, 'catalog')).find((name) => /v12\.[^.]+$/.test(name))
      const target = join(work, 'drop', 'space')
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
console.log(`\n${prefix}: ${JSON.stringify(summary)}\n`)
console.log('| run | wall s | files phase s | MB/s (wall) | MB/s (files phase) | vs pipeline (wall) |')
console.log('|---|---:|---:|---:|---:|---:|')
for (const what of [...new Set(rows.map((row) => row.what))]) {
  const same = rows.filter((row) => row.what === what)
  const seconds = median(same.map((row) => row.seconds))
  const files = same[0].filesSeconds === undefined ? undefined : median(same.map((row) => row.filesSeconds as number))
  const wall = median(same.map((row) => mbps(row)))
  const phase = files === undefined ? undefined : median(same.map((row) => mbps(row, row.filesSeconds)))
  console.log(`| ${what} | ${seconds.toFixed(2)} | ${files?.toFixed(2) ?? '–'} | ${wall.toFixed(0)} | ${phase?.toFixed(0) ?? '–'} | ${(wall / pipeMBps).toFixed(2)}× |`)
}

if (!args.includes('--keep')) rmSync(scratch, {recursive: true, force: true})
