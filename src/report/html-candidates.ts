/**
 * The candidates section: per scenario, the trade-off chart and one table of every row beyond
 * (and including) the seed: time, speed-up over gzip, disk, build cost, and who in RCC reads it.
 */
import type {ResultsFile} from '../bench/results.js'
import {candidateEntries, gzipEntry, targetSentence, TARGET_SPEEDUP} from './candidates.js'
import type {CandidateEntry} from './candidates.js'
import {candidatesChart, READER_COLOURS} from './candidates-chart.js'
import {escapeHtml, formatBytes, formatSeconds, sig3} from './format.js'

const HEADERS = ['#', 'Row', 'RCC reads', 'Median restore', 'Speed-up over gzip', 'CPU speed-up', 'Disk', 'Disk ÷ gzip', 'Build', 'What it is', 'What RCC would need']

export function candidatesSection(file: ResultsFile, id: string): string {
  const parts = [
    `<section class="candidates" id="${escapeHtml(id)}"><h2>Beyond the seed: candidates</h2>`,
    `<p>Each row is timed like the seed's variants (same rounds, first restore checked against the tree). Disk is every byte its restores need; build is the one-time cost from the tree; CPU speed-up compares the CPU time of the restore processes (on a busy machine, waiting for a core adds wall time, not CPU time). ◆ marks the Pareto-optimal rows: nothing else is both faster and smaller. The purple line is ${TARGET_SPEEDUP}× faster than gzip.</p>`,
  ]
  for (const scenario of file.scenarios) {
    const entries = candidateEntries(scenario)
    if (entries.length === 0) continue
    parts.push(`<h3>${escapeHtml(scenario.scenario)}</h3><p class="answer-line">${escapeHtml(targetSentence(scenario, entries))}</p>`)
    parts.push(
      `<figure class="chart-box"><h4>Restore time against disk</h4>${candidatesChart(scenario, entries)}<figcaption>Point: median restore time; whisker: its 95% interval. Colour: who reads it — ` +
        `<span class="swatch" style="background:${READER_COLOURS.upstream}"></span>released RCC, <span class="swatch" style="background:${READER_COLOURS['zstd-fork']}"></span>RCC's zstd fork only, <span class="swatch" style="background:${READER_COLOURS.neither}"></span>neither (a proposal). Dotted: the Pareto front (◆, named); gzip and zstd are named, other rows carry their number in the table below.</figcaption></figure>`,
    )
    parts.push(table(entries))
    const caveats = entries.filter((entry) => entry.facts.caveat).map((entry) => `<li><b>${escapeHtml(entry.row.variant)}</b>: ${escapeHtml(entry.facts.caveat)}</li>`)
    if (caveats.length > 0) parts.push(`<ul class="caveats">${caveats.join('')}</ul>`)
  }

  parts.push('</section>')
  return parts.join('')
}

function table(entries: readonly CandidateEntry[]): string {
  const gzip = gzipEntry(entries)
  const head = HEADERS.map((header) => `<th scope="col">${escapeHtml(header)}</th>`).join('')
  const body = entries
    .map((entry, k) => {
      const {row, facts, time, speedup, cpuSpeedup} = entry
      const measured = time ? `${escapeHtml(formatSeconds(time.value))}<small class="interval">${escapeHtml(`${formatSeconds(time.low)}–${formatSeconds(time.high)}`)}</small>` : escapeHtml(`${row.status}${row.reason ? `: ${row.reason}` : ''}`)
      const cells = [
        `<td class="num">${k + 1}</td>`,
        `<td class="variant"><span class="swatch" style="background:${READER_COLOURS[facts.rcc.reads]}"></span>${escapeHtml(row.variant)}${entry.pareto ? ' ◆' : ''}</td>`,
        `<td>${escapeHtml(facts.rcc.reads)}</td>`,
        `<td class="num">${measured}</td>`,
        `<td class="num">${speedup ? `${escapeHtml(sig3(speedup.value))}×<small class="interval">${escapeHtml(`${sig3(speedup.low)}–${sig3(speedup.high)}`)}</small>` : '–'}</td>`,
        `<td class="num">${cpuSpeedup ? `${escapeHtml(sig3(cpuSpeedup.value))}×<small class="interval">${escapeHtml(`${sig3(cpuSpeedup.low)}–${sig3(cpuSpeedup.high)}`)}</small>` : '–'}</td>`,
        `<td class="num">${escapeHtml(formatBytes(facts.storedBytes))}</td>`,
        `<td class="num">${gzip ? escapeHtml(`${(facts.storedBytes / gzip.facts.storedBytes).toFixed(2)}×`) : '–'}</td>`,
        `<td class="num">${escapeHtml(formatSeconds(facts.liftSeconds))}</td>`,
        `<td class="takes">${escapeHtml(facts.summary)}</td>`,
        `<td class="takes">${escapeHtml(facts.rcc.takes)}</td>`,
      ]
      return `<tr class="${entry.pareto ? 'pareto' : ''}" data-variant="${escapeHtml(row.variant)}">${cells.join('')}</tr>`
    })
    .join('')
  return `<div class="table-wrap"><table class="data candidates"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`
}
