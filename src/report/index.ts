/**
 * Reports from results.json files: CSV, a self-contained HTML page and a Markdown summary. The
 * render functions are pure (results in, text out); writeReports puts them on disk atomically.
 * Both the `report` command and `run --report` go through writeReports.
 */
import {join} from 'node:path'
import type {ResultsFile} from '../bench/results.js'
import {HoloError} from '../engine/errors.js'
import {renderCsv} from './csv.js'
import {renderHtml} from './html.js'
import {renderMarkdown} from './markdown.js'
import {writeFileAtomic} from './write.js'

export {CLAIMS, claimText, evaluateClaim, evaluateClaims, type Claim, type ClaimOutcome, type Verdict} from './claims.js'
export {COLUMNS, columnsFor, ENVIRONMENT_FIELDS, SCENARIO_FIELDS, SETTINGS_FIELDS, type Column, type ColumnView} from './columns.js'
export {compareRuns, type ComparisonRow} from './compare.js'
export {renderCsv, type CsvOptions} from './csv.js'
export {renderHtml, type HtmlOptions} from './html.js'
export {defaultOutDir, labelsFromPaths} from './labels.js'
export {loadResults, parseResults, validateResults} from './load.js'
export {renderMarkdown, type MarkdownOptions} from './markdown.js'
export {renderAnswer} from './text.js'
export {allHeadlines, classify, EQUIVALENCE_MARGIN, headlinesFor, headlineText, type Headline, type HeadlineVerdict} from './verdict.js'

export type ReportFormat = 'csv' | 'html' | 'md'
export const REPORT_FORMATS: readonly ReportFormat[] = ['csv', 'html', 'md']

/** File names inside the output directory, one per format. */
export const REPORT_FILES: Record<ReportFormat, string> = {csv: 'results.csv', html: 'report.html', md: 'summary.md'}

export interface WriteReportsOptions {
  results: readonly ResultsFile[]
  outDir: string
  formats?: readonly ReportFormat[]
  /** One label per results file (e.g. its file name); shown in comparisons and the CSV `run` column. */
  labels?: readonly string[]
}

export async function writeReports(options: WriteReportsOptions): Promise<{files: string[]}> {
  const {results, outDir, labels} = options
  const formats = options.formats ?? REPORT_FORMATS
  if (results.length === 0) throw new HoloError('EUSAGE', 'no results files to report on')
  const unknown = formats.filter((format) => !REPORT_FORMATS.includes(format))
  if (unknown.length > 0) throw new HoloError('EUSAGE', `unknown report format ${unknown.join(', ')}; use ${REPORT_FORMATS.join(', ')}`)
  // Render everything before writing anything: a rendering bug leaves no partial report set.
  const rendered = REPORT_FORMATS.filter((format) => formats.includes(format)).map((format) => ({
    path: join(outDir, REPORT_FILES[format]),
    text: format === 'csv' ? renderCsv(results, {labels}) : format === 'html' ? renderHtml(results, {labels}) : renderMarkdown(results, {labels}),
  }))
  for (const file of rendered) await writeFileAtomic(file.path, file.text)
  return {files: rendered.map((file) => file.path)}
}

/** Parse `csv,html,md` (any order, spaces allowed) into formats, rejecting unknown names. */
export function parseFormats(list: string): ReportFormat[] {
  const names = list
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean)
  const unknown = names.filter((name) => !REPORT_FORMATS.includes(name as ReportFormat))
  if (unknown.length > 0 || names.length === 0) throw new HoloError('EUSAGE', `--format takes a comma-separated list of ${REPORT_FORMATS.join(', ')}; got ${JSON.stringify(list)}`)
  return [...new Set(names as ReportFormat[])]
}
