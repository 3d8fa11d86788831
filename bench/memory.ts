/**
 * Peak memory of lift and drop on a tree holding one big file (default 1.5 GiB), in every codec,
 * plus a library whose big file is one zstd frame written by the `zstd` CLI. Each operation runs
 * in a fresh process; the bound to hold is 512 MB RSS.
 *   npx tsx bench/memory.ts [--size-mib 1536] [--dir <scratch>] [--codecs gzip,gzip-pure,zstd,none]
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync, rmSync, writeFileSync, openSync, writeSync, closeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

const {values} = parseArgs({options: {'size-mib': {type: 'string', default: '1536'}, dir: {type: 'string', default: tmpdir()}, codecs: {type: 'string', default: 'gzip,gzip-pure,zstd,none'}}})
const sizeMiB = Number(values['size-mib'])
const repo = fileURLToPath(new URL('..', import.meta.url))
const work = join(values.dir as string, `holobench-memory-${process.pid}`)
const identity = 'h59acff1_493f813dad24d3t'
const tree = join(work, identity)
const LIMIT_MB = 512

function child(...args: string[]): {maxRssMB: number; seconds: number; detail: Record<string, unknown>} {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(repo, 'bench/rss-child.ts'), ...args], {cwd: repo, encoding: 'utf8'})
  return JSON.parse(out.trim().split('\n').pop() as string)
}

/** Compressible, not trivially so: repeated pseudo-text blocks with the identity now and then. */
function writeBigFile(path: string): void {
  const block = Buffer.alloc(1 << 20)
  let x = 12345
  for (let i = 0; i < block.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    block[i] = 97 + ((x >>> 16) % 16)
  }

  const fd = openSync(path, 'w')
  for (let i = 0; i < sizeMiB; i++) {
    if (i % 256 === 0) Buffer.from(identity).copy(block, 100)
    block[0] = i & 0xff
    writeSync(fd, block)
  }

  closeSync(fd)
}

rmSync(work, {recursive: true, force: true})
// Ctrl-C or a kill runs no finally block: the 1.5 GiB tree and its copies would stay behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    rmSync(work, {recursive: true, force: true})
    process.exit(130)
  })
}
mkdirSync(join(tree, 'lib'), {recursive: true})
writeFileSync(join(tree, 'lib', 'small.py'), `# ${identity}\nprint('hello')\n`)
writeBigFile(join(tree, 'lib', 'big.bin'))
const rows: Array<{case: string; maxRssMB: number; seconds: number}> = []
try {
  for (const codec of (values.codecs as string).split(',')) {
    const lifted = child('lift', tree, join(work, `lib-${codec}`), codec)
    rows.push({case: `lift ${codec}`, maxRssMB: lifted.maxRssMB, seconds: lifted.seconds})
    const dropped = child('drop', lifted.detail.catalog as string, join(work, `out-${codec}`, identity))
    rows.push({case: `drop ${codec}`, maxRssMB: dropped.maxRssMB, seconds: dropped.seconds})
    rmSync(join(work, `out-${codec}`), {recursive: true, force: true})
    if (codec !== 'zstd') rmSync(join(work, `lib-${codec}`), {recursive: true, force: true})
  }

  // A library written by another tool: the zstd CLI, one frame for the whole big file.
  const foreign = join(work, 'lib-zstd-cli')
  const catalog = execFileSync('python3', [join(repo, 'test/fixtures/make-hololib.py'), tree, foreign, '--codec', 'zstd', '--zstd-args=-1 --single-thread'], {encoding: 'utf8'}).trim()
  for (const backend of JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/engine/codec/index.ts').then(m => console.log(JSON.stringify(m.availableZstdBackends())))"], {cwd: repo, encoding: 'utf8'}))) {
    const dropped = child('drop', catalog, join(work, 'out-cli', identity), backend)
    rows.push({case: `drop zstd-CLI single frame (${backend})`, maxRssMB: dropped.maxRssMB, seconds: dropped.seconds})
    rmSync(join(work, 'out-cli'), {recursive: true, force: true})
  }
} finally {
  rmSync(work, {recursive: true, force: true})
}

console.log(`Node ${process.version}, big file ${sizeMiB} MiB, limit ${LIMIT_MB} MB`)
for (const row of rows) console.log(`${row.case.padEnd(40)} ${row.maxRssMB.toFixed(0).padStart(6)} MB  ${row.seconds.toFixed(1).padStart(6)} s  ${row.maxRssMB < LIMIT_MB ? 'ok' : 'OVER'}`)
process.exitCode = rows.every((row) => row.maxRssMB < LIMIT_MB) ? 0 : 1
