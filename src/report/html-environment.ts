/** The environment block: where and how a run was measured, from the same fields as the CSV env columns. */
import type {ResultsFile} from '../bench/results.js'
import {ENVIRONMENT_FIELDS, formatValue, SETTINGS_FIELDS, type Cell, type ColumnUnit} from './columns.js'
import {modeOf} from './compare.js'
import {escapeHtml} from './format.js'

interface Entry {
  label: string
  value: string
}

export function environmentEntries(file: ResultsFile): Entry[] {
  const entry = (label: string, value: Cell, unit: ColumnUnit): Entry => ({label, value: value === null || value === '' ? '–' : formatValue(value, unit)})
  return [
    ...ENVIRONMENT_FIELDS.map((field) => entry(field.label, field.get(file.environment), field.unit)),
    ...SETTINGS_FIELDS.map((field) => entry(field.label, field.get(file), field.unit)),
    // Ratios from in-process and process mode are not comparable: a comparison must show it.
    {label: 'Timing mode', value: modeOf(file)},
  ]
}

export function environmentSection(file: ResultsFile, id: string, heading = 'Environment'): string {
  const entries = environmentEntries(file)
  const half = Math.ceil(entries.length / 2)
  const list = (part: Entry[]) => `<dl class="env">${part.map((e) => `<dt>${escapeHtml(e.label)}</dt><dd>${escapeHtml(e.value)}</dd>`).join('')}</dl>`
  return `<section class="environment" id="${escapeHtml(id)}"><h2>${escapeHtml(heading)}</h2><div class="env-grid">${list(entries.slice(0, half))}${list(entries.slice(half))}</div></section>`
}
