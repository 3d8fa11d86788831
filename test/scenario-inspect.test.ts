import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {inspect} from '../src/engine/inspect.js'
import {lift} from '../src/engine/lift.js'
import {ensureCorpus, loadScenario} from '../src/scenario/index.js'
import {tempDir} from './helpers/tree.js'

let work: {dir: string; cleanup: () => Promise<void>}
beforeAll(async () => {
  work = await tempDir()
})
afterAll(() => work.cleanup())

// The generator's own account of a tree against what lifting and inspecting it finds.
describe.each(['small', 'medium', 'medium-lowreloc'])('the %s scenario, lifted and inspected', (name) => {
  it('has the definition\'s file count, relocation share, a realistic size mix and compression ratio', async () => {
    const definition = loadScenario(name)
    const tree = await ensureCorpus({name, seed: 1, corporaDir: join(work.dir, 'corpora')})
    const {catalog} = await lift({source: tree.root, library: join(work.dir, `lib-${name}`), codec: 'zstd', fsync: false})
    const facts = await inspect({path: catalog})
    expect(facts.files).toBe(definition.files)
    expect(facts.relocatedFiles).toBe(tree.relocatedFiles)
    expect(facts.relocationShare).toBeCloseTo(definition.relocationShare, 2)
    expect(facts.catalogs[0].symlinks).toBe(tree.symlinks)
    expect(facts.rawBytes).toBeLessThanOrEqual(tree.bytes) // duplicates are stored once
    // Like site-packages: most files small, a few large.
    expect(facts.sizeMix.upTo4KiB + facts.sizeMix.upTo64KiB).toBeGreaterThan(0.8 * facts.files)
    expect(facts.sizeMix.over1MiB).toBeLessThan(0.02 * facts.files)
    // zstd -1 on Python environments compresses about 2.5–3.5×: neither noise nor zeros.
    expect(facts.ratio).toBeGreaterThan(2)
    expect(facts.ratio).toBeLessThan(4.5)
    expect(facts.formats.zstd).toBe(facts.uniqueFiles)
  })
})
