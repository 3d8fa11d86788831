/**
 * Upgraded scenarios: the same space after some of its packages were upgraded, deterministic,
 * and restorable over a space that holds the old tree (pixi's incremental case).
 */
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {drop} from '../src/engine/drop.js'
import {lift} from '../src/engine/lift.js'
import {generateTree, loadScenario, planTree} from '../src/scenario/index.js'
import {bump, planUpgrade} from '../src/scenario/upgrade.js'
import {OTHER_IDENTITY, snapshotTree, tempDir} from './helpers/tree.js'

const definition = loadScenario('small')

describe('planUpgrade', () => {
  it('is the same plan for the same base and percent, and another for another percent', () => {
    const a = planUpgrade(planTree(definition, 1), 5)
    const b = planUpgrade(planTree(definition, 1), 5)
    expect(a.plan.files.map((f) => [f.path, f.contentKey, f.size])).toEqual(b.plan.files.map((f) => [f.path, f.contentKey, f.size]))
    expect(a.facts).toEqual(b.facts)
    const all = planUpgrade(planTree(definition, 1), 100)
    expect(all.facts.upgraded).toBe(all.facts.packages)
  })

  it('upgrades round(percent) of the packages, at least one, and counts what it did', () => {
    const base = planTree(definition, 1)
    const {plan, facts} = planUpgrade(base, 5)
    expect(facts.packages).toBe(3)
    expect(facts.upgraded).toBe(1)
    expect(facts.added).toBeGreaterThan(0)
    expect(facts.moved).toBeGreaterThan(0) // the dist-info directory and conda-meta record carry the version
    expect(plan.files.length).toBe(base.files.length - facts.removed + facts.added)
    expect(plan.identity).toBe(base.identity)
    expect(plan.links).toEqual(base.links)
    // Files of packages not upgraded are the very same plan entries.
    const upgraded = new Set(plan.files.filter((f) => f.contentKey).map((f) => f.pkg?.name))
    expect(upgraded.size).toBe(1)
    for (const file of plan.files) if (!file.contentKey) expect(base.files).toContain(file)
  })

  it('bumps the minor version', () => {
    expect(bump('1.4.2')).toBe('1.5.0')
    expect(bump('0.23')).toBe('0.24.0')
    expect(bump('2024a')).toBe('2024a.post1')
  })

  it('refuses a percent outside 0-100', () => {
    expect(() => planUpgrade(planTree(definition, 1), 120)).toThrow(/0 to 100 percent/)
  })
})

describe('an upgraded tree', () => {
  it('has the same bytes for the same seed, changes only the upgraded packages, and restores exactly over the old space', async () => {
    const {dir, cleanup} = await tempDir()
    try {
      const base = await generateTree({definition, seed: 1, outDir: join(dir, 'base')})
      const one = await generateTree({definition, seed: 1, outDir: join(dir, 'up1'), upgradePercent: 5})
      const two = await generateTree({definition, seed: 1, outDir: join(dir, 'up2'), upgradePercent: 5})
      expect(one.treeDigest).toBe(two.treeDigest)
      expect(one.treeDigest).not.toBe(base.treeDigest)
      expect(one.identity).toBe(base.identity)
      expect(one.upgrade).toEqual(planUpgrade(planTree(definition, 1), 5).facts)

      // Paths: the moved and removed ones leave, the moved and added ones arrive; the rest keep their bytes unless changed.
      const [before, after] = await Promise.all([snapshotTree(base.root), snapshotTree(one.root)])
      const files = (snap: Record<string, {type: string}>) => new Set(Object.keys(snap).filter((k) => snap[k].type === 'file'))
      const [was, is] = [files(before), files(after)]
      const u = one.upgrade!
      expect([...was].filter((p) => !is.has(p))).toHaveLength(u.moved + u.removed)
      expect([...is].filter((p) => !was.has(p))).toHaveLength(u.moved + u.added)
      const differing = [...is].filter((p) => was.has(p) && before[p].sha256 !== after[p].sha256)
      expect(differing.length).toBeGreaterThan(0)
      expect(differing.length).toBeLessThanOrEqual(u.changed)

      // Both catalogs in one library; the new one restored over a space of the old one.
      const library = join(dir, 'lib')
      const old = await lift({source: base.root, library, codec: 'zstd', fsync: false})
      const next = await lift({source: one.root, library, codec: 'zstd', fsync: false})
      const target = join(dir, 'space', OTHER_IDENTITY)
      await drop({catalog: old.catalog, target, durable: false})
      const result = await drop({catalog: next.catalog, target, durable: false})
      expect(result.removed).toBeGreaterThan(0)
      expect(result.skipped).toBeGreaterThan(0)
      expect(await snapshotTree(target)).toEqual(await snapshotTree(one.root, {from: one.identity, to: OTHER_IDENTITY}))
    } finally {
      await cleanup()
    }
  })
})
