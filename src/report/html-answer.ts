/**
 * "The answer": the first thing on the page. One headline per comparison, in the same words as
 * the run table and the Markdown summary (verdict.ts), with the advice that would settle an
 * inconclusive one and the caveats that qualify the numbers right beside them.
 */
import type {ResultsFile} from '../bench/results.js'
import {escapeHtml} from './format.js'
import {variantColour} from './palette.js'
import {EQUIVALENCE_MARGIN, headlineDetails, headlinesFor, headlineText, scenarioCaveats, VERDICT_LABEL, type Headline} from './verdict.js'

export function answerSection(file: ResultsFile, id: string): string {
  const margin = Math.round((EQUIVALENCE_MARGIN - 1) * 100)
  const scenarios = file.scenarios
    .map((scenario) => {
      const headlines = headlinesFor(file, scenario).map(headlineItem).join('')
      const caveats = scenarioCaveats(file, scenario)
        .map((caveat) => `<li class="caveat">${escapeHtml(caveat)}</li>`)
        .join('')
      return (
        `<article class="answer" data-scenario="${escapeHtml(scenario.scenario)}"><h3>${escapeHtml(scenario.scenario)}</h3>` +
        `<ul class="headlines">${headlines || '<li class="muted">no variant to compare with gzip</li>'}</ul>` +
        (caveats ? `<ul class="caveats">${caveats}</ul>` : '') +
        `</article>`
      )
    })
    .join('')
  return (
    `<section class="answers" id="${escapeHtml(id)}"><h2>The answer: each variant against gzip</h2>` +
    `<p class="answer-intro">Speed-up = gzip median restore time ÷ variant median, measured side by side in this run, with its 95% interval. ` +
    `<b>Faster</b> or <b>slower</b> when the whole interval is on one side of 1×; <b>no difference</b> when it lies within ±${margin}% of 1×; ` +
    `<b>inconclusive</b> when it holds 1× but reaches past ±${margin}%, so this run cannot tell a tie from a difference worth shipping.</p>` +
    `${scenarios || '<p class="muted">This run has no scenarios.</p>'}</section>`
  )
}

function headlineItem(headline: Headline): string {
  const details = headlineDetails(headline)
    .map((line) => `<span class="detail">${escapeHtml(line)}</span>`)
    .join('')
  return (
    `<li class="headline" data-variant="${escapeHtml(headline.variant)}" data-verdict="${headline.verdict}">` +
    `<span class="badge ${headline.verdict}">${escapeHtml(VERDICT_LABEL[headline.verdict])}</span>` +
    `<span class="words"><span class="swatch" style="background:${escapeHtml(variantColour(headline.variant))}"></span>${escapeHtml(headlineText(headline))}${details}</span></li>`
  )
}
