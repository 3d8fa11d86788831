import {describe, expect, it} from 'vitest'
import type {ScenarioResult, VariantResult} from '../src/bench/results.js'
import {CLAIMS, engineClaims, evaluateClaim} from '../src/report/claims.js'
import {syntheticResults} from './helpers/results-fixture.js'

const [zstd, noverify, reflink] = CLAIMS

/** A scenario whose `variant` row has the given ratio to gzip (time / gzip time). */
function scenarioWith(variant: string, patch: Partial<VariantResult>): ScenarioResult {
  const scenario = structuredClone(syntheticResults(1).scenarios[0])
  const row = scenario.rows.find((candidate) => candidate.variant === variant)!
  Object.assign(row, patch)
  return scenario
}

const ratio = (speedup: number, low: number, high: number) => ({value: 1 / speedup, low: 1 / high, high: 1 / low})

describe('claims', () => {
  it('are the seed claims: zstd 3x, zstd + skip-verify 4x, uncompressed + reflink 10-60x', () => {
    expect(CLAIMS.map((claim) => [claim.variant, claim.atLeast, claim.upTo])).toEqual([
      ['zstd', 3, undefined],
      ['zstd-noverify', 4, undefined],
      ['none-reflink', 10, 60],
    ])
  })

  it('hold only when the whole interval reaches the claim', () => {
    const held = evaluateClaim(zstd, scenarioWith('zstd', {ratioToGzip: ratio(3.4, 3.1, 3.8)}))
    expect(held.verdict).toBe('held')
    expect(held.speedup?.value).toBeCloseTo(3.4)
    expect(held.speedup?.low).toBeCloseTo(3.1)
    expect(held.speedup?.high).toBeCloseTo(3.8)
  })

  it('are not held, but inconclusive, when the interval straddles the claim', () => {
    const outcome = evaluateClaim(zstd, scenarioWith('zstd', {ratioToGzip: ratio(3.2, 2.8, 3.6)}))
    expect(outcome.verdict).toBe('not-held')
    expect(outcome.inconclusive).toBe(true)
    expect(outcome.note).toMatch(/straddles 3×/)
  })

  it('are not held when the whole interval is below', () => {
    const outcome = evaluateClaim(noverify, scenarioWith('zstd-noverify', {ratioToGzip: ratio(2, 1.9, 2.1)}))
    expect(outcome).toMatchObject({verdict: 'not-held', inconclusive: false})
  })

  it('still hold above a claimed range, with a note', () => {
    const outcome = evaluateClaim(reflink, scenarioWith('none-reflink', {status: 'ok', reason: undefined, stats: syntheticResults(1).scenarios[0].rows[0].stats, ratioToGzip: ratio(80, 70, 90)}))
    expect(outcome.verdict).toBe('held')
    expect(outcome.note).toMatch(/above the claimed range/)
  })

  it('are not measured for unsupported, failed, missing rows or without a gzip row', () => {
    const scenario = syntheticResults(1).scenarios[0]
    expect(evaluateClaim(reflink, scenario)).toMatchObject({verdict: 'not-measured', note: 'unsupported: ext4 cannot clone'})
    expect(evaluateClaim(zstd, scenarioWith('zstd', {status: 'failed', reason: 'EINTEGRITY', stats: null}))).toMatchObject({verdict: 'not-measured', note: 'failed: EINTEGRITY'})
    expect(evaluateClaim(zstd, {...scenario, rows: scenario.rows.filter((row) => row.variant !== 'zstd')})).toMatchObject({verdict: 'not-measured', note: 'zstd was not run'})
    expect(evaluateClaim(zstd, scenarioWith('zstd', {ratioToGzip: null}))).toMatchObject({verdict: 'not-measured'})
  })

  it('cover external zstd engines against their own gzip counterpart', () => {
    const scenario = structuredClone(syntheticResults(1).scenarios[0])
    const engine = (variant: string, verify: boolean, speedup: number): VariantResult => ({
      ...structuredClone(scenario.rows.find((row) => row.variant === 'zstd')!),
      variant, kind: 'engine', mode: 'process', strategy: 'engine', codec: 'zstd', verify, gzipReference: 'rcc-main', ratioToGzip: ratio(speedup, speedup * 0.9, speedup * 1.1),
    })
    scenario.rows.push(engine('rcc-fork', true, 1.5), engine('fast-noverify', false, 5), {...engine('no-reference', true, 9), gzipReference: undefined})
    const claims = engineClaims(scenario)
    expect(claims.map((claim) => [claim.variant, claim.atLeast, claim.title])).toEqual([
      ['rcc-fork', 3, 'rcc-fork (zstd) vs rcc-main'],
      ['fast-noverify', 4, 'fast-noverify (zstd + skip-verify) vs rcc-main'],
    ])
    expect(claims.map((claim) => evaluateClaim(claim, scenario).verdict)).toEqual(['not-held', 'held'])
  })
})
