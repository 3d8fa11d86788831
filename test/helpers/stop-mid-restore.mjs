/**
 * A child process for test/worker-stop.test.ts, on the built engine (dist/, so that threads start
 * as they do for users): restores a lifted gzip tree on two worker threads ROUNDS times, stopping
 * every thread (stopAllWorkers, as Ctrl-C does) after a different number of batches each round,
 * and prints each round's failure message as JSON. A thread torn down inside a zlib constructor
 * aborts this whole process, which is what the test watches for.
 *
 * Usage: node stop-mid-restore.mjs <empty work dir> <rounds>
 */
import {promises as fsp} from 'node:fs'
import {dirname, join} from 'node:path'

const dist = new URL('../../dist/engine/', import.meta.url)
const {loadCatalog} = await import(new URL('catalog.js', dist).href)
const {lift} = await import(new URL('lift.js', dist).href)
const {runOnWorkers} = await import(new URL('restore/pool.js', dist).href)
const {stopAllWorkers} = await import(new URL('worker-pool.js', dist).href)

const [work, roundsArg] = process.argv.slice(2)
const rounds = Number(roundsArg)
const source = join(work, 'tree')
// Small distinct text files: each restore makes a zlib object per file.
for (let i = 0; i < 1000; i++) {
  await fsp.mkdir(join(source, `pkg${i % 20}`), {recursive: true})
  await fsp.writeFile(join(source, `pkg${i % 20}`, `mod${i}.py`), `# module ${i}\n${'value = compute(name, path)\n'.repeat(20 + (i % 30))}`)
}
const library = join(work, 'lib')
const {catalog} = await lift({source, library, codec: 'gzip', fsync: false})
const tree = (await loadCatalog(catalog)).tree
const settings = {verify: true, eligible: 'copy', fresh: true, relocationTo: Buffer.alloc(0), umask: 0o022}
const libraryFile = (digest) => join(library, 'library', digest.slice(0, 2), digest.slice(2, 4), digest.slice(4, 6), digest)

const messages = []
for (let round = 0; round < rounds; round++) {
  const target = join(work, `out${round}`)
  const tasks = []
  const visit = (dir, rel) => {
    for (const [name, f] of Object.entries(dir.files)) tasks.push({path: join(target, rel, name), rel: rel + name, source: libraryFile(f.digest), size: f.size, perm: 0o644, digest: f.digest, rewrite: [], unchanged: false})
    for (const [name, d] of Object.entries(dir.subdirs)) visit(d, `${rel}${name}/`)
  }
  visit(tree, '')
  for (const task of tasks) await fsp.mkdir(dirname(task.path), {recursive: true})
  let stopped
  let batches = 0
  const error = await runOnWorkers(tasks, settings, {
    workers: 2,
    threads: 2,
    local: false,
    onBatch() {
      if (++batches > round % 5) stopped ??= stopAllWorkers()
    },
  }).then(
    () => undefined,
    (failure) => failure,
  )
  await stopped
  if (error) messages.push(error.message)
  await fsp.rm(target, {recursive: true})
}
console.log(JSON.stringify({messages}))
