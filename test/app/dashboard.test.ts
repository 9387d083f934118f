import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Page } from 'playwright-core'
import t from 'tap'
import { packageRoot } from '../../src/paths.ts'
import { buildTestApp } from '../helper.ts'

// The dashboard in a real browser, as bureau staff use it: Debian's chromium (apt package `chromium`), driven by
// playwright-core, against the app listening on a port, on the seed. One browser start for the whole file. Without
// chromium the file is skipped, saying so; CI installs it. What is drawn is read from the ECharts instances
// (getOption) and compared with the API's JSON for the same selection, bounds included. Screenshots go to
// $ARTIFACTS_DIR/dashboard/ (default artifacts/ in the checkout; .ci/run prints where). The first chart's time is
// reported, not asserted: the machine is shared.

const executablePath = '/usr/bin/chromium'
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
const artifacts = path.join(process.env.ARTIFACTS_DIR ?? path.join(packageRoot, 'artifacts'), 'dashboard')

interface Figure { value: number, lower: number | null, upper: number | null, comparator: string | null, approximate: boolean, exact: boolean }
interface Source { id: string, title: string, quote: string }
interface DrawnItem {
  value: number[]
  point: { label: string, figure: Figure, statedValue: string | null, at: string | null, quotes: Array<{ label: string, source: Source }>, unitCount: number }
}
interface ChartOption { series: Array<{ name: string, data: DrawnItem[] }>, yAxis: Array<{ data?: string[] }> }
/** What the functions run in the page use of its globals (the tests are compiled without the DOM's types). */
interface InPage {
  echarts: { getInstanceByDom: (element: object) => { getOption: () => unknown, convertToPixel: (finder: object, value: number[]) => number[] } }
  document: {
    getElementById: (id: string) => object
    activeElement: { closest: (selector: string) => object | null, textContent: string | null } | null
    documentElement: { scrollWidth: number }
  }
}
interface TableRow { querySelector: (selector: string) => { textContent: string | null }, querySelectorAll: (selector: string) => { length: number } }

/** What a chart of the page draws: its option as ECharts holds it. */
async function drawn (page: Page, container: string): Promise<ChartOption> {
  return await page.evaluate((id) => {
    const { echarts, document } = globalThis as unknown as InPage
    return JSON.parse(JSON.stringify(echarts.getInstanceByDom(document.getElementById(id)).getOption())) as ChartOption
  }, container)
}

/** Waits until every view has drawn the current selection. */
async function settled (page: Page, status: RegExp): Promise<void> {
  await page.locator('#status').filter({ hasText: status }).waitFor()
  for (const id of ['timeseries', 'comparison', 'coverage']) await page.locator(`#${id}[aria-busy="false"]`).waitFor()
}

if (!existsSync(executablePath)) {
  t.plan(0, `no chromium at ${executablePath} (apt-get install chromium): the dashboard is not tested in a browser`)
} else {
  t.test('the dashboard draws the seed\'s figures with their qualifiers and quotes, by mouse and by keyboard', async (t) => {
    const app = await buildTestApp(t)
    const origin = await app.listen({ host: '127.0.0.1', port: 0 })
    const api = async <Body>(url: string): Promise<Body> => await (await fetch(`${origin}${url}`)).json() as Body
    const userDataDir = await mkdtemp(path.join(tmpdir(), 'dashboard-chromium-'))
    const browser = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: chromiumArgs, viewport: { width: 1280, height: 800 } })
    t.teardown(async () => {
      await browser.close()
      await rm(userDataDir, { recursive: true, force: true })
    })
    browser.setDefaultTimeout(30_000)
    await mkdir(artifacts, { recursive: true })
    const page = browser.pages()[0] ?? await browser.newPage()
    const errors: string[] = []
    page.on('console', (message) => { if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text()) })
    page.on('pageerror', (error) => { errors.push(error.message) })

    // A lower bound: "more than 30,000" outpatient visits a year.
    await page.goto(`${origin}/dashboard?hospital=cqhcwc&metric=outpatient_visits.annual`)
    await settled(page, /^Showing Annual outpatient visits/)
    const firstChart = await page.evaluate(() => performance.getEntriesByName('dashboard:first-chart')[0]?.startTime)
    t.type(firstChart, 'number', 'the page marks when its first chart is drawn')
    t.comment(`first chart drawn ${Math.round(firstChart ?? NaN)} ms after navigation (reported, not asserted)`)
    t.equal(await page.locator('#hospital').inputValue(), 'cqhcwc', 'the pickers show the selection of the URL')
    t.equal(await page.locator('#metric').inputValue(), 'outpatient_visits.annual')

    const series = await api<{ data: Array<{ department: { name: string }, at: string | null, figure: Figure, statedValue: string, source: Source }> }>(
      '/v1/statistics/timeseries?metric=outpatient_visits.annual&hospital=cqhcwc&limit=100')
    t.ok(series.data.length > 0, 'the seed has figures for this selection')
    const timeline = await drawn(page, 'timeseries-chart')
    const plotted = timeline.series.flatMap((one) => one.data.map((item) => ({ series: one.name, ...item })))
    t.same(plotted.map(({ series, value, point }) => ({ series, at: value[0], value: value[1], figure: point.figure, quote: point.quotes[0]?.source.quote })),
      series.data.filter((point) => point.at !== null).map((point) => ({
        series: point.department.name, at: Date.parse(point.at!), value: point.figure.value, figure: point.figure, quote: point.source.quote
      })), 'the time series draws every dated figure of the API\'s answer at its date, with its bounds and quote')
    const outpatients = plotted[0]!.point.figure
    t.match(outpatients, { value: 30000, lower: 30000, upper: null, comparator: '>', exact: false }, '"more than 30,000" is drawn as a lower bound')
    t.ok(plotted[0]!.value[3]! > 30000, 'with room above it on the axis for its open band')

    const summary = await api<{ data: Array<{ units: Array<{ department: { name: string }, figure: Figure, source: Source }> }> }>(
      '/v1/statistics/summary?metric=outpatient_visits.annual&hospital=cqhcwc&units=100&limit=100')
    const comparison = await drawn(page, 'comparison-chart')
    t.same(comparison.yAxis[0]?.data, summary.data[0]?.units.map((unit) => unit.department.name), 'the comparison has a row per unit')
    t.same(comparison.series[0]?.data.map((item) => item.point.figure), summary.data[0]?.units.map((unit) => unit.figure),
      'each drawn with the figure the summary gives it, bounds included')

    // Hovering a point shows its quote.
    const pixel = await page.evaluate(([x, y]) => {
      const { echarts, document } = globalThis as unknown as InPage
      return echarts.getInstanceByDom(document.getElementById('timeseries-chart')).convertToPixel({ seriesIndex: 0 }, [x!, y!])
    }, plotted[0]!.value)
    const box = (await page.locator('#timeseries-chart').boundingBox())!
    await page.mouse.move(box.x + pixel[0]!, box.y + pixel[1]!)
    const tooltip = page.locator('#timeseries-chart .chart-tooltip')
    await tooltip.filter({ hasText: series.data[0]!.source.quote }).waitFor({ state: 'visible' })
    t.match(await tooltip.innerText(), 'a lower bound: more than 30,000', 'hovering the point shows its qualifier and its quote')
    await page.screenshot({ path: path.join(artifacts, 'dashboard-1280x800.png'), fullPage: true })

    // The keyboard reaches the figures' table; a row shows its quote and links to its source.
    await page.mouse.move(0, 0)
    await page.locator('#hospital').focus()
    let inTable = false
    for (let press = 0; press < 40 && !inTable; press++) {
      await page.keyboard.press('Tab')
      inTable = await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.closest('#timeseries-table') != null)
    }
    t.ok(inTable, 'Tab reaches the table of the time series\' figures')
    const selected = page.locator('#selected-figure')
    await selected.filter({ hasText: series.data[0]!.source.quote }).waitFor()
    t.match(await selected.innerText(), 'more than 30,000 visits', 'the focused figure is shown with its stated value and unit')
    const link = selected.locator('a').first()
    t.equal(await link.getAttribute('href'), `/v1/sources/${series.data[0]!.source.id}`, 'and a link to its source')
    const source = await fetch(`${origin}${await link.getAttribute('href')}`)
    t.equal(source.status, 200, 'which the API serves')
    t.match(((await source.json()) as { fullText: string }).fullText, series.data[0]!.source.quote, 'holding the sentence')
    await tooltip.filter({ hasText: series.data[0]!.source.quote }).waitFor({ state: 'visible' })
    t.pass('the chart\'s tooltip shows the focused figure too')

    // An "about" figure, without bounds and without a date: drawn in the comparison as approximate, listed in the table.
    await page.locator('#metric').selectOption('facility.floor_area')
    await settled(page, /^Showing Floor area/)
    t.match(page.url(), /metric=facility\.floor_area/, 'the URL keeps the selection')
    const about = (await drawn(page, 'comparison-chart')).series[0]!.data[0]!
    t.match(about.point.figure, { value: 3000, lower: null, upper: null, approximate: true, exact: false }, '"about 3000" is drawn without bounds, as approximate')
    t.same(about.value.slice(2).map(Math.round), [2700, 3300], 'its band, which the axis makes room for')
    t.same((await drawn(page, 'timeseries-chart')).series, [], 'an undated figure is not placed in time')
    t.match(await page.locator('#timeseries-note').innerText(), '1 undated, listed in the table', 'and the note says where it is')
    t.match(await page.locator('#timeseries-table tbody').innerText(), 'about 3000')

    // Across hospitals: each hospital's total, with the interval the summary computes.
    await page.getByLabel('hospitals').check()
    await settled(page, /^Showing Floor area/)
    await page.locator('#comparison-title').filter({ hasText: 'hospitals\' totals' }).waitFor()
    const totals = await api<{ data: Array<{ hospital: { shortName: string | null, name: string }, total: Figure | null, period: unknown }> }>(
      '/v1/statistics/summary?metric=facility.floor_area&units=3&limit=100')
    const hospitals = (await drawn(page, 'comparison-chart')).series[0]!.data
    t.same(hospitals.map((item) => [item.point.label, item.point.figure]),
      totals.data.map((group) => [group.hospital.shortName ?? group.hospital.name, group.total]), 'a total per hospital, bounds included')

    // A region narrows the hospitals: the picker lists the regions that hold hospitals, with how many.
    const regions = await api<{ data: Array<{ slug: string, name: string, level: string, hospitalCount: number }> }>('/v1/regions?limit=100')
    t.same(await page.locator('#region option').evaluateAll((options) => (options as unknown as Array<{ value: string, textContent: string }>).map((option) => [option.value, option.textContent])),
      [['', 'All regions'], ...regions.data.filter((region) => region.hospitalCount > 0).map((region) => [region.slug, `${region.name} (${region.level}, ${region.hospitalCount})`])],
      'the region picker lists the regions that hold hospitals')
    await page.locator('#region').selectOption('chongqing')
    await settled(page, /^Showing Floor area/)
    t.match(page.url(), /[?&]region=chongqing(&|$)/, 'the region is kept in the URL')
    const inRegion = await api<{ data: Array<{ slug: string }> }>('/v1/hospitals?region=chongqing&limit=100')
    t.same(await page.locator('#hospital option').evaluateAll((options) => (options as unknown as Array<{ value: string }>).map((option) => option.value)),
      inRegion.data.map((hospital) => hospital.slug).sort(), 'the hospital picker holds the region\'s hospitals')
    t.equal(await page.locator('#hospital').inputValue(), 'cqhcwc', 'and keeps the hospital chosen, which is in it')

    // The coverage grid: a tick where the unit reports the metric; a metric's name chooses it.
    const coverage = await api<{ data: Array<{ department: { name: string }, reported: string[] }> }>('/v1/statistics/coverage?hospital=cqhcwc&limit=100')
    const rows = await page.locator('#coverage-table tbody tr').evaluateAll((trs) => (trs as unknown as TableRow[]).map((tr) => ({
      unit: tr.querySelector('th').textContent, reported: tr.querySelectorAll('td.reported').length
    })))
    t.same(rows, coverage.data.map((unit) => ({ unit: unit.department.name, reported: unit.reported.length })), 'one row per unit, a tick per metric it reports')
    await page.locator('#coverage-table thead button', { hasText: 'Beds' }).press('Enter')
    await settled(page, /^Showing Beds/)
    t.equal(await page.locator('#metric').inputValue(), 'beds', 'a metric\'s name in the grid chooses it')
    t.equal(await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.textContent), 'Beds', 'and the keyboard stays on it')

    // A phone: the same page, without sideways scrolling of the page itself.
    await page.setViewportSize({ width: 375, height: 667 })
    await page.goto(`${origin}/dashboard?hospital=cqhcwc&metric=hysteroscopy_surgeries.cumulative`)
    await settled(page, /^Showing Hysteroscopy surgeries/)
    t.equal(await page.evaluate(() => (globalThis as unknown as InPage).document.documentElement.scrollWidth), 375, 'nothing wider than a phone\'s screen')
    const nearly = (await drawn(page, 'timeseries-chart')).series[0]!.data[0]!.point.figure
    t.match(nearly, { value: 100000, lower: null, upper: 100000, comparator: '<', approximate: true }, '"nearly 100,000" is an upper bound, hedged')
    await page.screenshot({ path: path.join(artifacts, 'dashboard-375x667.png'), fullPage: true })
    t.comment(`screenshots in ${artifacts}`)

    t.same(errors, [], 'no error or warning in the console, and nothing refused by the Content-Security-Policy')
  })
}
