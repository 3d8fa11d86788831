import {promises as fsp} from 'node:fs'
import {basename, dirname, extname, join} from 'node:path'

import {HoloError} from '../engine/errors.js'
import {listRegularFiles} from './mutate.js'
import {Rng} from './prng.js'
import type {UpgradeFacts} from './upgrade.js'

/** Shares as a scenario upgrade's (upgrade.ts): files changed, removed and added per upgraded unit. */
const CHANGED_SHARE = 0.7
const REMOVED_SHARE = 0.1
const ADDED_SHARE = 0.1

export interface TreeUpgradeOptions {
  /** The real tree (e.g. the CPython stdlib); it is only read. */
  source: string
  /** The upgraded copy is written to `<out>/<basename of source>`, which must not exist yet. */
  out: string
  percent: number
  seed?: number
  /** Names to leave out of the copy (as a lift with --rcc-excludes would). */
  exclude?: (name: string) => boolean
}

/**
 * A copy of a real tree with round(percent × units / 100) (at least one) of its top-level
 * entries "upgraded", for upgrade rows on a --tree corpus, which has no packages a generator
 * knows: in each chosen entry, a tenth of the files removed, 70% of the rest given a new last
 * line (`# holobench upgrade <hex>`: new content, no real new version) and a tenth new files
 * added beside them. The copy keeps the tree's basename, so its identity and relocations are
 * the source's. Deterministic for the same tree, percent and seed. Links are copied as links.
 * Errors: a percent outside 0-100 (EUSAGE); an existing `<out>/<basename>` (EEXIST).
 */
export async function upgradeTreeCopy(options: TreeUpgradeOptions): Promise<{root: string; facts: UpgradeFacts}> {
  const {percent} = options
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw new HoloError('EUSAGE', `An upgrade changes 0 to 100 percent of the packages, not ${percent}`)
  const root = join(options.out, basename(options.source))
  const exclude = options.exclude
  await fsp.mkdir(options.out, {recursive: true})
  await fsp.cp(options.source, root, {recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false, ...(exclude ? {filter: (from: string) => !exclude(basename(from))} : {})})

  const entries = await fsp.readdir(root, {withFileTypes: true})
  const units = entries.filter((e) => e.isDirectory() || e.isFile()).map((e) => e.name).sort()
  const rng = new Rng(`holobench:upgrade-tree:${options.seed ?? 1}:${percent}`)
  const count = Math.min(units.length, Math.max(percent > 0 ? 1 : 0, Math.round((percent * units.length) / 100)))
  const chosen = rng.fork('choose').shuffle([...units]).slice(0, count)
  const facts: UpgradeFacts = {percent, packages: units.length, upgraded: chosen.length, changed: 0, moved: 0, removed: 0, added: 0}
  for (const unit of chosen) {
    const path = join(root, unit)
    const files = (await fsp.lstat(path)).isDirectory() ? (await listRegularFiles(path)).sort().map((f) => `${unit}/${f}`) : [unit]
    const kept: string[] = []
    for (const file of files) {
      const own = rng.fork(`file:${file}`)
      if (files.length > 1 && own.chance(REMOVED_SHARE)) {
        await fsp.rm(join(root, file))
        facts.removed++
        continue
      }

      kept.push(file)
      if (own.chance(CHANGED_SHARE)) {
        await appendTo(join(root, file), upgradeLine(own))
        facts.changed++
      }
    }

    const add = rng.fork(`add:${unit}`)
    const taken = new Set(files)
    for (let i = Math.round(files.length * ADDED_SHARE); i > 0 && kept.length > 0; i--) {
      const model = add.pick(kept)
      const ext = extname(model)
      let name = `${model.slice(0, model.length - ext.length)}_new${ext}`
      for (let n = 2; taken.has(name); n++) name = `${model.slice(0, model.length - ext.length)}_new${n}${ext}`
      taken.add(name)
      const content = Buffer.concat([await fsp.readFile(join(root, model)), upgradeLine(add)])
      await fsp.mkdir(dirname(join(root, name)), {recursive: true})
      await fsp.writeFile(join(root, name), content, {flag: 'wx', mode: (await fsp.stat(join(root, model))).mode & 0o777})
      facts.added++
    }
  }

  return {root, facts}
}

/** Append to a file of the copy, which may be read-only as the source was. */
async function appendTo(path: string, bytes: Buffer): Promise<void> {
  const mode = (await fsp.stat(path)).mode & 0o7777
  if (!(mode & 0o200)) await fsp.chmod(path, mode | 0o200)
  await fsp.appendFile(path, bytes)
  if (!(mode & 0o200)) await fsp.chmod(path, mode)
}

function upgradeLine(rng: Rng): Buffer {
  let hex = ''
  while (hex.length < 16) hex += (rng.next() >>> 0).toString(16).padStart(8, '0')
  return Buffer.from(`\n# holobench upgrade ${hex}\n`)
}
