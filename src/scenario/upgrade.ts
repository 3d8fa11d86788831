import {posix} from 'node:path'

import {HoloError} from '../engine/errors.js'
import {sampleSize} from './distribution.js'
import {identifier} from './names.js'
import {parentDirs} from './plan.js'
import {Rng} from './prng.js'
import type {PlannedFile, PlannedPackage, Role, TreePlan} from './types.js'

/**
 * Bumped whenever an upgrade's output for a given base plan and percent changes (cached
 * upgraded corpora are keyed by it).
 */
export const UPGRADE_VERSION = 1

/** Share of an upgraded package's files whose content changes; the rest stay byte for byte. */
const CHANGED_SHARE = 0.7
/** Share of an upgraded package's removable files that the new version drops, and of new files it adds. */
const REMOVED_SHARE = 0.1
const ADDED_SHARE = 0.1

/** Roles a new version may drop: code, bytecode, docs and data, never metadata or entry points. */
const REMOVABLE: ReadonlySet<Role> = new Set<Role>(['module', 'bytecode', 'extension', 'doc', 'json', 'csv', 'txt', 'dat'])

export interface UpgradeFacts {
  /** Share of the installed packages upgraded, in percent. */
  percent: number
  /** Packages the base tree has (those with files), and how many were upgraded. */
  packages: number
  upgraded: number
  /** Files of upgraded packages: new content at the same path, moved (dist-info and conda-meta are named by version, new content), removed, added. */
  changed: number
  moved: number
  removed: number
  added: number
}

/**
 * The plan of the same space after round(percent × packages / 100) (at least one) of its packages were
 * upgraded, as pip or conda would: a new version (its dist-info directory and conda-meta
 * record renamed, metadata naming the new version), new content for most of its files, about
 * a tenth of its code, docs and data removed and a tenth new modules added. Files of other
 * packages, links and the identity are the base plan's, so they keep their bytes. Deterministic:
 * same base plan and percent, same upgraded plan. Errors: a percent outside 0–100 (EUSAGE).
 */
export function planUpgrade(base: TreePlan, percent: number): {plan: TreePlan; facts: UpgradeFacts} {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw new HoloError('EUSAGE', `An upgrade changes 0 to 100 percent of the packages, not ${percent}`)
  const rng = new Rng(`holobench:${base.definitionDigest}:${base.seed}:upgrade:v${UPGRADE_VERSION}:${percent}`)
  const packages = [...new Set(base.files.flatMap((f) => (f.pkg ? [f.pkg] : [])))].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  // At least one package when asked for any: a small scenario still gets an upgrade.
  const count = Math.min(packages.length, Math.max(percent > 0 ? 1 : 0, Math.round((percent * packages.length) / 100)))
  const chosen = new Set(rng.fork('choose').shuffle([...packages]).slice(0, count))
  const linked = new Set(base.links.map((link) => posix.join(posix.dirname(link.path), link.target)))
  const taken = new Set([...base.files.map((f) => f.path), ...base.links.map((l) => l.path)])
  const facts: UpgradeFacts = {percent, packages: packages.length, upgraded: chosen.size, changed: 0, moved: 0, removed: 0, added: 0}

  const upgraded = new Map<PlannedPackage, PlannedPackage>()
  for (const pkg of chosen) {
    const next = bump(pkg.version)
    upgraded.set(pkg, {...pkg, version: next, distInfo: pkg.distInfo.replace(`-${pkg.version}.dist-info`, `-${next}.dist-info`), files: []})
  }

  const files: PlannedFile[] = []
  for (const file of base.files) {
    const from = file.pkg
    const to = from && upgraded.get(from)
    if (!from || !to) {
      files.push(file)
      continue
    }

    const own = rng.fork(`file:${file.path}`)
    if (REMOVABLE.has(file.role) && !linked.has(file.path) && own.chance(REMOVED_SHARE)) {
      facts.removed++
      continue
    }

    const path = renamed(file.path, from, to)
    // An empty file stays empty whatever seeds it: only a move changes it.
    const empty = file.size === 0 && !file.relocated
    const changed = path !== file.path || (!empty && (['METADATA', 'RECORD', 'conda-meta'].includes(file.role) || own.chance(CHANGED_SHARE)))
    // An unchanged file keeps its old package too: docs and metadata name its version.
    const next: PlannedFile = changed ? {...file, path, pkg: to, contentKey: `upgrade:v${UPGRADE_VERSION}:${percent}:${path}`} : file
    if (path !== file.path) facts.moved++
    else if (changed) facts.changed++
    files.push(next)
    to.files.push(next)
  }

  for (const [from, to] of upgraded) {
    const add = rng.fork(`add:${from.name}`)
    const wanted = Math.max(1, Math.round(from.files.length * ADDED_SHARE))
    for (let i = 0; i < wanted; i++) {
      const dir = add.pick(to.dirs)
      let path = `${dir}/${identifier(add)}.py`
      for (let n = 2; taken.has(path); n++) path = `${dir}/${identifier(add)}${n}.py`
      taken.add(path)
      const size = Math.max(1, sampleSize(add, base.definition.kinds.py.size))
      const file: PlannedFile = {path, kind: 'py', role: 'module', size, mode: 0o644, relocated: false, pkg: to, contentKey: `upgrade:v${UPGRADE_VERSION}:${percent}:${path}`}
      files.push(file)
      to.files.push(file)
      facts.added++
    }
  }

  return {plan: {...base, files, dirs: parentDirs(files, base.links)}, facts}
}

/** The next minor version: 1.4.2 → 1.5.0 (any other shape gets `.post1`). */
export function bump(version: string): string {
  const match = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(version)
  return match ? `${match[1]}.${Number(match[2]) + 1}.0` : `${version}.post1`
}

/** dist-info and conda-meta paths carry the version. */
function renamed(path: string, from: PlannedPackage, to: PlannedPackage): string {
  if (path.startsWith(`${from.distInfo}/`)) return to.distInfo + path.slice(from.distInfo.length)
  const meta = `conda-meta/${from.name}-${from.version}-`
  return path.startsWith(meta) ? `conda-meta/${to.name}-${to.version}-${path.slice(meta.length)}` : path
}
