import {parse} from 'csv-parse/sync'
import {beforeAll, describe, expect, it} from 'vitest'
import type {ResultsFile} from '../src/bench/results.js'
import {COLUMNS} from '../src/report/columns.js'
import {renderCsv} from '../src/report/csv.js'
import {measuredResults, syntheticResults} from './helpers/results-fixture.js'

type Record = {[column: string]: string}

const num = (cell: string) => (cell === '' ? null : Number(cell))

describe('CSV report', () => {
  let measured: ResultsFile
  beforeAll(async () => {
    measured = await measuredResults({runs: 6})
  })

  it('round-trips through csv-parse with the same numbers as results.json', () => {
    const csv = renderCsv([measured], {labels: ['laptop']})
    const records = parse(csv, {columns: true, record_delimiter: '\r\n', skip_empty_lines: true}) as Record[]
    const rows = measured.scenarios.flatMap((scenario) => scenario.rows.map((row) => ({scenario, row})))
    expect(records).toHaveLength(rows.length)
    records.forEach((record, index) => {
      const {scenario, row} = rows[index]
      expect(record.run).toBe('laptop')
      expect(record.scenario).toBe(scenario.scenario)
      expect(record.variant).toBe(row.variant)
      expect(record.status).toBe(row.status)
      expect(record.verify).toBe(String(row.verify))
      expect(record.samples_s === '' ? [] : record.samples_s.split(' ').map(Number)).toEqual(row.samples)
      const stats = row.stats
      expect(num(record.median_s)).toBe(stats?.median ?? null)
      expect(num(record.mean_s)).toBe(stats?.mean ?? null)
      expect(num(record.p75_s)).toBe(stats?.p75 ?? null)
      expect(num(record.p99_s)).toBe(stats?.p99 ?? null)
      expect(num(record.min_s)).toBe(stats?.min ?? null)
      expect(num(record.max_s)).toBe(stats?.max ?? null)
      expect(num(record.sd_s)).toBe(stats?.sd ?? null)
      expect(num(record.mad_s)).toBe(stats?.mad ?? null)
      expect(num(record.rme_pct)).toBe(stats?.rme ?? null)
      expect(num(record.files_per_s)).toBe(stats?.filesPerSecond ?? null)
      expect(num(record.mb_per_s)).toBe(stats?.mbPerSecond ?? null)
      expect(num(record.runs)).toBe(stats?.runs ?? null)
      expect([num(record.ratio_to_gzip), num(record.ratio_to_gzip_low), num(record.ratio_to_gzip_high)]).toEqual(
        row.ratioToGzip ? [row.ratioToGzip.value, row.ratioToGzip.low, row.ratioToGzip.high] : [null, null, null],
      )
      expect([num(record.ratio_to_floor), num(record.ratio_to_floor_low), num(record.ratio_to_floor_high)]).toEqual(
        row.ratioToFloor ? [row.ratioToFloor.value, row.ratioToFloor.low, row.ratioToFloor.high] : [null, null, null],
      )
      if (row.ratioToGzip) expect(num(record.speedup_vs_gzip)).toBe(1 / row.ratioToGzip.value)
      const library = scenario.libraries.find((candidate) => candidate.codec === row.codec)
      expect(num(record.library_stored_bytes)).toBe(library?.storedBytes ?? null)
      expect(num(record.library_ratio)).toBe(library?.ratio ?? null)
      expect(num(record.tree_files)).toBe(scenario.tree.files)
      expect(num(record.tree_bytes)).toBe(scenario.tree.bytes)
      expect(record.env_cpu_model).toBe(measured.environment.cpuModel)
      expect(num(record.env_memory_bytes)).toBe(measured.environment.memoryBytes)
      expect(record.env_scratch_fs).toBe(measured.environment.scratchFs)
      expect(record.reason).toBe(row.reason ?? '')
    })
  })

  it('writes RFC 4180: documented header row, CRLF records, quoted commas and quotes', () => {
    const file = syntheticResults(3)
    file.scenarios[0].scenario = 'tree:a "quoted", name\nwith a newline'
    const csv = renderCsv([file])
    expect(csv.split('\r\n')[0]).toBe(COLUMNS.map((column) => column.id).join(','))
    expect(csv.endsWith('\r\n')).toBe(true)
    const records = parse(csv, {columns: true}) as Record[]
    expect(records[0].scenario).toBe('tree:a "quoted", name\nwith a newline')
    expect(records[0].run).toBe('run')
  })

  it('neutralises text a spreadsheet would evaluate as a formula', () => {
    const file = syntheticResults(4)
    file.scenarios[0].scenario = '=HYPERLINK("http://example.invalid","x")'
    const records = parse(renderCsv([file]), {columns: true}) as Record[]
    expect(records[0].scenario).toBe(`'=HYPERLINK("http://example.invalid","x")`)
    expect(records[0].median_s).not.toMatch(/^'/)
  })

  it('puts several runs in one sheet, told apart by the run column', () => {
    const records = parse(renderCsv([syntheticResults(1), syntheticResults(2)], {labels: ['before', 'after']}), {columns: true}) as Record[]
    expect(new Set(records.map((record) => record.run))).toEqual(new Set(['before', 'after']))
    expect(records).toHaveLength(2 * syntheticResults(1).scenarios.reduce((sum, scenario) => sum + scenario.rows.length, 0))
  })
})
