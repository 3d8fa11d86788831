import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {CORPUS_MARKER} from '../src/scenario/corpus.js'
import {digestDirectory, ensureCorpus} from '../src/scenario/index.js'

const corporaDir = mkdtempSync(join(tmpdir(), 'holobench-corpora-'))
afterAll(() => rmSync(corporaDir, {recursive: true, force: true}))

describe('ensureCorpus', () => {
  it('generates once, then reuses the cache entry', async () => {
    const first = await ensureCorpus({name: 'small', seed: 5, corporaDir})
    expect(first.cached).toBe(false)
    expect(first.corpusDir).toMatch(/small-[0-9a-f]{12}-5$/)
    expect(first.root).toBe(join(first.corpusDir, first.identity))
    const marker = join(first.corpusDir, CORPUS_MARKER)
    const written = statSync(marker).mtimeMs

    const second = await ensureCorpus({name: 'small', seed: 5, corporaDir})
    expect(second.cached).toBe(true)
    expect(statSync(marker).mtimeMs).toBe(written)
    expect({...second, cached: false}).toEqual(first)
    expect(await digestDirectory(second.root)).toBe(first.treeDigest)
  })

  it('regenerates an entry whose marker is missing or unreadable (a crash mid-write)', async () => {
    const good = await ensureCorpus({name: 'small', seed: 6, corporaDir})
    const marker = join(good.corpusDir, CORPUS_MARKER)

    rmSync(marker)
    rmSync(join(good.root, 'pyvenv.cfg'))
    const again = await ensureCorpus({name: 'small', seed: 6, corporaDir})
    expect(again.cached).toBe(false)
    expect(await digestDirectory(again.root)).toBe(good.treeDigest)

    writeFileSync(marker, '{"generator": 1, "definitionDig')
    expect((await ensureCorpus({name: 'small', seed: 6, corporaDir})).cached).toBe(false)
    expect((await ensureCorpus({name: 'small', seed: 6, corporaDir})).cached).toBe(true)
  })

  it('removes abandoned partial directories of dead processes', async () => {
    const first = await ensureCorpus({name: 'small', seed: 7, corporaDir})
    rmSync(first.corpusDir, {recursive: true})
    const abandoned = `${first.corpusDir}.partial-2147483646-deadbeef`
    mkdirSync(join(abandoned, first.identity), {recursive: true})
    await ensureCorpus({name: 'small', seed: 7, corporaDir})
    expect(existsSync(abandoned)).toBe(false)
  })

  it('lets concurrent callers share one entry', async () => {
    const [a, b] = await Promise.all([ensureCorpus({name: 'small', seed: 8, corporaDir}), ensureCorpus({name: 'small', seed: 8, corporaDir})])
    expect(a.root).toBe(b.root)
    expect(await digestDirectory(a.root)).toBe(a.treeDigest)
    expect(readdirSync(corporaDir).filter((e) => e.includes('.partial-'))).toEqual([])
  })
})
