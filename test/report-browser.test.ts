/**
 * The HTML report in a real headless Chromium: it loads offline with no console errors and no
 * request but its own file, the charts have the bars the results call for, and screenshots (and
 * a PDF) land in test-artifacts/ for a person to look at.
 */
import {mkdir, mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import type {Browser, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {ResultsFile} from '../src/bench/results.js'
import {writeReports} from '../src/report/index.js'
import {CHROMIUM_MISSING, hasChromium, launchChromium} from './helpers/browser.js'
import {measuredResults, syntheticResults, verdictCaseResults, type VerdictCase} from './helpers/results-fixture.js'
import {headlinesFor, headlineText} from '../src/report/verdict.js'

const ARTIFACTS = new URL('../test-artifacts/', import.meta.url)
const required = process.env.HOLOBENCH_REQUIRE_BROWSER === '1'
const available = hasChromium()
if (!available && !required) console.warn(`HTML browser tests skipped: ${CHROMIUM_MISSING}`)

interface Loaded {
  page: Page
  url: string
  requests: string[]
  errors: string[]
}

describe.skipIf(!available && !required)('HTML report in headless Chromium', () => {
  let browser: Browser
  let dir: string
  let measured: ResultsFile

  beforeAll(async () => {
    if (!available) throw new Error(`HOLOBENCH_REQUIRE_BROWSER=1 but ${CHROMIUM_MISSING}`)
    await mkdir(ARTIFACTS, {recursive: true})
    dir = await mkdtemp(join(os.tmpdir(), 'holobench-report-browser-'))
    ;[browser, measured] = await Promise.all([launchChromium(), measuredResults()])
  })

  afterAll(async () => {
    await browser?.close()
    if (dir) await rm(dir, {recursive: true, force: true})
  })

  async function open(results: ResultsFile[], labels: string[], name: string): Promise<Loaded> {
    const {files} = await writeReports({results, outDir: join(dir, name), formats: ['html'], labels})
    const url = pathToFileURL(files[0]).href
    const page = await browser.newPage({viewport: {width: 1280, height: 800}})
    const requests: string[] = []
    const errors: string[] = []
    page.on('request', (request) => requests.push(request.url()))
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
    page.on('dialog', (dialog) => {
      errors.push(`dialog: ${dialog.message()}`)
      void dialog.dismiss()
    })
    await page.goto(url, {waitUntil: 'load'})
    return {page, url, requests, errors}
  }

  it('renders one run: no errors, no network, the expected bars, a readable screenshot', async () => {
    const {page, url, requests, errors} = await open([measured], ['this machine'], 'single')
    try {
      expect(errors).toEqual([])
      expect(requests).toEqual([url])

      for (const scenario of measured.scenarios) {
        const chart = (name: string) => page.locator(`svg[data-chart="${name}"][data-scenario="${scenario.scenario}"]`)
        const ok = scenario.rows.filter((row) => row.status === 'ok' && row.variant !== 'floor')
        const notOk = scenario.rows.filter((row) => row.status !== 'ok')

        // Restore time: one bar per measured variant, the floor as a line, the rest labelled.
        const time = chart('time')
        expect(await time.locator('rect.bar').count()).toBe(ok.length)
        expect(await time.locator('rect.bar').evaluateAll((bars) => bars.map((bar) => bar.getAttribute('data-variant')))).toEqual(ok.map((row) => row.variant))
        expect(await time.locator('.ref-floor line').count()).toBe(1)
        expect(await time.locator('.ref-floor text').textContent()).toMatch(/^floor \(plain copy\) [\d.,]+ (ms|µs|s)$/)
        expect(await time.locator('g.whisker').count()).toBe(ok.length)
        for (const row of notOk) expect(await time.locator(`text.na[data-variant="${row.variant}"]`).textContent()).toContain(`${row.status}: ${row.reason}`)
        // Bar lengths are proportional to the medians (the axis starts at 0).
        const widths = await time.locator('rect.bar').evaluateAll((bars) => bars.map((bar) => (bar as SVGRectElement).getBBox().width))
        const perSecond = widths.map((width, index) => width / ok[index].stats!.median)
        for (const value of perSecond) expect(value / perSecond[0]).toBeGreaterThan(0.97)
        for (const value of perSecond) expect(value / perSecond[0]).toBeLessThan(1.03)

        // Speed-up over gzip: every measured variant except gzip itself, gzip and floor lines, claim markers.
        const speedup = chart('speedup')
        expect(await speedup.locator('rect.bar').count()).toBe(ok.filter((row) => row.variant !== 'gzip').length)
        expect(await speedup.locator('.ref-baseline line').count()).toBe(1)
        expect(await speedup.locator('.ref-floor line').count()).toBe(1)
        expect(await speedup.locator('.claim-tick').count()).toBe(2) // zstd 3x, zstd-noverify 4x
        expect(await speedup.locator('.claim-band').count()).toBe(1) // reflink 10-60x
        expect(await speedup.locator('text.na[data-variant="none-reflink"]').textContent()).toContain('unsupported')

        // The trade-off: one point per measured variant with a library, each with a 95% whisker.
        const tradeoff = chart('tradeoff')
        const withLibrary = ok.filter((row) => row.codec !== null)
        expect(await tradeoff.locator('circle.point').evaluateAll((points) => points.map((point) => point.getAttribute('data-variant')).sort())).toEqual(withLibrary.map((row) => row.variant).sort())
        expect(await tradeoff.locator('g.whisker').count()).toBe(withLibrary.length)
        expect(await tradeoff.locator('.ref-floor line').count()).toBe(1)

        // Library size: one bar per codec lifted.
        expect(await chart('library').locator('rect.bar').count()).toBe(scenario.libraries.length)

        // The full table underneath: one row per results row.
        const table = page.locator(`section.scenario[data-scenario="${scenario.scenario}"] table.data tbody tr`)
        expect(await table.count()).toBe(scenario.rows.length)
      }

      // Claims panel: three claims, a verdict per scenario, reflink not measured on this fixture.
      const claims = page.locator('section.claims article.claim')
      expect(await claims.count()).toBe(3)
      const verdicts = await page.locator('section.claims li[data-verdict]').evaluateAll((items) => items.map((item) => item.getAttribute('data-verdict')))
      expect(verdicts).toHaveLength(3 * measured.scenarios.length)
      for (const verdict of verdicts) expect(['held', 'not-held', 'not-measured']).toContain(verdict)
      expect(await page.locator('article.claim[data-claim="none-reflink"] .verdict').allTextContents()).toEqual(measured.scenarios.map(() => 'not measured'))

      // Readable at laptop width: nothing overflows sideways, the tables fit without scrolling.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280)
      const overflowing = await page.locator('.table-wrap').evaluateAll((wraps) => wraps.filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1).length)
      expect(overflowing).toBe(0)

      await page.screenshot({path: new URL('report.png', ARTIFACTS).pathname, fullPage: true})
    } finally {
      await page.close()
    }
  })

  it.each<[VerdictCase, string]>([
    ['faster', 'win'],
    ['no-difference', 'tie'],
    ['slower', 'slower'],
    ['inconclusive', 'inconclusive'],
  ])('puts the answer first: %s, in the same words as the other formats', async (kind, shot) => {
    const results = verdictCaseResults(kind, {scratchFs: kind === 'inconclusive' ? 'ext4' : 'tmpfs'})
    const {page, errors} = await open([results], [`${shot}`], `verdict-${shot}`)
    try {
      expect(errors).toEqual([])
      const items = page.locator('section.answers li.headline')
      const verdicts = await items.evaluateAll((list) => list.map((item) => [item.getAttribute('data-variant'), item.getAttribute('data-verdict')]))
      expect(verdicts).toEqual([
        ['zstd', kind],
        ['zstd-noverify', kind],
        ['none-copy', kind],
        ['none-reflink', 'not-measured'],
      ])
      // The badge says it in words, and the sentence is the one the run table and Markdown print.
      const label = {faster: 'faster', 'no-difference': 'no difference', slower: 'slower', inconclusive: 'inconclusive'}[kind]
      expect(await items.first().locator('.badge').textContent()).toBe(label)
      const texts = await items.locator('.words').allTextContents()
      headlinesFor(results, results.scenarios[0]).forEach((headline, index) => expect(texts[index]).toContain(headlineText(headline)))
      if (kind === 'inconclusive') {
        expect(texts[0]).toMatch(/to settle it: more runs: about \d+ per variant/)
        expect(await page.locator('section.answers li.caveat').first().textContent()).toContain('file-system metadata dominates every ratio')
      }
      // The answer comes before the proposal's expectations, which come before the charts.
      const order = await page.evaluate(() => ['section.answers', 'section.claims', 'section.scenario'].map((selector) => document.querySelector(selector)!.getBoundingClientRect().top))
      expect(order[0]).toBeLessThan(order[1])
      expect(order[1]).toBeLessThan(order[2])
      // Nothing in the expectations panel is drawn as a failure.
      expect(await page.locator('section.claims').textContent()).not.toMatch(/✗|not held/)
      await page.screenshot({path: new URL(`report-${shot}.png`, ARTIFACTS).pathname, fullPage: true})
    } finally {
      await page.close()
    }
  })

  it('prints: print styles keep charts and tables within an A4 landscape page', async () => {
    const {page, errors} = await open([measured], ['this machine'], 'print')
    try {
      await page.emulateMedia({media: 'print'})
      await page.setViewportSize({width: 1047, height: 700}) // A4 landscape minus 10 mm margins, in CSS px
      expect(await page.locator('nav.toc').isVisible()).toBe(false)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1047)
      const overflowing = await page.locator('.table-wrap table').evaluateAll((tables) => tables.filter((table) => table.getBoundingClientRect().right > 1047 + 1).length)
      expect(overflowing).toBe(0)
      const pdf = await page.pdf({path: new URL('report.pdf', ARTIFACTS).pathname, printBackground: true, preferCSSPageSize: true})
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) ?? []
      expect(pages.length).toBeGreaterThan(1)
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('compares runs, and hostile names stay text', async () => {
    const before = syntheticResults(1)
    const after = syntheticResults(2, {speed: 1.4})
    for (const file of [before, after]) file.scenarios[1].scenario = 'tree:<img src=x onerror=alert(1)>'
    const {page, url, requests, errors} = await open([before, after], ['before', 'after <b>'], 'compare')
    try {
      expect(errors).toEqual([])
      expect(requests).toEqual([url])
      expect(await page.locator('img').count()).toBe(0)
      expect(await page.locator('b:text("after")').count()).toBe(0)
      const rows = page.locator('section.comparison tr[data-compare-row]')
      // Every row but gzip's, which is the 1× both runs measure against.
      expect(await rows.count()).toBe(before.scenarios.reduce((sum, scenario) => sum + scenario.rows.length - 1, 0))
      // A faster machine moves raw times, not in-run ratios: no row claims a change.
      expect(await page.locator('section.comparison tr[data-change="better"], section.comparison tr[data-change="worse"]').count()).toBe(0)
      expect(await page.locator('section.comparison h2').textContent()).toBe('Comparison: after <b> against before')
      expect(await page.locator('svg[data-chart="time"][data-scenario="tree:<img src=x onerror=alert(1)>"]').count()).toBe(2)
      await page.screenshot({path: new URL('report-compare.png', ARTIFACTS).pathname, fullPage: true})
    } finally {
      await page.close()
    }
  })
})
