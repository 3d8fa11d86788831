/** "Expected by the proposal": each seed expectation beside what every scenario of a run measured, below the answer. */
import type {ResultsFile} from '../bench/results.js'
import {CLAIMS, claimText, evaluateClaim, VERDICT_TEXT, type ClaimOutcome} from './claims.js'
import {escapeHtml, formatTimes, sig3} from './format.js'

export function claimsPanel(file: ResultsFile, id: string): string {
  const cards = CLAIMS.map((claim) => {
    const outcomes = file.scenarios.map((scenario) => evaluateClaim(claim, scenario))
    const items = outcomes.map(claimLine).join('')
    return (
      `<article class="claim" data-claim="${escapeHtml(claim.variant)}">` +
      `<h3><span>${escapeHtml(claim.title)}</span><span class="expected">${escapeHtml(claimText(claim))} <small>expected</small></span></h3>` +
      `<ul>${items || '<li class="muted">no scenarios in this run</li>'}</ul></article>`
    )
  }).join('')
  return (
    `<section class="claims" id="${escapeHtml(id)}"><h2>Expected by the proposal</h2>` +
    `<p class="claims-intro">The proposal's expected speed-ups over gzip, beside what this run measured (the answer above). ` +
    `An expectation is <b>reached</b> only when the whole 95% interval reaches it.</p>` +
    `<div class="claims-grid">${cards}</div></section>`
  )
}

function claimLine(outcome: ClaimOutcome): string {
  const measured = outcome.speedup
    ? `<span class="measured">${escapeHtml(formatTimes(outcome.speedup.value))} <small>(${escapeHtml(sig3(outcome.speedup.low))}–${escapeHtml(sig3(outcome.speedup.high))})</small></span> `
    : ''
  const classes = ['verdict', outcome.verdict, outcome.inconclusive ? 'inconclusive' : ''].filter(Boolean).join(' ')
  return (
    `<li data-scenario="${escapeHtml(outcome.scenario)}" data-verdict="${outcome.verdict}">` +
    `<span class="scenario">${escapeHtml(outcome.scenario)}</span>` +
    `<span>${measured}<span class="${classes}">${escapeHtml(verdictLabel(outcome))}</span></span>` +
    `<span class="note">${escapeHtml(outcome.note)}</span></li>`
  )
}

/** Colour is never the only signal: the badge text carries the verdict too. */
function verdictLabel(outcome: ClaimOutcome): string {
  if (outcome.inconclusive) return 'undecided'
  return VERDICT_TEXT[outcome.verdict]
}
