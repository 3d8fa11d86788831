/**
 * The candidates at a glance: restore time (median, 95% interval) against every byte on disk a
 * row's restores need, one point per row, coloured by who in RCC can read it. The dotted line
 * joins the Pareto-optimal rows (nothing else is both faster and smaller); the purple dashed
 * line is 3× faster than gzip, the dark one the floor (a plain copy). Down and left is better.
 */
import type {RccReadability, ScenarioResult} from '../bench/results.js'
import {candidateEntries, gzipEntry, TARGET_SPEEDUP} from './candidates.js'
import type {CandidateEntry} from './candidates.js'
import {bytesUnit, floorRow} from './charts.js'
import {formatBytes, formatSeconds, timeUnitFor, trimmed} from './format.js'
import {renderScatter, type ScatterPoint} from './svg-scatter.js'

/** Grey: released RCC reads it; blue: only RCC's zstd fork; orange: neither (a proposal). */
export const READER_COLOURS: Record<RccReadability['reads'], string> = {upstream: '#7f7f7f', 'zstd-fork': '#0072b2', neither: '#e69f00'}

export function candidatesChart(scenario: ScenarioResult, entries: readonly CandidateEntry[] = candidateEntries(scenario)): string {
  const points: ScatterPoint[] = []
  const notes: string[] = []
  for (const [k, entry] of entries.entries()) {
    const {row, facts, time} = entry
    if (!time) {
      notes.push(`${row.variant} (${formatBytes(facts.storedBytes)}): ${row.status}${row.reason ? `: ${row.reason}` : ''}`)
      continue
    }

    points.push({
      key: row.variant,
      // Named where it matters (the Pareto front, gzip and zstd); the rest by their number in the table.
      label: entry.pareto ? `${row.variant} ◆` : row.variant === 'gzip' || row.variant === 'zstd' ? row.variant : `${k + 1}`,
      minor: !entry.pareto && row.variant !== 'gzip' && row.variant !== 'zstd',
      color: READER_COLOURS[facts.rcc.reads],
      x: Math.max(facts.storedBytes, 1),
      y: time.value,
      whisker: {low: time.low, high: time.high},
      tooltip: `${row.variant}: ${formatSeconds(time.value)} (95% interval ${formatSeconds(time.low)}–${formatSeconds(time.high)}), ${formatBytes(facts.storedBytes)} on disk; RCC: ${facts.rcc.reads}${entry.pareto ? '; Pareto-optimal' : ''}`,
    })
  }

  const floor = floorRow(scenario)
  const gzip = gzipEntry(entries)
  const references = []
  if (gzip?.time) references.push({at: gzip.time.value / TARGET_SPEEDUP, label: `${TARGET_SPEEDUP}× gzip`, kind: 'target'})
  if (floor?.stats) references.push({at: floor.stats.median, label: `floor ${formatSeconds(floor.stats.median)}`, kind: 'floor'})
  // cp -a in a fresh process: what a restore process that only copies costs here.
  const cp = scenario.rows.find((row) => row.variant === 'cp' && row.status === 'ok' && row.stats)
  if (cp?.stats) {
    // Lines within a few percent of each other share one label, which would otherwise overprint.
    const near = references.find((line) => Math.abs(line.at / cp.stats!.median - 1) < 0.06)
    if (near) near.label = `${near.label} ≈ cp -a`
    else references.push({at: cp.stats.median, label: `cp -a ${formatSeconds(cp.stats.median)}`, kind: 'baseline'})
  }
  const top = Math.max(...points.map((point) => point.whisker?.high ?? point.y), ...references.map((line) => line.at), 1e-9)
  const unit = timeUnitFor(top)
  const bytes = bytesUnit(Math.max(...points.map((point) => point.x), 1))
  return renderScatter({
    chart: 'candidates',
    title: `Candidates: restore time against disk, ${scenario.scenario}`,
    points,
    xLabel: `bytes on disk the restore needs (${bytes.suffix}, log scale), smaller is better`,
    yLabel: `restore time (${unit.suffix}), lower is better`,
    xTick: (value) => trimmed(value / bytes.divisor),
    yTick: (value) => trimmed(value * unit.scale),
    references,
    xLog: true,
    front: points.filter((point) => point.label.endsWith('◆')).map((point) => ({x: point.x, y: point.y})),
    notes,
    attributes: {'data-scenario': scenario.scenario},
  })
}
