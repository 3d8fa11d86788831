import type {LayoutDefinition} from './definition.js'
import {apportion} from './distribution.js'
import {NameScope, identifier, packageName, version} from './names.js'
import type {Rng} from './prng.js'

/** Paths of the Python install a generated tree imitates (a conda/venv-style prefix). */
export const PY_VERSION = '3.11'
export const SITE_PACKAGES = `lib/python${PY_VERSION}/site-packages`
export const PYC_SUFFIX = '.cpython-311.pyc'
export const EXTENSION_SUFFIX = '.cpython-311-x86_64-linux-gnu.so'

/** An installed distribution: its import package directories and its dist-info directory. */
export interface PackageLayout {
  name: string
  version: string
  /** Package directories, the top-level one first, relative to the tree root. */
  dirs: string[]
  distInfo: string
  /** Relative share of the tree's modules that live in this package. */
  weight: number
}

/**
 * Lay out `count` installed packages under site-packages. Sizes follow a Zipf-like law (a few big
 * packages, many small ones, like botocore next to six); each package gets roughly one
 * sub-package per `dirEvery` modules, nested up to `maxDepth` with at most `fanout` children.
 */
export function layoutPackages(rng: Rng, count: number, modules: number, layout: LayoutDefinition): PackageLayout[] {
  const scope = new NameScope()
  const weights = Array.from({length: count}, (_, i) => 1 / (i + 1) ** 0.8)
  const perPackage = apportion(modules, weights)
  return perPackage.map((pkgModules, i) => {
    const name = scope.claim(packageName(rng))
    const root = `${SITE_PACKAGES}/${name}`
    const ver = version(rng)
    return {
      name,
      version: ver,
      dirs: subPackages(rng, root, Math.max(1, Math.min(pkgModules, 1 + Math.floor(pkgModules / 10))), layout),
      distInfo: `${SITE_PACKAGES}/${name}-${ver}.dist-info`,
      weight: weights[i],
    }
  })
}

/** Grow a package tree to `target` directories by adding children to random eligible parents. */
function subPackages(rng: Rng, root: string, target: number, layout: LayoutDefinition): string[] {
  const dirs = [{path: root, depth: 0, children: 0, scope: new NameScope()}]
  while (dirs.length < target) {
    const open = dirs.filter((d) => d.depth < layout.maxDepth && d.children < layout.fanout)
    if (open.length === 0) break
    const parent = rng.pick(open)
    parent.children++
    dirs.push({path: `${parent.path}/${parent.scope.claim(identifier(rng))}`, depth: parent.depth + 1, children: 0, scope: new NameScope()})
  }
  return dirs.map((d) => d.path)
}
