// @ts-check
// Everything the dashboard reads from the API, and only that: one function per question the page asks. A new kind of
// data (regions, the analytics operation) is one function more here; the views never build a URL.

/** @typedef {import('./figures.js').QualifiedValue} QualifiedValue */
/** @typedef {{ id: string, title: string, statedOn: string | null, quote: string }} SourceReference */
/** @typedef {{ slug: string, name: string, kind?: string }} UnitReference */
/** @typedef {{ slug: string, name: string, shortName?: string | null }} Hospital */
/** @typedef {{ slug: string, name: string, kind: string, parent: { slug: string } | null }} Department */
/** @typedef {{ code: string, name: string, unit: string, unitLabel: string, category: string, additive: boolean }} MetricDefinition */
/** @typedef {{ kind: string, duration: string | null, start: string | null, end: string | null }} Period */
/**
 * @typedef {{ department: UnitReference, at: string | null, period: Period, statedOn: string | null,
 *   figure: QualifiedValue, statedValue: string, observationId: string, source: SourceReference }} TimeseriesPoint
 */
/**
 * @typedef {{ department: UnitReference, figure: QualifiedValue, statedValue: string, statedOn: string | null,
 *   observationId: string, source: SourceReference }} SummaryUnit
 */
/**
 * @typedef {{ hospital: Hospital, metric: MetricDefinition, additive: boolean, period: Period,
 *   total: QualifiedValue | null, totalAbsent: string | null, unitCount: number, units: SummaryUnit[],
 *   links: { units: string } }} SummaryGroup
 */
/** @typedef {{ hospital: Hospital, department: UnitReference, reported: string[], missing: string[], completeness: number }} UnitCoverage */
/**
 * @template Item
 * @typedef {{ items: Item[], complete: boolean, first: Record<string, unknown> }} Listing
 */

/** How many pages of 100 the page reads of one list at most; beyond that it says the list is cut. */
const maxPages = 5

export class ApiError extends Error {
  /** @param {string} message @param {number} status */
  constructor (message, status) {
    super(message)
    this.status = status
  }
}

/**
 * The JSON at `url`, or an ApiError with the problem's detail. A 503 (the server sheds load, or its database is
 * away for a moment) is tried once more after its Retry-After, up to 5 seconds.
 * @param {URL} url
 * @returns {Promise<any>}
 */
async function fetchJson (url, retry = true) {
  const response = await fetch(url, { headers: { accept: 'application/json' } })
  const body = await response.json().catch(() => null)
  if (response.status === 503 && retry) {
    const seconds = Math.min(Number(response.headers.get('retry-after')) || 1, 5)
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
    return fetchJson(url, false)
  }
  if (!response.ok) throw new ApiError(`${url.pathname}: ${body?.detail ?? response.statusText}`, response.status)
  return body
}

/**
 * Requests under way, by URL: asking again for what is already on its way (the views read ahead while the pickers
 * are filled) waits for the same answer. Nothing is kept once answered; the API's ETags and cache do the rest.
 * @type {Map<string, Promise<any>>}
 */
const inFlight = new Map()

/**
 * @param {string} path
 * @param {Record<string, string | number | undefined>} parameters
 * @returns {Promise<any>}
 */
function getJson (path, parameters) {
  const url = new URL(path, window.location.origin)
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== '') url.searchParams.set(name, String(value))
  }
  const key = url.href
  let answer = inFlight.get(key)
  if (answer === undefined) {
    answer = fetchJson(url).finally(() => inFlight.delete(key))
    inFlight.set(key, answer)
  }
  return answer
}

/**
 * Every item of a paged list, following `page.nextCursor`, up to `maxPages` pages.
 * @template Item
 * @param {string} path
 * @param {Record<string, string | number | undefined>} parameters
 * @returns {Promise<Listing<Item>>}
 */
async function everyItem (path, parameters) {
  /** @type {Item[]} */
  const items = []
  let cursor
  let first
  for (let page = 0; page < maxPages; page++) {
    const body = await getJson(path, { ...parameters, limit: 100, cursor })
    first ??= body
    items.push(...body.data)
    cursor = body.page.nextCursor
    if (cursor === null) return { items, complete: true, first }
  }
  return { items, complete: false, first }
}

/** @typedef {{ slug: string, name: string, level: string, hospitalCount: number }} Region */

/** The regions that hold hospitals (their own or below them). @returns {Promise<Listing<Region>>} */
export const regions = () => everyItem('/v1/regions', {})

/** The hospitals, of a region and the regions below it when one is named. @param {string} [region] @returns {Promise<Listing<Hospital>>} */
export const hospitals = (region) => everyItem('/v1/hospitals', { sort: 'name', region })

/** @param {string} hospital @returns {Promise<Listing<Department>>} */
export const departments = (hospital) => everyItem('/v1/departments', { hospital, fields: 'slug,name,kind,parent', sort: 'name' })

/** @returns {Promise<Listing<MetricDefinition>>} */
export const metricDefinitions = () => everyItem('/v1/metric-definitions', {})

/**
 * One metric's figures over time, for a hospital or a unit (and the units below it).
 * @param {{ metric: string, hospital?: string, department?: string }} selection
 * @returns {Promise<Listing<TimeseriesPoint>>}
 */
export const timeseries = ({ metric, hospital, department }) =>
  everyItem('/v1/statistics/timeseries', { metric, hospital, department })

/**
 * Totals per hospital and period of one metric, each with up to `units` of its units' figures (`hospital`: one slug
 * or a comma-separated list).
 * @param {{ metric: string, hospital?: string, department?: string, units: number }} selection
 * @returns {Promise<Listing<SummaryGroup>>}
 */
export const summary = ({ metric, hospital, department, units }) =>
  everyItem('/v1/statistics/summary', { metric, hospital, department, units })

/**
 * Which metrics each unit of a hospital (or below a unit) reports.
 * @param {{ hospital?: string, department?: string }} selection
 * @returns {Promise<Listing<UnitCoverage>>}
 */
export const coverage = ({ hospital, department }) => everyItem('/v1/statistics/coverage', { hospital, department })

/** The API's page of a source document: the link every figure carries. @param {string} id */
export const sourceUrl = (id) => `/v1/sources/${encodeURIComponent(id)}`
