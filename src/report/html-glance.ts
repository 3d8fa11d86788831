/** "At a glance": the few sentences a reader would otherwise work out from the charts. */
import type {ScenarioResult} from '../bench/results.js'
import {BASELINE, floorRow, variantRows} from './charts.js'
import {escapeHtml, formatBytes, formatPercent, formatSeconds, formatTimes, speedupOf} from './format.js'

/** Above this relative margin of error a row's timing deserves a warning. */
const NOISY_RME_PERCENT = 10

export function glanceCard(scenario: ScenarioResult): string {
  const items: Array<[string, string]> = []
  const measured = variantRows(scenario).filter((row) => row.status === 'ok' && row.stats)
  const fastest = [...measured].sort((a, b) => a.stats!.median - b.stats!.median)[0]
  if (fastest?.stats) {
    const speedup = fastest.ratioToGzip && fastest.variant !== BASELINE ? `, ${formatTimes(speedupOf(fastest.ratioToGzip).value)} gzip's speed` : ''
    items.push(['Fastest restore', `${fastest.variant}: ${formatSeconds(fastest.stats.median)}${speedup}`])
  }
  const floor = floorRow(scenario)
  if (fastest?.ratioToFloor && floor?.stats) items.push(['Against the floor', `${fastest.variant} takes ${formatTimes(fastest.ratioToFloor.value)} the time of a plain copy (${formatSeconds(floor.stats.median)})`])
  const smallest = [...scenario.libraries].sort((a, b) => a.storedBytes - b.storedBytes)[0]
  if (smallest) items.push(['Smallest library', `${smallest.codec}${smallest.level === undefined ? '' : ` level ${smallest.level}`}: ${formatBytes(smallest.storedBytes)} (${formatTimes(smallest.ratio)} smaller than raw)`])
  // The seed's libraries, at RCC's level, not a level row's.
  const gzip = scenario.libraries.find((library) => library.codec === 'gzip' && library.level === undefined)
  const zstd = scenario.libraries.find((library) => library.codec === 'zstd' && library.level === undefined)
  if (gzip && zstd) items.push(['zstd vs gzip size', `${formatPercent((zstd.storedBytes / gzip.storedBytes - 1) * 100, true)} stored bytes`])
  const missing = scenario.rows.filter((row) => row.status !== 'ok')
  for (const row of missing) items.push([row.status === 'failed' ? 'Failed' : row.status === 'wrong' ? 'Wrong tree' : 'Not measured', `${row.variant}${row.reason ? `: ${row.reason}` : ''}`])
  const noisy = measured.filter((row) => row.stats!.rme > NOISY_RME_PERCENT).map((row) => `${row.variant} ±${formatPercent(row.stats!.rme)}`)
  if (noisy.length > 0) items.push(['Noisy timings', `${noisy.join(', ')}: treat small differences with care, or measure more runs`])
  const list = items.map(([term, text]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(text)}</dd>`).join('')
  return `<figure class="chart-box glance"><h4>At a glance</h4><dl class="glance">${list || '<dt>Nothing measured</dt><dd></dd>'}</dl></figure>`
}
