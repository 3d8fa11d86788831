/**
 * The report's stylesheet, inlined into the page. System fonts only (no downloads); the layout
 * is sized for a ~1280 px laptop window, collapses to one column on narrow screens, and has a
 * print sheet that keeps each chart and claim card on one page.
 */
export const REPORT_CSS = `
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d8dee4; --soft: #f6f8fa; --bg: #fff;
  --held: #1a7f37; --held-bg: #dafbe1; --not: #b42318; --not-bg: #ffebe9;
  --maybe: #8a5a00; --maybe-bg: #fff4d4; --na: #6e7781; --na-bg: #eef1f4;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; }
main { max-width: 1220px; margin: 0 auto; padding: 28px 32px 56px; }
a { color: #0969da; text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 26px; margin: 0 0 2px; letter-spacing: -0.01em; }
h2 { font-size: 20px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--fg); }
h3 { font-size: 17px; margin: 28px 0 4px; }
p { margin: 6px 0; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; background: var(--soft); padding: 0 4px; border-radius: 4px; }
.sub, .muted { color: var(--muted); }
.facts { color: var(--muted); margin: 0 0 12px; }
nav.toc { margin: 14px 0 0; display: flex; flex-wrap: wrap; gap: 6px 8px; font-size: 13px; }
nav.toc a { border: 1px solid var(--line); border-radius: 999px; padding: 2px 10px; background: var(--soft); }

/* Claims panel */
.claims-intro { color: var(--muted); margin-bottom: 10px; }
.claims-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 14px; }
.claim { border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px 10px; background: var(--soft); break-inside: avoid; }
.claim h3 { margin: 0; font-size: 16px; display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
.claim .expected { font-size: 22px; font-weight: 700; color: var(--fg); }
.claim .expected small { font-size: 12px; font-weight: 400; color: var(--muted); }
.claim ul { list-style: none; margin: 8px 0 0; padding: 0; }
.claim li { display: grid; grid-template-columns: 1fr auto; gap: 2px 10px; padding: 7px 0; border-top: 1px solid var(--line); align-items: baseline; }
.claim .scenario { font-weight: 600; overflow-wrap: anywhere; }
.claim .measured { font-size: 18px; font-weight: 700; font-variant-numeric: tabular-nums; }
.claim .measured small { font-size: 12px; font-weight: 400; color: var(--muted); }
.claim .note { grid-column: 1 / -1; font-size: 12px; color: var(--muted); }
.verdict { display: inline-block; font-size: 12px; font-weight: 700; border-radius: 999px; padding: 1px 9px; white-space: nowrap; }
.verdict.held { color: var(--held); background: var(--held-bg); }
/* Expectations are context, not a test the measurement fails: no red here. */
.verdict.not-held { color: var(--na); background: var(--na-bg); }
.verdict.not-held.inconclusive { color: var(--maybe); background: var(--maybe-bg); }

/* The answer */
.answer-intro { color: var(--muted); margin-bottom: 10px; max-width: 70em; }
.answer { border: 1px solid var(--line); border-radius: 10px; padding: 10px 16px 10px; margin: 0 0 12px; break-inside: avoid; }
.answer h3 { margin: 0 0 4px; font-size: 16px; }
ul.headlines, ul.caveats { list-style: none; margin: 0; padding: 0; }
li.headline { display: grid; grid-template-columns: 8.5em 1fr; gap: 10px; align-items: baseline; padding: 6px 0; border-top: 1px solid var(--line); }
li.headline:first-child { border-top: 0; }
li.headline .words { font-size: 16px; font-weight: 600; font-variant-numeric: tabular-nums; }
li.headline .detail { display: block; font-size: 12.5px; font-weight: 400; color: var(--muted); margin-top: 2px; }
.badge { display: inline-block; text-align: center; font-size: 12.5px; font-weight: 700; border-radius: 999px; padding: 2px 10px; white-space: nowrap; border: 1px solid transparent; }
.badge.faster { color: var(--held); background: var(--held-bg); border-color: var(--held); }
.badge.slower { color: var(--not); background: var(--not-bg); border-color: var(--not); }
.badge.no-difference { color: var(--fg); background: var(--soft); border-color: #8c959f; }
.badge.inconclusive { color: var(--maybe); background: var(--maybe-bg); border-color: var(--maybe); border-style: dashed; }
.badge.not-measured { color: var(--na); background: var(--na-bg); }
ul.caveats { margin-top: 6px; }
li.caveat { font-size: 12.5px; color: var(--maybe); padding: 2px 0; }
li.caveat::before { content: "⚠ caveat: "; font-weight: 700; }
.verdict.not-measured { color: var(--na); background: var(--na-bg); }

/* Scenario charts */
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 14px; margin: 8px 0 14px; }
figure.chart-box { margin: 0; border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px 8px; background: var(--bg); break-inside: avoid; }
figure.chart-box h4 { margin: 0 0 2px; font-size: 14px; }
figure.chart-box svg { display: block; width: 100%; height: auto; }
dl.glance { display: grid; grid-template-columns: max-content 1fr; gap: 8px 14px; margin: 8px 0 0; font-size: 13px; }
dl.glance dt { color: var(--muted); }
dl.glance dd { margin: 0; overflow-wrap: anywhere; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 2px; }
svg.chart text { font-size: 12px; fill: var(--fg); }
svg.chart .label { font-weight: 600; }
svg.chart .tick { font-size: 11px; fill: var(--muted); }
svg.chart .axis-label { font-size: 11.5px; fill: var(--muted); }
svg.chart .value { font-variant-numeric: tabular-nums; }
svg.chart .grid { stroke: #eaeef2; }
svg.chart .axis { stroke: #8c959f; }
svg.chart .whisker line { stroke: #1f2328; stroke-width: 1.4; }
svg.chart .whisker .off-scale { fill: #1f2328; }
svg.chart .na { font-style: italic; fill: var(--na); }
/* A white halo keeps notes and reference labels readable where they cross lines. */
svg.chart .na, svg.chart .ref text { paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
svg.chart .ref line { stroke-width: 1.6; stroke-dasharray: 6 4; }
svg.chart .ref text { font-size: 11px; font-weight: 600; }
svg.chart .ref-floor line { stroke: #1f2328; }
svg.chart .ref-baseline line, svg.chart .ref-raw line { stroke: #6e7781; }
svg.chart .ref-baseline text, svg.chart .ref-raw text { fill: #59636e; }
svg.chart .claim-tick { stroke: #6e40c9; stroke-width: 2; stroke-dasharray: 3 2; }
svg.chart .claim-band { fill: #6e40c9; fill-opacity: 0.08; stroke: #6e40c9; stroke-opacity: 0.6; stroke-dasharray: 3 2; }
svg.chart .point { stroke: #1f2328; stroke-width: 1; }
svg.chart .ref-target line { stroke: #6e40c9; }
svg.chart .ref-target text { fill: #6e40c9; }
svg.chart .point-label.minor { font-size: 10.5px; font-weight: 500; fill: #59636e; }
svg.chart .leader { stroke: #8c959f; stroke-width: 0.8; }
svg.chart .front { fill: none; stroke: #1f2328; stroke-width: 1.2; stroke-dasharray: 2 3; }
table.candidates td.takes { white-space: normal; min-width: 18em; font-size: 11.5px; color: var(--muted); }
table.candidates tr.pareto td.variant { font-weight: 700; }
svg.chart .point-label { font-size: 11.5px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.legend-tick { display: inline-block; width: 0; height: 11px; border-left: 2px dashed #6e40c9; margin: 0 3px -1px; }
.legend-floor { display: inline-block; width: 0; height: 11px; border-left: 2px dashed #1f2328; margin: 0 3px -1px; }

/* Tables */
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 10px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; text-align: left; border-bottom: 1px solid var(--line); white-space: nowrap; }
thead th { background: var(--soft); font-weight: 600; position: sticky; top: 0; white-space: normal; vertical-align: bottom; line-height: 1.25; }
td small.interval { display: block; font-size: 11px; color: var(--muted); }
tbody tr:last-child td { border-bottom: 0; }
th.num, td.num { text-align: right; }
td.wrap { white-space: normal; min-width: 9em; }
td.reason { font-style: italic; white-space: normal; }
tr.status-unsupported td, tr.status-failed td, tr.status-wrong td { color: var(--na); }
tr.status-failed td.status, tr.status-wrong td.status { color: var(--not); }
tr.floor td { background: #fbfbfc; font-style: italic; }

/* Comparison */
.delta { display: inline-flex; align-items: center; gap: 8px; }
.delta-track { position: relative; display: inline-block; width: 120px; height: 10px; background: #f0f2f4; border-radius: 3px; }
.delta-track::after { content: ""; position: absolute; left: 50%; top: -2px; bottom: -2px; border-left: 1px solid #8c959f; }
.delta-bar { position: absolute; top: 0; bottom: 0; border-radius: 3px; }
.delta-bar.better { background: #2da44e; }
.delta-bar.worse { background: #cf222e; }
.delta-bar.same { background: #afb8c1; }
.change-better { color: var(--held); font-weight: 600; }
.change-worse { color: var(--not); font-weight: 600; }
.change-same, .change-unmatched { color: var(--muted); }
tr.differs td { background: #fff8c5; }
table.env-compare th[scope="row"] { width: 14em; }
table.env-compare td { width: 40%; }
details.same-env { margin-top: 8px; }
details.same-env summary { cursor: pointer; color: var(--muted); margin-bottom: 6px; }

/* Environment */
.env-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 4px 32px; }
dl.env { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; }
dl.env dt { color: var(--muted); }
dl.env dd { margin: 0; overflow-wrap: anywhere; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }

@media (max-width: 720px) {
  main { padding: 16px; }
  .charts { grid-template-columns: 1fr; }
}

@media print {
  /* Landscape: two charts side by side at ~90% of their drawn size, and the full table fits. */
  @page { size: A4 landscape; margin: 10mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h1 { font-size: 20px; }
  h2 { font-size: 16px; margin-top: 14px; break-after: avoid; }
  h3, .facts, figure.chart-box h4 { break-after: avoid; }
  section.run + section.run { break-before: page; }
  .charts { break-before: avoid; }
  .claims-grid { grid-template-columns: repeat(3, 1fr); gap: 8px; }
  .claim { padding: 8px 12px; }
  .charts { grid-template-columns: 1fr 1fr; gap: 8px; margin: 4px 0 8px; }
  figure.chart-box { padding: 6px 8px; }
  figure.chart-box, .claim, .answer, tr { break-inside: avoid; }
  li.headline .words { font-size: 13px; }
  .table-wrap { overflow: visible; border: 0; }
  table { font-size: 10px; }
  th, td { padding: 2px 4px; }
  td small.interval { font-size: 9px; }
  thead th { position: static; }
  a { color: inherit; }
}
`
