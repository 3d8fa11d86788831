import {createHash} from 'node:crypto'
import {basename, dirname, join} from 'node:path'

import type {CatalogDir} from '../types.js'

/** Longest file name Linux filesystems take (NAME_MAX, bytes). */
const NAME_MAX = 255

/**
 * The suffix of this restore's temp names in the target (`.holobench-part`, or with a number
 * when the catalog itself uses that ending). Every temp name ends with it and no name in the
 * catalog does, so a temp name can never be a file or directory the catalog names, whatever
 * its other names are (a catalog holding `x` and `x.part` loses neither). Other writers cannot
 * use the target meanwhile (the target lock), and a temp name is not in the catalog, so the
 * next restore removes any a crash left, with the other names the catalog does not name.
 */
export function partSuffixFor(tree: CatalogDir): string {
  const endings = new Set<string>()
  const collect = (dir: CatalogDir) => {
    for (const name of Object.keys(dir.files)) endings.add(name)
    for (const [name, sub] of Object.entries(dir.subdirs)) {
      endings.add(name)
      collect(sub)
    }
  }

  collect(tree)
  const names = [...endings]
  for (let k = 0; ; k++) {
    const suffix = k === 0 ? '.holobench-part' : `.holobench-part${k}`
    if (!names.some((name) => name.endsWith(suffix))) return suffix
  }
}

/**
 * The temp name a file is written under before its rename to `path`: `<name><suffix>` beside
 * it, or a hash of the name when that would pass NAME_MAX (still ending with the suffix).
 */
export function partPathFor(path: string, suffix: string): string {
  const name = basename(path)
  const part = Buffer.byteLength(name + suffix) <= NAME_MAX ? name + suffix : createHash('sha256').update(name).digest('hex').slice(0, 32) + suffix
  return join(dirname(path), part)
}
