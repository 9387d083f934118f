// @ts-check
// The dashboard: the selection (hospital, unit, metric, what to compare), kept in the page's URL so a view can be
// shared, and the three views drawn from it: the metric over time, compared across units or hospitals for one period,
// and which unit reports which metric. performance.mark('dashboard:first-chart') records when the first chart is drawn.

import { chartIn, comparisonHeight, comparisonOption, timeseriesOption } from './charts.js'
import * as data from './data.js'
import { periodLabel } from './figures.js'
import { figureDetails, fillCoverage, fillFigureTable, fillSelect } from './views.js'

/** @typedef {import('./charts.js').DrawnPoint} DrawnPoint */
/** @typedef {import('./data.js').MetricDefinition} MetricDefinition */
/** @typedef {import('./data.js').SummaryGroup} SummaryGroup */
/** @typedef {{ region: string, hospital: string, department: string, metric: string, compare: string }} Selection */

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id))
const form = /** @type {HTMLFormElement} */ (byId('selection'))
const regionSelect = /** @type {HTMLSelectElement} */ (byId('region'))
const hospitalSelect = /** @type {HTMLSelectElement} */ (byId('hospital'))
const departmentSelect = /** @type {HTMLSelectElement} */ (byId('department'))
const metricSelect = /** @type {HTMLSelectElement} */ (byId('metric'))

const query = new URLSearchParams(window.location.search)
/** @type {Selection} */
const selection = {
  region: query.get('region') ?? '',
  hospital: query.get('hospital') ?? '',
  department: query.get('department') ?? '',
  metric: query.get('metric') ?? '',
  compare: query.get('compare') === 'hospitals' ? 'hospitals' : 'units'
}
/** @type {Map<string, MetricDefinition>} */
let metrics = new Map()
/** @type {Map<string, string>} */
let hospitalNames = new Map()
/** Bumped by every new selection: a view whose answer arrives after the next selection is not drawn. */
let generation = 0

/**
 * What each view reads from the API for a selection.
 * @param {Selection} chosen
 */
const reads = ({ region, hospital, department, metric, compare }) => ({
  timeseries: () => data.timeseries({ metric, hospital, department }),
  comparison: () => data.summary(compare === 'hospitals'
    // Across hospitals: those of the chosen region (the summary takes up to 100 hospitals), or every one.
    ? { metric, hospital: region === '' ? undefined : [...hospitalNames.keys()].slice(0, 100).join(','), units: 3 }
    : { metric, hospital, department, units: 100 }),
  coverage: () => data.coverage({ hospital, department })
})

/** @param {string} text */
const say = (text) => { byId('status').textContent = text }

function place () {
  if (selection.department !== '') return departmentSelect.selectedOptions[0]?.textContent ?? selection.department
  return hospitalNames.get(selection.hospital) ?? selection.hospital
}

function markFirstChart () {
  if (performance.getEntriesByName('dashboard:first-chart').length === 0) performance.mark('dashboard:first-chart')
}

/** The details of a figure in the selected-figure panel. @param {DrawnPoint} point @param {string} unitLabel */
function select (point, unitLabel) {
  byId('selected-figure').replaceChildren(figureDetails(point, { links: true, unitLabel }))
}

/**
 * Shows a figure of a chart from its table row: the chart's tooltip on it, and the panel.
 * @param {HTMLElement} container @param {DrawnPoint} point @param {{ seriesIndex: number, dataIndex: number } | null} where
 * @param {string} unitLabel
 */
function showPoint (container, point, where, unitLabel) {
  select(point, unitLabel)
  if (where !== null) void chartIn(container).then((chart) => chart.dispatchAction({ type: 'showTip', ...where }))
}

/** @param {MetricDefinition} metric @param {number} current */
async function showTimeseries (metric, current) {
  const listing = await reads(selection).timeseries()
  if (current !== generation) return
  /** @type {DrawnPoint[]} */
  const points = listing.items.map((item) => ({
    label: item.department.name,
    figure: item.figure,
    statedValue: item.statedValue,
    at: item.at,
    period: item.period,
    quotes: [{ label: item.department.name, statedValue: item.statedValue, source: item.source }],
    unitCount: 1,
    allUnits: null
  }))
  /** @type {Map<string, DrawnPoint[]>} */
  const byUnit = new Map()
  const where = points.map((point) => {
    if (point.at === null) return null
    const series = byUnit.get(point.label) ?? []
    byUnit.set(point.label, [...series, point])
    return { seriesIndex: [...byUnit.keys()].indexOf(point.label), dataIndex: series.length }
  })
  const title = `${metric.name} over time, ${place()}`
  byId('timeseries-title').textContent = title
  const container = byId('timeseries-chart')
  const chart = await chartIn(container)
  if (current !== generation) return
  chart.setOption(timeseriesOption({ title, unitLabel: metric.unitLabel, series: [...byUnit].map(([name, unitPoints]) => ({ name, points: unitPoints })) }), { notMerge: true })
  markFirstChart()
  const undated = points.filter((point) => point.at === null).length
  byId('timeseries-note').textContent = points.length === 0
    ? 'No figure of this metric here.'
    : `${points.length} figure${points.length === 1 ? '' : 's'}${listing.complete ? '' : ' (the first ones only)'}` +
      (undated === 0 ? '.' : `; ${undated} undated, listed in the table but not on the time axis.`)
  fillFigureTable(/** @type {HTMLTableElement} */ (byId('timeseries-table')), title, 'Unit', points,
    (index) => showPoint(container, /** @type {DrawnPoint} */ (points[index]), where[index] ?? null, metric.unitLabel))
}

/**
 * The period to compare: the one most groups are for, the latest of those.
 * @param {SummaryGroup[]} groups
 */
function commonPeriod (groups) {
  /** @type {Map<string, SummaryGroup[]>} */
  const byPeriod = new Map()
  for (const group of groups) {
    const key = JSON.stringify(group.period)
    byPeriod.set(key, [...byPeriod.get(key) ?? [], group])
  }
  const ranked = [...byPeriod.values()].sort((a, b) => b.length - a.length ||
    String(b[0]?.period.end ?? b[0]?.period.start ?? '').localeCompare(String(a[0]?.period.end ?? a[0]?.period.start ?? '')))
  return { groups: ranked[0] ?? [], others: groups.length - (ranked[0]?.length ?? 0) }
}

/** @param {MetricDefinition} metric @param {number} current */
async function showComparison (metric, current) {
  const acrossHospitals = selection.compare === 'hospitals'
  const listing = await reads(selection).comparison()
  if (current !== generation) return
  const { groups, others } = commonPeriod(listing.items)
  const period = groups[0]?.period
  /** @type {DrawnPoint[]} */
  const points = acrossHospitals
    ? groups.filter((group) => group.total !== null).map((group) => ({
        label: group.hospital.shortName ?? group.hospital.name,
        figure: /** @type {import('./figures.js').QualifiedValue} */ (group.total),
        statedValue: null,
        at: group.period.end,
        period: group.period,
        quotes: group.units.map((unit) => ({ label: unit.department.name, statedValue: unit.statedValue, source: unit.source })),
        unitCount: group.unitCount,
        allUnits: group.links.units
      }))
    : groups.flatMap((group) => group.units.map((unit) => ({
        label: unit.department.name,
        figure: unit.figure,
        statedValue: unit.statedValue,
        at: group.period.end ?? unit.statedOn,
        period: group.period,
        quotes: [{ label: unit.department.name, statedValue: unit.statedValue, source: unit.source }],
        unitCount: 1,
        allUnits: null
      })))
  const title = `${metric.name}${acrossHospitals ? ', hospitals\' totals' : `, ${place()} by unit`}` +
    (period === undefined ? '' : ` (${periodLabel(period)})`)
  byId('comparison-title').textContent = title
  const container = byId('comparison-chart')
  container.style.height = `${comparisonHeight(points.length)}px`
  const chart = await chartIn(container)
  if (current !== generation) return
  chart.resize()
  chart.setOption(comparisonOption({ title, unitLabel: metric.unitLabel, points, width: container.clientWidth }), { notMerge: true })
  markFirstChart()
  const absent = acrossHospitals && groups.length > 0 && points.length === 0 ? groups[0]?.totalAbsent : null
  const shown = groups.reduce((count, group) => count + group.units.length, 0)
  const listed = groups.reduce((count, group) => count + group.unitCount, 0)
  byId('comparison-note').textContent = [
    points.length === 0 ? (absent ? `No totals: ${absent}.` : 'No figure of this metric here.') : '',
    others > 0 ? `${others} group${others === 1 ? '' : 's'} for other periods not compared with these.` : '',
    !acrossHospitals && listed > shown ? `The first ${shown} of ${listed} units.` : '',
    listing.complete ? '' : 'The first hospitals only.'
  ].filter((part) => part !== '').join(' ')
  fillFigureTable(/** @type {HTMLTableElement} */ (byId('comparison-table')), title, acrossHospitals ? 'Hospital' : 'Unit', points,
    (index) => showPoint(container, /** @type {DrawnPoint} */ (points[index]), { seriesIndex: 0, dataIndex: index }, metric.unitLabel))
}

/** @param {number} current */
async function showCoverage (current) {
  const listing = await reads(selection).coverage()
  if (current !== generation) return
  const codes = /** @type {string[]} */ (listing.first.metrics ?? [])
  const columns = codes.map((code) => metrics.get(code) ?? { code, name: code, unit: '', unitLabel: '', category: '', additive: false })
  fillCoverage(/** @type {HTMLTableElement} */ (byId('coverage-table')), listing.items, columns, selection.metric, (code) => {
    selection.metric = code
    metricSelect.value = code
    // The table is drawn anew: the keyboard stays on the chosen metric's button.
    void show().then(() => /** @type {HTMLElement | null} */ (byId('coverage-table').querySelector('th.selected button'))?.focus())
  })
}

/** Draws every view for the current selection. */
async function show () {
  const current = ++generation
  const params = new URLSearchParams(Object.entries(selection).filter(([name, value]) => value !== '' && !(name === 'compare' && value === 'units')))
  window.history.replaceState(null, '', `/dashboard?${params}`)
  const metric = metrics.get(selection.metric)
  if (metric === undefined) return
  say(`Loading ${metric.name} for ${place()}…`)
  /** @type {Array<[string, Promise<void>]>} */
  const views = [['timeseries', showTimeseries(metric, current)], ['comparison', showComparison(metric, current)], ['coverage', showCoverage(current)]]
  /** @type {string[]} */
  const failures = []
  await Promise.all(views.map(async ([id, drawn]) => {
    byId(id).setAttribute('aria-busy', 'true')
    await drawn.catch((/** @type {Error} */ error) => { failures.push(error.message) })
    if (current === generation) byId(id).setAttribute('aria-busy', 'false')
  }))
  if (current !== generation) return
  say(failures.length === 0 ? `Showing ${metric.name} for ${place()}.` : `Some of the data could not be read: ${failures.join('; ')}`)
}

/** The hospital picker, from a list of hospitals (a region's, or every one); the choice stays when it is in the list. @param {{ items: Array<{ slug: string, name: string }> }} hospitals */
function fillHospitals (hospitals) {
  hospitalNames = new Map(hospitals.items.map((hospital) => [hospital.slug, hospital.name]))
  if (!hospitalNames.has(selection.hospital)) selection.hospital = hospitals.items[0]?.slug ?? ''
  fillSelect(hospitalSelect, hospitals.items.map((hospital) => ({ value: hospital.slug, label: hospital.name })), selection.hospital)
}

/** The units of the chosen hospital in the unit picker. */
async function loadUnits () {
  const units = await data.departments(selection.hospital)
  fillSelect(departmentSelect, units.items.map((unit) => ({ value: unit.slug, label: unit.name })), selection.department)
  if (selection.department !== '' && departmentSelect.value !== selection.department) {
    selection.department = ''
    departmentSelect.value = ''
    await show()
  }
}

async function start () {
  // A URL that names the hospital and the metric has its views' data on the way while the pickers are filled.
  if (selection.hospital !== '' && selection.metric !== '') {
    for (const read of Object.values(reads(selection))) read().catch(() => {})
  }
  const [regions, hospitals, definitions] = await Promise.all([data.regions(), data.hospitals(selection.region), data.metricDefinitions()])
  const shown = regions.items.filter((region) => region.hospitalCount > 0)
  if (!shown.some((region) => region.slug === selection.region)) selection.region = ''
  fillSelect(regionSelect, shown.map((region) => ({ value: region.slug, label: `${region.name} (${region.level}, ${region.hospitalCount})` })), selection.region)
  metrics = new Map(definitions.items.map((metric) => [metric.code, metric]))
  if (!metrics.has(selection.metric)) selection.metric = definitions.items[0]?.code ?? ''
  fillHospitals(selection.region === '' || hospitals.items.length > 0 ? hospitals : await data.hospitals())
  fillSelect(metricSelect, definitions.items.map((metric) => ({ value: metric.code, label: `${metric.name} (${metric.unitLabel})`, group: metric.category })), selection.metric)
  for (const input of form.querySelectorAll('input[name="compare"]')) {
    const radio = /** @type {HTMLInputElement} */ (input)
    radio.checked = radio.value === selection.compare
  }
  if (hospitals.items.length === 0) {
    say('No hospital yet: the dashboard has nothing to show.')
    return
  }
  await Promise.all([loadUnits(), show()])
}

form.addEventListener('change', (event) => {
  const target = /** @type {HTMLInputElement | HTMLSelectElement} */ (event.target)
  if (target === regionSelect) {
    selection.region = regionSelect.value
    const hospital = selection.hospital
    void data.hospitals(selection.region).then(async (hospitals) => {
      fillHospitals(hospitals)
      if (selection.hospital !== hospital) {
        selection.department = ''
        await loadUnits()
      }
      await show()
    }).catch((/** @type {Error} */ error) => { say(`The region's hospitals could not be read: ${error.message}`) })
    return
  }
  if (target === hospitalSelect) {
    selection.hospital = hospitalSelect.value
    selection.department = ''
    void loadUnits()
  } else if (target === departmentSelect) {
    selection.department = departmentSelect.value
  } else if (target === metricSelect) {
    selection.metric = metricSelect.value
  } else if (target.name === 'compare') {
    selection.compare = target.value
  }
  void show()
})
form.addEventListener('submit', (event) => {
  event.preventDefault()
  void show()
})
for (const id of ['timeseries-chart', 'comparison-chart']) {
  void chartIn(byId(id)).then((chart) =>
    chart.on('click', (/** @type {any} */ params) => select(params.data.point, metrics.get(selection.metric)?.unitLabel ?? '')))
}

start().catch((/** @type {Error} */ error) => {
  say(`The dashboard could not start: ${error.message}`)
  for (const id of ['timeseries', 'comparison', 'coverage']) byId(id).setAttribute('aria-busy', 'false')
})
