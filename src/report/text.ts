/**
 * The answer in plain text, for the terminal: what `run` prints above its table. Uses the same
 * headline words as the Markdown summary and the HTML page (verdict.ts).
 */
import type {ResultsFile} from '../bench/results.js'
import {CLAIMS, engineClaims, evaluateClaim, expectationText} from './claims.js'
import {headlineDetails, headlinesFor, headlineText, scenarioCaveats} from './verdict.js'

export function renderAnswer(file: ResultsFile): string {
  const lines: string[] = []
  for (const scenario of file.scenarios) {
    lines.push(`${scenario.scenario}: the answer (speed-up over gzip, 95% interval, measured side by side in this run)`)
    for (const headline of headlinesFor(file, scenario)) {
      lines.push(`  ${headlineText(headline)}`)
      for (const detail of headlineDetails(headline)) lines.push(`      ${detail}`)
    }
    for (const caveat of scenarioCaveats(file, scenario)) lines.push(`  caveat: ${caveat}`)
    lines.push('  expected by the proposal:')
    for (const claim of [...CLAIMS, ...engineClaims(scenario)]) lines.push(`    ${expectationText(evaluateClaim(claim, scenario))}`)
    lines.push('')
  }
  return lines.join('\n').trimEnd()
}
