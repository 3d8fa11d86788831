/** Names for runs and report directories, derived from results file paths. */
import {basename, dirname, join} from 'node:path'
import type {ResultsFile} from '../bench/results.js'

/**
 * A short label per results file: its name without `.json`, or its directory's name when the file
 * is just `results.json`. Duplicates get ` (2)`, ` (3)` so comparison columns stay distinct.
 */
export function labelsFromPaths(paths: readonly string[]): string[] {
  const seen = new Map<string, number>()
  return paths.map((path) => {
    const label = nameOf(path)
    const count = (seen.get(label) ?? 0) + 1
    seen.set(label, count)
    return count === 1 ? label : `${label} (${count})`
  })
}

/** `reports/<name of the first file>`, relative to the working directory. */
export function defaultOutDir(firstPath: string): string {
  const safe = nameOf(firstPath).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '')
  return join('reports', safe || 'report')
}

/** Labels given by the caller, or `run 1`, `run 2`, … for one-off renders. */
export function labelsOrDefault(results: readonly ResultsFile[], labels?: readonly string[]): string[] {
  return results.map((_, index) => labels?.[index] ?? (results.length === 1 ? 'run' : `run ${index + 1}`))
}

function nameOf(path: string): string {
  const name = basename(path).replace(/\.json$/i, '')
  if (name !== 'results') return name
  const parent = basename(dirname(path))
  return parent && parent !== '.' && parent !== '/' ? parent : name
}
