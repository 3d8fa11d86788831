import {promises as fsp} from 'node:fs'
import {basename, join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadCatalog} from '../src/engine/catalog.js'
import {check} from '../src/engine/check/index.js'
import {drop} from '../src/engine/drop.js'
import {listCatalogs} from '../src/engine/library.js'
import {Rng} from '../src/scenario/prng.js'
import {cli} from './helpers/cli.js'
import type {CliResult} from './helpers/cli.js'
import {IDENTITY, OTHER_IDENTITY, makeSampleTree, snapshotTree, sourceText, tempDir} from './helpers/tree.js'
import type {Entry} from './helpers/tree.js'

/**
 * Mixed lift, drop and migrate processes (the real CLI) run in parallel on one library for 20
 * rounds; then every catalog restores exactly the tree it was lifted from, every target holds
 * exactly the catalog its .meta names, and `check` is clean. Replay: HOLOBENCH_STRESS_SEED=<seed>.
 */
const SEED = Number(process.env.HOLOBENCH_STRESS_SEED ?? Date.now() % 100_000)
const ROUNDS = 20
// Three target names of the identities' length (relocations need it); two drops often share one.
const TARGET_NAMES = ['h1111111_1111111111111111', 'h2222222_2222222222222222', 'h3333333_3333333333333333'].map((n) => n.slice(0, IDENTITY.length))

let work: {dir: string; cleanup: () => Promise<void>}
beforeAll(async () => {
  work = await tempDir()
})
afterAll(() => work.cleanup())

interface Tree {
  root: string
  identity: string
}

describe('one writer per target and per library, under load', () => {
  it(`mixed lift/drop/migrate processes in parallel for ${ROUNDS} rounds leave every catalog restorable exactly (seed ${SEED})`, async () => {
    const rng = new Rng(`stress/${SEED}`)
    const library = join(work.dir, 'lib')
    const trees: Tree[] = [
      {root: await makeSampleTree(join(work.dir, 'a'), IDENTITY), identity: IDENTITY},
      {root: await makeSampleTree(join(work.dir, 'b'), OTHER_IDENTITY), identity: OTHER_IDENTITY},
    ]
    // The source of every catalog ever lifted, by blueprint (blueprints hash the tree).
    const sources = new Map<string, Record<string, Record<string, Entry>>>()
    const liftTree = async (tree: Tree, codec: string): Promise<CliResult> => {
      // What this tree restores into each target name (relocations rewritten), as it is now.
      const snapshot: Record<string, Record<string, Entry>> = {}
      for (const name of TARGET_NAMES) snapshot[name] = await snapshotTree(tree.root, {from: tree.identity, to: name})
      const result = await cli(['lift', tree.root, '--library', library, '--codec', codec, '--no-fsync', '--json'])
      if (result.code === 0) {
        const catalog = await loadCatalog(JSON.parse(result.stdout).catalog as string)
        sources.set(catalog.blueprint, snapshot)
      }

      return result
    }

    expect((await liftTree(trees[0], 'zstd')).code).toBe(0)
    expect((await liftTree(trees[1], 'zstd')).code).toBe(0)
    let codec = 'zstd' // the library's last requested codec: lifts follow it
    const targets = TARGET_NAMES.map((name, i) => join(work.dir, 'targets', `t${i}`, name))
    const tally = {lift: 0, drop: 0, migrate: 0, liftRefused: 0}

    for (let round = 0; round < ROUNDS; round++) {
      // One tree changes between rounds: later lifts make new catalogs.
      const changed = trees[rng.int(trees.length)]
      await fsp.writeFile(join(changed.root, 'lib/python3.12/site-packages/pkg', `mod${rng.int(12)}.py`), sourceText(SEED + round, 30 + rng.int(30)))
      const catalogs = await listCatalogs(library)
      const jobs: Array<Promise<{what: string; result: CliResult}>> = []
      const count = 3
      for (let j = 0; j < count; j++) {
        const kind = rng.float()
        if (kind < 0.3) {
          const tree = trees[rng.int(trees.length)]
          tally.lift++
          jobs.push(liftTree(tree, codec).then((result) => ({what: `lift ${basename(tree.root)} --codec ${codec}`, result})))
        } else if (kind < 0.82) {
          const catalog = catalogs[rng.int(catalogs.length)]
          const target = targets[rng.int(targets.length)]
          tally.drop++
          jobs.push(cli(['drop', catalog, '--target', target, '--no-fsync', '--jobs', '2']).then((result) => ({what: `drop ${basename(catalog)} into ${target}`, result})))
        } else {
          const to = ['zstd', 'gzip', 'none'][rng.int(3)]
          tally.migrate++
          jobs.push(cli(['migrate', '--library', library, '--to', to, '--durability', 'none', '--jobs', '2']).then((result) => ({what: `migrate --to ${to}`, result})))
          codec = to
        }
      }

      const t0 = Date.now()
      const settled = await Promise.all(jobs)
      // HOLOBENCH_STRESS_DEBUG=1: what ran together, and how long the round took.
      if (process.env.HOLOBENCH_STRESS_DEBUG) console.error(`round ${round}: ${Date.now() - t0} ms: ${settled.map((s) => s.what).join('; ')}`)
      for (const {what, result} of settled) {
        // A lift with a codec the library no longer has (a migration ran first) is refused before it writes.
        if (result.code === 2 && what.startsWith('lift') && /would mix digest algorithms/.test(result.stdout + result.stderr)) {
          tally.liftRefused++
          continue
        }

        expect(result.code, `round ${round}, ${what} (seed ${SEED}): ${result.stdout} ${result.stderr}`).toBe(0)
      }
    }

    // Every target holds exactly the catalog its .meta names.
    for (const target of targets) {
      const meta = await loadCatalog(`${target}.meta`).catch(() => undefined)
      if (!meta) continue
      const source = sources.get(meta.blueprint)
      expect(source, `${target}.meta names a catalog never lifted (seed ${SEED})`).toBeDefined()
      expect(await snapshotTree(target), `${target} (seed ${SEED})`).toEqual(source![basename(target)])
    }

    // Every catalog restores the tree it was lifted from.
    const final = await listCatalogs(library)
    expect(final.length).toBeGreaterThanOrEqual(2)
    for (const [i, catalog] of final.entries()) {
      const {blueprint} = await loadCatalog(catalog)
      const source = sources.get(blueprint)
      expect(source, `${catalog} was never lifted (seed ${SEED})`).toBeDefined()
      const target = join(work.dir, 'final', `c${i}`, TARGET_NAMES[0])
      await drop({catalog, target, durable: false})
      expect(await snapshotTree(target), `${catalog} (seed ${SEED})`).toEqual(source![TARGET_NAMES[0]])
    }

    const checked = await check({library})
    expect(checked.problems, `seed ${SEED}`).toEqual([])
    console.log(`stress seed ${SEED}: ${JSON.stringify(tally)}, ${final.length} catalogs`)
  }, 300_000)
})
