// @ts-check
// The two charts, as ECharts options. Every figure is one glyph of a custom series, drawn from its qualifier
// (figures.js): a filled dot when exact, an open band with an arrow for a bound, a dashed band for "about", a range
// for an interval. The figure itself rides along on its data item, so a tooltip, a click or a test reads exactly what
// was drawn.

import { aboutBand, shapeOf } from './figures.js'
import { figureDetails } from './views.js'

/** @typedef {import('./figures.js').QualifiedValue} QualifiedValue */
/** @typedef {import('./data.js').Period} Period */
/** @typedef {import('./data.js').SourceReference} SourceReference */
/**
 * A figure as the page shows it: a unit's own figure, or a hospital's total with the units' figures it adds up.
 * @typedef {{ label: string, figure: QualifiedValue, statedValue: string | null, at: string | null, period: Period,
 *   quotes: Array<{ label: string, statedValue: string, source: SourceReference }>, unitCount: number,
 *   allUnits: string | null }} DrawnPoint
 */
/** @typedef {{ value: number[], point: DrawnPoint }} DataItem */

/**
 * ECharts, once its script has run: it loads in parallel with the page's modules, which read the API meanwhile.
 * @type {Promise<typeof import('echarts')>}
 */
const echartsLoaded = new Promise((resolve, reject) => {
  const found = () => /** @type {any} */ (window).echarts
  if (found() !== undefined) return resolve(found())
  const script = /** @type {HTMLScriptElement} */ (document.querySelector('script[data-echarts]'))
  script.addEventListener('load', () => resolve(found()))
  script.addEventListener('error', () => reject(new Error('the chart library did not load')))
})

const halfYear = 183 * 24 * 3600 * 1000
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 })
const palette = ['#3f5f8f', '#b5562a', '#2f7d4f', '#7a4a9c', '#9a7b12', '#2a7f8f', '#a63d6b', '#5b6b2f']

/** The chart of a container, made the first time, and redrawn when the container changes size. @param {HTMLElement} container */
export async function chartIn (container) {
  const echarts = await echartsLoaded
  const found = echarts.getInstanceByDom(container)
  if (found !== undefined) return found
  const chart = echarts.init(container, null, { renderer: 'canvas' })
  new ResizeObserver(() => chart.resize()).observe(container)
  return chart
}

/**
 * Where the figure's glyph reaches along the value axis, so that the axis makes room for it: its bounds where known,
 * the band of an "about" figure, and the value itself.
 * @param {QualifiedValue} figure
 */
function extent (figure) {
  switch (shapeOf(figure)) {
    case 'interval': return [figure.lower ?? figure.value, figure.upper ?? figure.value]
    case 'about': return [figure.value * (1 - aboutBand), figure.value * (1 + aboutBand)]
    // Room beyond the value for the open band and its arrow.
    case 'lower': return [figure.value, figure.value * 1.25]
    case 'upper': return [figure.value * 0.75, figure.value]
    default: return [figure.value, figure.value]
  }
}

/**
 * A custom series' renderItem that draws the glyph of each of its figures. `horizontal`: the value axis is x (the
 * comparison) rather than y (the time series).
 * @param {DrawnPoint[]} points
 * @param {boolean} horizontal
 * @returns {any}
 */
function glyphs (points, horizontal) {
  return (/** @type {any} */ params, /** @type {any} */ api) => {
    const figure = /** @type {DrawnPoint} */ (points[params.dataIndex]).figure
    const color = api.visual('color')
    const area = params.coordSys
    const cross = horizontal ? api.value(1) : api.value(0)
    /** Screen position of a value: [along the value axis, across it]. @param {number} value */
    const at = (value) => {
      const [x, y] = api.coord(horizontal ? [value, cross] : [cross, value])
      return horizontal ? [x, y] : [y, x]
    }
    const [centre, across] = at(figure.value)
    // The ends of the plot along the value axis: towards larger values, and towards smaller ones.
    const high = horizontal ? area.x + area.width : area.y
    const low = horizontal ? area.x : area.y + area.height
    /** A point given as (along, across) in screen coordinates. @param {number} along @param {number} offset */
    const xy = (along, offset) => horizontal ? [along, across + offset] : [across + offset, along]
    /** A band between two positions along the value axis. @param {number} from @param {number} to @param {number} half @param {object} style */
    const band = (from, to, half, style) => {
      const [x1, y1] = xy(Math.min(from, to), -half)
      const [x2, y2] = xy(Math.max(from, to), half)
      return { type: 'rect', shape: { x: Math.min(x1, x2), y: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) }, style }
    }
    /** An arrowhead at `tip`, pointing away from the centre. @param {number} tip */
    const arrow = (tip) => {
      const back = tip + (centre > tip ? 8 : -8)
      return { type: 'polygon', shape: { points: [xy(tip, 0), xy(back, -6), xy(back, 6)] }, style: { fill: color } }
    }
    const hollow = { fill: '#fff', stroke: color, lineWidth: 2 }
    // A hedged bound ("nearly 100,000") has the dashed outline of an "about" band as well.
    const openBand = { fill: color, fillOpacity: 0.2, stroke: figure.approximate ? color : null, lineDash: [3, 3] }
    const dot = (/** @type {object} */ style, r = 5) => ({ type: 'circle', shape: { cx: xy(centre, 0)[0], cy: xy(centre, 0)[1], r }, style })
    /** @type {object[]} */
    const children = []
    switch (shapeOf(figure)) {
      case 'exact':
        children.push(dot({ fill: color }))
        break
      case 'lower':
        children.push(band(centre, high, 6, openBand), arrow(high), dot(hollow))
        break
      case 'upper':
        children.push(band(centre, low, 6, openBand), arrow(low), dot(hollow))
        break
      case 'about': {
        const [from] = at(figure.value * (1 - aboutBand))
        const [to] = at(figure.value * (1 + aboutBand))
        const diamond = [xy(centre - 6, 0), xy(centre, 6), xy(centre + 6, 0), xy(centre, -6)]
        children.push(band(from, to, 8, { fill: color, fillOpacity: 0.2, stroke: color, lineDash: [3, 3] }),
          { type: 'polygon', shape: { points: diamond }, style: hollow })
        break
      }
      case 'interval': {
        const [from] = at(figure.lower ?? figure.value)
        const [to] = at(figure.upper ?? figure.value)
        const line = (/** @type {number[]} */ a, /** @type {number[]} */ b) => ({ type: 'line', shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style: { stroke: color, lineWidth: 2, lineDash: figure.approximate ? [3, 3] : null } })
        children.push(line(xy(from, 0), xy(to, 0)), line(xy(from, -5), xy(from, 5)), line(xy(to, -5), xy(to, 5)), dot({ fill: color }, 4))
        break
      }
    }
    return { type: 'group', children }
  }
}

/** The tooltip: the same details as the selected-figure panel. @param {string} unitLabel */
const tooltip = (unitLabel) => ({
  trigger: 'item',
  confine: true,
  className: 'chart-tooltip',
  formatter: (/** @type {any} */ params) => figureDetails(/** @type {DataItem} */ (params.data).point, { links: false, unitLabel })
})

/** @param {number} value */
const axisNumber = (value) => compact.format(value)

/**
 * One metric over time: a series per unit, each figure at its date.
 * @param {{ title: string, unitLabel: string, series: Array<{ name: string, points: DrawnPoint[] }> }} view
 */
export function timeseriesOption ({ title, unitLabel, series }) {
  return {
    animation: false,
    color: palette,
    aria: { enabled: true, label: { description: `${title}. Every figure is listed in the table "Over time" below.` } },
    grid: { left: 64, right: 24, top: 24, bottom: 72 },
    legend: { type: 'scroll', bottom: 0 },
    tooltip: tooltip(unitLabel),
    // Half a year either side at least, so that a single date reads as a date rather than as hours.
    xAxis: { type: 'time', name: 'Date', nameLocation: 'middle', nameGap: 28, min: (/** @type {{ min: number, max: number }} */ { min, max }) => min - Math.max((max - min) * 0.05, halfYear), max: (/** @type {{ min: number, max: number }} */ { min, max }) => max + Math.max((max - min) * 0.05, halfYear) },
    yAxis: { type: 'value', name: unitLabel, nameLocation: 'middle', nameGap: 48, axisLabel: { formatter: axisNumber } },
    series: series.map(({ name, points }) => ({
      type: 'custom',
      name,
      renderItem: glyphs(points, false),
      encode: { x: 0, y: [1, 2, 3], tooltip: [1] },
      data: points.map((point) => ({ value: [Date.parse(point.at ?? ''), point.figure.value, ...extent(point.figure)], point }))
    }))
  }
}

/**
 * One metric across units or hospitals, one row each, for one period.
 * @param {{ title: string, unitLabel: string, points: DrawnPoint[], width: number }} view
 */
export function comparisonOption ({ title, unitLabel, points, width }) {
  return {
    animation: false,
    color: palette,
    aria: { enabled: true, label: { description: `${title}. Every figure is listed in the table "Comparison" below.` } },
    grid: { left: 8, right: 32, top: 16, bottom: 48, containLabel: true },
    tooltip: tooltip(unitLabel),
    xAxis: { type: 'value', name: unitLabel, nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: axisNumber } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: points.map((point) => point.label),
      // A third of the chart at most for the names, so that a phone keeps room for the figures.
      axisLabel: { width: Math.min(180, Math.round(width / 3)), overflow: 'truncate' }
    },
    series: [{
      type: 'custom',
      name: title,
      renderItem: glyphs(points, true),
      encode: { x: [0, 2, 3], y: 1, tooltip: [0] },
      data: points.map((point, index) => ({ value: [point.figure.value, index, ...extent(point.figure)], point }))
    }]
  }
}

/** A height for the comparison that gives each row room. @param {number} rows */
export const comparisonHeight = (rows) => Math.max(220, rows * 32 + 80)
