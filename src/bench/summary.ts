import {median} from './quantile.js'
import type {Ratio, ResultsFile, ScenarioResult, VariantResult} from './results.js'

/** A hyperfine-style plain-text summary of a run: one table per scenario, ratios included. */
export function renderSummary(results: ResultsFile): string {
  const env = results.environment
  const lines = [`holobench ${results.holobench.version} · Node ${env.node} · ${env.cpuCount}× ${env.cpuModel} · scratch ${env.scratchFs}`, modeLine(results)]
  for (const scenario of results.scenarios) lines.push('', ...scenarioTable(scenario))
  return lines.join('\n')
}

/** What the times mean: a fresh process per restore (what users wait for) or a warmed-up engine. */
export function modeLine(results: ResultsFile): string {
  return results.settings.mode === 'process'
    ? 'mode: process (every restore a fresh process, timed from spawn to exit; floor in-process)'
    : 'mode: in-process (engine profiling: restores inside one warmed-up process, process start excluded)'
}

const HEADERS = ['variant', 'median', '± MAD', 'min … max', 'runs', 'engine', 'files/s', 'time vs gzip [95% CI]', 'speed-up', 'vs floor']

function scenarioTable(scenario: ScenarioResult): string[] {
  const t = scenario.tree
  const title = `${scenario.scenario}: ${t.files} files, ${(t.bytes / 1e6).toFixed(1)} MB, ${t.symlinks} symlinks, ${((t.relocatedFiles / Math.max(t.files, 1)) * 100).toFixed(1)}% relocated`
  const libs = [
    ...scenario.libraries.map((l) => `${l.codec}${l.level === undefined ? '' : `-l${l.level}`} ${(l.storedBytes / 1e6).toFixed(1)} MB (×${l.ratio.toFixed(2)}, lift ${l.liftSeconds.toFixed(2)} s)`),
    ...(scenario.engineLibraries ?? []).map((l) => `${l.engine}'s own ${(l.storedBytes / 1e6).toFixed(1)} MB (lift ${l.liftSeconds.toFixed(2)} s)`),
  ].join(' · ')
  const rows = scenario.rows.map((row) => cells(row))
  // Rows that were not timed are [name, status]: the name still takes the name column's width.
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length > 2 || i === 0).map((r) => r[i].length)))
  const fmt = (r: string[]) => (r.length === 2 ? `${r[0].padEnd(widths[0])}  ${r[1]}` : r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
  return [title, `libraries: ${libs}`, fmt(HEADERS), ...rows.map((r) => fmt(r))]
}

function cells(row: VariantResult): string[] {
  if (row.status !== 'ok' || !row.stats) return [label(row), `${row.status}: ${row.reason ?? ''}`]
  const s = row.stats
  const flagged = row.outliers.length > 0 ? ` (${row.outliers.length} outlier${row.outliers.length > 1 ? 's' : ''})` : ''
  return [
    label(row),
    seconds(s.median),
    seconds(s.mad),
    `${seconds(s.min)} … ${seconds(s.max)}`,
    `${s.runs}${flagged}`,
    // The engine's own restore time, process start and exit excluded, where it reports one.
    row.engineSamples?.length ? seconds(median(row.engineSamples)) : '–',
    Math.round(s.filesPerSecond).toString(),
    ratio(row.ratioToGzip),
    row.ratioToGzip ? `${(1 / row.ratioToGzip.value).toFixed(2)}×` : '–',
    row.ratioToFloor ? `${row.ratioToFloor.value.toFixed(2)}×` : '–',
  ]
}

/** Engines are marked, and ratios against another row than gzip name it. */
function label(row: VariantResult): string {
  const kind = row.kind === 'engine' ? ` [engine${row.gzipReference ? `, vs ${row.gzipReference}` : ''}]` : ''
  return `${row.variant}${kind}`
}

function seconds(value: number): string {
  return value >= 1 ? `${value.toFixed(3)} s` : `${(value * 1000).toFixed(1)} ms`
}

function ratio(r: Ratio | null): string {
  return r ? `${r.value.toFixed(3)} [${r.low.toFixed(3)}–${r.high.toFixed(3)}]` : '–'
}
