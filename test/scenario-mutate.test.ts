import {promises as fsp} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {EXTRA_DIR, applyMutation, listRegularFiles, planMutation} from '../src/scenario/mutate.js'
import {makeSampleTree, snapshotTree, tempDir} from './helpers/tree.js'

const FILES = Array.from({length: 1000}, (_, i) => `pkg${i % 7}/sub${i % 13}/mod${i}.py`)

describe('planMutation', () => {
  it.each([0, 1, 10, 33, 100])('changes exactly round(%i% of the files), each once', (percent) => {
    const plan = planMutation(FILES, percent, 1)
    expect(plan.files).toBe(1000)
    expect(plan.mutations).toHaveLength(Math.round(percent * 10))
    expect(new Set(plan.mutations.map((m) => m.path)).size).toBe(plan.mutations.length)
    for (const m of plan.mutations) expect(FILES).toContain(m.path)
  })

  it('is the same plan for the same files, seed and percent, in whatever order the files come', () => {
    const shuffled = [...FILES].reverse()
    expect(planMutation(shuffled, 10, 1)).toEqual(planMutation(FILES, 10, 1))
    expect(planMutation(FILES, 10, 2).mutations).not.toEqual(planMutation(FILES, 10, 1).mutations)
  })

  it('goes round rewrite, resize, delete, with a stray file for every third', () => {
    const {mutations} = planMutation(FILES, 10, 1)
    const kinds = mutations.map((m) => m.kind)
    expect(kinds.filter((k) => k === 'rewrite')).toHaveLength(34)
    expect(kinds.filter((k) => k === 'resize')).toHaveLength(33)
    expect(kinds.filter((k) => k === 'delete')).toHaveLength(33)
    const extras = mutations.flatMap((m) => (m.extra ? [m.extra] : []))
    expect(extras).toHaveLength(34)
    for (const extra of extras) {
      expect(extra).toContain(`/${EXTRA_DIR}/`)
      expect(FILES).not.toContain(extra)
    }
  })

  it('refuses a percent outside 0-100', () => {
    expect(() => planMutation(FILES, 101, 1)).toThrow(/0 to 100 percent/)
    expect(() => planMutation(FILES, -1, 1)).toThrow(/0 to 100 percent/)
  })
})

describe('applyMutation', () => {
  it('writes the same bytes into two copies of a tree, and changes what the plan says', async () => {
    const {dir, cleanup} = await tempDir()
    try {
      const a = await makeSampleTree(join(dir, 'a'))
      const b = await makeSampleTree(join(dir, 'b'))
      const before = await snapshotTree(a)
      const files = await listRegularFiles(a)
      expect(files.length).toBe(18)
      const sizes = new Map(await Promise.all(files.map(async (f) => [f, (await fsp.stat(join(a, f))).size] as const)))
      const plan = planMutation(files, 50, 3)
      const summary = await applyMutation(a, plan)
      await applyMutation(b, planMutation(await listRegularFiles(b), 50, 3))
      expect(await snapshotTree(a)).toEqual(await snapshotTree(b))

      const after = await snapshotTree(a)
      expect(summary.rewritten + summary.resized + summary.deleted).toBe(9)
      for (const m of plan.mutations) {
        if (m.kind === 'delete') expect(after[m.path]).toBeUndefined()
        else {
          expect(after[m.path].sha256).not.toBe(before[m.path].sha256)
          expect(after[m.path].mode).toBe(before[m.path].mode)
        }

        if (m.extra) expect(after[m.extra]?.type).toBe('file')
      }

      // A rewrite keeps the size (only content and mtime tell); a resize does not.
      for (const m of plan.mutations) {
        if (m.kind === 'delete') continue
        const size = (await fsp.stat(join(a, m.path))).size
        if (m.kind === 'rewrite' && sizes.get(m.path)! > 0) expect(size).toBe(sizes.get(m.path))
        else expect(size).toBeGreaterThan(sizes.get(m.path)!)
      }

      expect(plan.mutations.some((m) => m.kind === 'rewrite' && sizes.get(m.path)! > 0)).toBe(true)
      // Untouched files keep their bytes.
      const chosen = new Set(plan.mutations.map((m) => m.path))
      for (const path of files.filter((f) => !chosen.has(f))) expect(after[path]).toEqual(before[path])
    } finally {
      await cleanup()
    }
  })
})
