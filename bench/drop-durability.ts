/**
 * What a power-cut-safe drop costs: the same restore of a scenario with no flush (as RCC), with
 * one syncfs (`sync -f`, holobench's default), and with an fsync per file, into fresh targets on
 * one filesystem, in rotated rounds so load on a shared machine falls on all three alike. Prints
 * the median of each and its ratio to the unflushed drop, with the spread of the per-round ratios.
 *
 *   npx tsx bench/drop-durability.ts [--scenario medium] [--rounds 5] [--dir <dir on the disk>] [--codec zstd]
 */
import {execFileSync} from 'node:child_process'
import {promises as fsp} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {drop} from '../src/engine/drop.js'
import {filesystemType} from '../src/engine/fs/fstype.js'
import {lift} from '../src/engine/lift.js'
import type {CodecName} from '../src/engine/types.js'
import {ensureCorpus} from '../src/scenario/corpus.js'

const {values} = parseArgs({
  options: {
    scenario: {type: 'string', default: 'medium'},
    rounds: {type: 'string', default: '5'},
    dir: {type: 'string', default: tmpdir()},
    codec: {type: 'string', default: 'zstd'},
  },
})

type Flush = 'none' | 'syncfs' | 'fsync'
const FLUSHES: Flush[] = ['none', 'syncfs', 'fsync']

const corpus = await ensureCorpus({name: values.scenario as string})
const work = await fsp.mkdtemp(join(values.dir as string, 'holobench-durability-'))
try {
  const library = join(work, 'lib')
  const {catalog, files} = await lift({source: corpus.root, library, codec: values.codec as CodecName, fsync: false})
  const fs = await filesystemType(work)
  console.log(`${values.scenario}: ${files} files, codec ${values.codec}, on ${fs} (${work}); node ${process.version}`)
  const times: Record<Flush, number[]> = {none: [], syncfs: [], fsync: []}
  let n = 0
  const rounds = Number(values.rounds)
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < FLUSHES.length; i++) {
      const flush = FLUSHES[(round + i) % FLUSHES.length]
      const target = join(work, `t${n++}`, corpus.root.split('/').pop() as string)
      if (flush === 'none') delete process.env.HOLOBENCH_DROP_FLUSH
      else process.env.HOLOBENCH_DROP_FLUSH = flush
      // Earlier rounds' dirty pages are flushed first, so each drop pays only for its own.
      execFileSync('sync', ['-f', work])
      const started = performance.now()
      await drop({catalog, target, durable: flush !== 'none'})
      times[flush].push((performance.now() - started) / 1000)
      await fsp.rm(join(work, `t${n - 1}`), {recursive: true, force: true})
    }
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  for (const flush of FLUSHES) {
    const ratios = times[flush].map((t, i) => t / times.none[i]).sort((a, b) => a - b)
    console.log(
      `${flush.padEnd(7)} median ${median(times[flush]).toFixed(3)} s  ratio to none ${(median(times[flush]) / median(times.none)).toFixed(2)}` +
        `  (per-round ratios ${ratios[0].toFixed(2)}–${ratios.at(-1)?.toFixed(2)})  runs ${times[flush].map((t) => t.toFixed(3)).join(' ')}`,
    )
  }
} finally {
  await fsp.rm(work, {recursive: true, force: true})
}
