/**
 * What lift's check of library files already present costs (issue 14 item 2): `existing: 'probe'`
 * (size, gzip trailer or zstd frame walk of each file already there) against `'trust'` (RCC's
 * reuse by existence alone). Two workloads, alternated round by round so load on a shared
 * machine falls on both alike:
 * - fresh: lift the scenario into an empty library (nothing is present, the probe finds nothing);
 * - re-lift: lift it again into the library that already holds every file (every file is probed).
 *
 *   npx tsx bench/lift-existing.ts [scenario=medium] [rounds=7] [scratch=/dev/shm] [codec=zstd]
 */
import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {lift} from '../src/engine/lift.js'
import type {CodecName} from '../src/engine/types.js'
import {ensureCorpus} from '../src/scenario/index.js'

const [scenario = 'medium', roundsText = '7', scratchRoot = '/dev/shm', codec = 'zstd'] = process.argv.slice(2)
const rounds = Number(roundsText)
const corpus = await ensureCorpus({name: scenario})
const source = corpus.root
const scratch = await fsp.mkdtemp(join(scratchRoot, 'holobench-lift-existing-'))
const modes = ['trust', 'probe'] as const
const times: Record<string, number[]> = {}
const record = (key: string, ms: number) => (times[key] ??= []).push(ms)
/** CPU time of this process (all threads) since `from`, in ms: disturbed less by other load than wall time. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from)
  return (used.user + used.system) / 1000
}
try {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? modes : [...modes].reverse()
    for (const existing of order) {
      const library = join(scratch, `lib-${existing}-${round}`)
      let t = performance.now()
      let cpu = process.cpuUsage()
      const fresh = await lift({source, library, codec: codec as CodecName, fsync: false, existing})
      record(`fresh ${existing}`, performance.now() - t)
      record(`fresh ${existing} cpu`, cpuMs(cpu))
      t = performance.now()
      cpu = process.cpuUsage()
      const again = await lift({source, library, codec: codec as CodecName, fsync: false, existing})
      record(`re-lift ${existing}`, performance.now() - t)
      record(`re-lift ${existing} cpu`, cpuMs(cpu))
      if (again.filesStored !== 0 || again.replaced.length !== 0) throw new Error(`re-lift stored ${again.filesStored} files`)
      if (round === 0 && existing === 'probe') console.log(`${fresh.files} files, ${(fresh.bytes / 1e6).toFixed(1)} MB, ${fresh.filesStored} stored`)
      await fsp.rm(library, {recursive: true, force: true})
    }
  }
} finally {
  await fsp.rm(scratch, {recursive: true, force: true})
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(`node ${process.version}, scenario ${scenario}, codec ${codec}, scratch ${scratchRoot}, ${rounds} rounds (medians; min–max)`)
for (const [key, xs] of Object.entries(times)) console.log(`${key.padEnd(14)} ${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`)
for (const work of ['fresh', 're-lift', 'fresh cpu', 're-lift cpu']) {
  // Ratio per round (paired), then the median: both modes of a round ran back to back.
  const [kind, clock = 'wall'] = work.split(' ')
  const key = (mode: string) => `${kind} ${mode}${clock === 'cpu' ? ' cpu' : ''}`
  const ratios = times[key('probe')].map((p, i) => p / times[key('trust')][i])
  console.log(`${kind} (${clock}): probe/trust ${median(ratios).toFixed(3)} (per-round ratios ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`)
}
