import type {ScenarioDefinition} from './definition.js'
import {PY_VERSION} from './layout.js'
import type {PlannedFile, PlannedLink} from './types.js'

/** Links like a real prefix has them: lib64 -> lib, python3 -> python3.11, libssl.so -> libssl.so.3. */
export function planLinks(definition: ScenarioDefinition, files: PlannedFile[]): PlannedLink[] {
  const want = Math.round(definition.symlinkShare * definition.files)
  const taken = new Set(files.map((f) => f.path))
  const links: PlannedLink[] = []
  const link = (path: string, target: string, dir = false): void => {
    if (links.length < want && !taken.has(path)) {
      taken.add(path)
      links.push({path, target, dir})
    }
  }
  if (files.some((f) => f.path.startsWith('lib/'))) link('lib64', 'lib', true)
  if (taken.has(`bin/python${PY_VERSION}`)) {
    link('bin/python3', `python${PY_VERSION}`)
    link('bin/python', `python${PY_VERSION}`)
  }
  for (const file of files) {
    if (file.role !== 'sharedlib') continue
    const base = file.path.slice(4)
    const m = /^(.*\.so)\.(\d+)\.\d+/.exec(base)
    if (m) link(`lib/${m[1]}.${m[2]}`, base)
    link(`lib/${base.replace(/\.so.*$/, '.so')}`, base)
  }
  for (const file of files) {
    if (file.role === 'entrypoint') link(`${file.path}3`, file.path.slice(4))
  }
  // Beyond the usual suspects: versioned aliases of data files (share/…/x-latest.json -> x.json).
  for (const file of files) {
    if (links.length >= want) break
    if (file.kind !== 'data') continue
    const slash = file.path.lastIndexOf('/')
    const name = file.path.slice(slash + 1)
    const dot = name.lastIndexOf('.')
    link(`${file.path.slice(0, slash)}/${name.slice(0, dot)}-latest${name.slice(dot)}`, name)
  }
  return links
}
