import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {isHoloError} from '../src/engine/errors.js'
import {FILE_KINDS, kindCounts, listScenarios, loadScenario, planTree} from '../src/scenario/index.js'

const dir = mkdtempSync(join(tmpdir(), 'holobench-scenario-def-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const valid = JSON.parse(JSON.stringify(loadScenario('small')))

function write(name: string, content: unknown): void {
  writeFileSync(join(dir, `${name}.json`), typeof content === 'string' ? content : JSON.stringify(content))
}

function usageError(name: string): Error & {message: string; path?: string} {
  try {
    loadScenario(name, {dirs: [dir]})
  } catch (error) {
    expect(isHoloError(error, 'EUSAGE')).toBe(true)
    return error as Error
  }
  throw new Error(`loading ${name} did not fail`)
}

describe('built-in scenarios', () => {
  it('ship small, medium and large plus low-relocation variants', () => {
    const byName = new Map(listScenarios().map((s) => [s.name, s]))
    expect(byName.get('small')?.files).toBe(100)
    expect(byName.get('medium')?.files).toBe(1000)
    expect(byName.get('large')?.files).toBe(10_000)
    for (const name of ['small', 'medium', 'large']) expect(loadScenario(name).relocationShare).toBeCloseTo(0.35)
    for (const name of ['medium-lowreloc', 'large-lowreloc']) expect(loadScenario(name).relocationShare).toBeLessThan(0.06)
    expect([...byName.values()].filter((s) => s.error)).toEqual([])
  })

  it('plan exact counts, relocation and executable shares without touching the disk', () => {
    for (const name of ['large', 'large-lowreloc']) {
      const definition = loadScenario(name)
      const counts = kindCounts(definition)
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(10_000)
      for (const kind of FILE_KINDS) expect(counts[kind], kind).toBeGreaterThan(0)
      const plan = planTree(definition, 1)
      expect(plan.files).toHaveLength(10_000)
      expect(new Set(plan.files.map((f) => f.path)).size).toBe(10_000)
      expect(plan.files.filter((f) => f.relocated)).toHaveLength(Math.round(definition.relocationShare * 10_000))
      expect(plan.files.filter((f) => f.mode === 0o755)).toHaveLength(300)
      expect(plan.links).toHaveLength(100)
      expect(plan.identity).toMatch(/^h[0-9a-f]{7}_[0-9a-f]{14}t$/)
      expect(planTree(definition, 1).files.map((f) => `${f.path}:${f.size}`)).toEqual(plan.files.map((f) => `${f.path}:${f.size}`))
    }
  })
})

describe('scenario files', () => {
  it('load by name from another directory (a user\'s scenarios/my-robot.json)', () => {
    write('my-robot', {...valid, name: 'my-robot', files: 42})
    expect(loadScenario('my-robot', {dirs: [dir]}).files).toBe(42)
    expect(listScenarios({dirs: [dir]}).map((s) => s.name)).toContain('my-robot')
  })

  it('name the file when the JSON does not parse', () => {
    write('broken', '{"name": "broken",')
    const error = usageError('broken')
    expect(error.message).toMatch(/broken\.json: not valid JSON/)
  })

  it('name the file and the field that is wrong', () => {
    write('bad-count', {...valid, name: 'bad-count', files: 'many'})
    expect(usageError('bad-count').message).toMatch(/bad-count\.json: files: must be a number \(got "many"\)/)

    write('bad-size', {...valid, name: 'bad-size', kinds: {...valid.kinds, py: {...valid.kinds.py, size: {...valid.kinds.py.size, median: -1}}}})
    expect(usageError('bad-size').message).toMatch(/bad-size\.json: kinds\.py\.size\.median: must be between/)

    write('typo', {...valid, name: 'typo', relocationshare: 0.3})
    expect(usageError('typo').message).toMatch(/typo\.json: relocationshare: unknown field/)

    write('odd-kind', {...valid, name: 'odd-kind', kinds: {...valid.kinds, dll: valid.kinds.so}})
    expect(usageError('odd-kind').message).toMatch(/odd-kind\.json: kinds\.dll: unknown field/)

    write('renamed', {...valid, name: 'other'})
    expect(usageError('renamed').message).toMatch(/renamed\.json: name: must equal the file name "renamed"/)

    expect(listScenarios({dirs: [dir]}).find((s) => s.name === 'typo')?.error).toMatch(/relocationshare/)
  })

  it('list the available names when a scenario is unknown', () => {
    const error = usageError('no-such-scenario')
    expect(error.message).toMatch(/Unknown scenario "no-such-scenario"\. Available: .*my-robot/)
    expect(() => loadScenario('../etc/passwd')).toThrow(/Invalid scenario name/)
  })

  it('refuse a relocation share the kinds cannot hold', () => {
    const kinds = Object.fromEntries(Object.entries(valid.kinds).map(([k, v]) => [k, {...(v as object), relocationWeight: k === 'script' ? 1 : 0}]))
    write('too-many', {...valid, name: 'too-many', relocationShare: 0.5, kinds})
    const definition = loadScenario('too-many', {dirs: [dir]})
    expect(() => planTree(definition, 1)).toThrow(/relocationShare 0\.5 needs 50 relocated files/)
  })
})
