import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {defaultOutDir, labelsFromPaths} from '../src/report/labels.js'

describe('report names', () => {
  it('labels runs by file name, or by directory for a plain results.json', () => {
    expect(labelsFromPaths(['runs/laptop.json', '.scratch/run-7/results.json', 'results.json'])).toEqual(['laptop', 'run-7', 'results'])
  })

  it('keeps duplicate labels apart', () => {
    expect(labelsFromPaths(['a/x.json', 'b/x.json', 'c/x.json'])).toEqual(['x', 'x (2)', 'x (3)'])
  })

  it('derives a safe reports/<name> directory from the first file', () => {
    expect(defaultOutDir('runs/laptop.json')).toBe(join('reports', 'laptop'))
    expect(defaultOutDir('.scratch/run 7/results.json')).toBe(join('reports', 'run-7'))
    expect(defaultOutDir('../../..json')).toBe(join('reports', 'report'))
  })
})
