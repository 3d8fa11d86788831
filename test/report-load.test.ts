import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {isHoloError} from '../src/engine/errors.js'
import {loadResults, parseResults} from '../src/report/load.js'
import {syntheticResults} from './helpers/results-fixture.js'

async function schemaMessage(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (isHoloError(error, 'ESCHEMA')) return error.message
    throw error
  }
  throw new Error('expected ESCHEMA')
}

describe('loading results files', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(os.tmpdir(), 'holobench-report-load-'))
  })
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  const write = async (name: string, value: unknown) => {
    const path = join(dir, name)
    await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value))
    return path
  }

  it('reads a valid file', async () => {
    const results = syntheticResults(1)
    expect(await loadResults(await write('ok.json', results))).toEqual(results)
  })

  it('rejects another schema or schema version, naming the file', async () => {
    const path = await write('v99.json', {...syntheticResults(1), schemaVersion: 99})
    expect(await schemaMessage(loadResults(path))).toMatch(/v99\.json: has schemaVersion 99; this holobench reads version 2/)
    const other = await write('other.json', {schema: 'something-else'})
    expect(await schemaMessage(loadResults(other))).toMatch(/other\.json: is not a holobench results file/)
  })

  it('names the JSON path of a malformed field', async () => {
    const results = syntheticResults(1) as unknown as {scenarios: Array<{rows: Array<{stats: {median: unknown}}>}>}
    results.scenarios[1].rows[2].stats.median = 'fast'
    expect(await schemaMessage(loadResults(await write('bad.json', results)))).toMatch(/bad\.json: scenarios\[1\]\.rows\[2\]\.stats\.median must be a finite number/)
  })

  it('run sizes that do not add up to the samples are refused, naming the row (a hand-edited pooled file)', async () => {
    const results = syntheticResults(1) as unknown as {scenarios: Array<{rows: Array<{samples: number[]; runSizes?: unknown}>}>}
    const row = results.scenarios[0].rows[0]
    row.runSizes = [row.samples.length - 1, 2]
    expect(await schemaMessage(loadResults(await write('sizes.json', results)))).toMatch(/sizes\.json: scenarios\[0\]\.rows\[0\]\.runSizes must be positive whole numbers adding up to the \d+ samples/)
    row.runSizes = [row.samples.length - 1, 1]
    expect((await loadResults(await write('sizes-ok.json', results))).scenarios[0].rows[0].runSizes).toEqual([row.samples.length - 1, 1])
  })

  it('rejects invalid JSON and non-objects as ESCHEMA', () => {
    expect(() => parseResults('{', 'broken.json')).toThrow(/broken\.json: is not valid JSON/)
    expect(() => parseResults('[]', 'array.json')).toThrow(/array\.json: the top level must be an object/)
  })

  it('reports an unreadable file as a usage error', async () => {
    await expect(loadResults(join(dir, 'missing.json'))).rejects.toMatchObject({code: 'EUSAGE'})
  })
})
