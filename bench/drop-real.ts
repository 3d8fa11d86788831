/**
 * Drop times of one real tree, the CPython standard library of this machine's Python (without
 * site-packages), for gzip, zstd, zstd without verify and none, beside the in-process floor and
 * `cp -a`, into tmpfs (so the codec, not the disk, is measured) and into the disk.
 *   npx tsx bench/drop-real.ts [--tree <dir>] [--runs 10] [--tmpfs /dev/shm] [--disk <dir>]
 * Targets on tmpfs (issue 2): zstd ≤ 0.5× gzip and ≤ 1.5× `cp -a`.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {runBenchmark} from '../src/bench/runner.js'
import {renderSummary} from '../src/bench/summary.js'
import type {ResultsFile, VariantResult} from '../src/bench/results.js'
import {defaultJobs} from '../src/engine/jobs.js'

const {values} = parseArgs({
  options: {
    tree: {type: 'string'},
    runs: {type: 'string', default: '10'},
    tmpfs: {type: 'string', default: '/dev/shm'},
    disk: {type: 'string', default: tmpdir()},
    out: {type: 'string'},
  },
})

/** The stdlib without site-packages, copied once under corpora/ (a build output). */
function stdlibCorpus(): string {
  const stdlib = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], {encoding: 'utf8'}).trim()
  const corpus = fileURLToPath(new URL('../corpora/cpython-stdlib/', import.meta.url))
  const tree = join(corpus, stdlib.split('/').pop() as string)
  if (!existsSync(tree)) {
    mkdirSync(corpus, {recursive: true})
    execFileSync('sh', ['-c', `tar -C "$(dirname "$1")" -cf - --exclude=site-packages "$(basename "$1")" | tar -C "$2" -xf -`, 'sh', stdlib, corpus])
  }

  return tree
}

const tree = values.tree ?? stdlibCorpus()
const variants = ['gzip', 'zstd', 'zstd-noverify', 'none-copy', 'floor', 'cp']
const all: Record<string, ResultsFile> = {}
for (const [where, scratch] of [['tmpfs', values.tmpfs], ['disk', values.disk]] as const) {
  if (!scratch || !existsSync(scratch)) {
    console.log(`${where}: ${scratch} is missing, skipped`)
    continue
  }

  process.stderr.write(`${where}: ${tree} in ${scratch}\n`)
  const results = await runBenchmark({
    scenarios: [],
    trees: [tree],
    variants,
    scratch,
    warmupRuns: 1,
    minRuns: Number(values.runs),
    minTimeSeconds: 0,
    jobs: defaultJobs(),
    seed: 1,
    argv: process.argv.slice(2),
  })
  all[where] = results
  console.log(`\n== ${where} (${results.environment.scratchFs}) ==`)
  console.log(renderSummary(results))
  const rows = results.scenarios[0].rows
  const median = (name: string) => rows.find((r: VariantResult) => r.variant === name)?.stats?.median
  const [zstd, gzip, cp] = [median('zstd'), median('gzip'), median('cp')]
  if (zstd && gzip && cp) {
    const vsGzip = zstd / gzip
    const vsCp = zstd / cp
    console.log(`zstd/gzip = ${vsGzip.toFixed(2)} (target ≤ 0.5: ${vsGzip <= 0.5 ? 'met' : 'missed'}), zstd/cp -a = ${vsCp.toFixed(2)} (target ≤ 1.5: ${vsCp <= 1.5 ? 'met' : 'missed'})`)
  }
}

if (values.out) {
  const {writeFileSync} = await import('node:fs')
  writeFileSync(values.out, JSON.stringify(all, null, 2))
}
