// @ts-check
// The page's HTML parts: the details of a figure (the selected-figure panel and the charts' tooltips), the tables of
// figures, the coverage grid and the pickers. Built as DOM nodes with text, never as HTML strings, so a quote is
// always shown as written.

import { sourceUrl } from './data.js'
import { boundsInWords, figureLabel, periodLabel } from './figures.js'

/** @typedef {import('./charts.js').DrawnPoint} DrawnPoint */

/**
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {Array<Node | string>} children
 * @returns {HTMLElement}
 */
export function element (tag, attributes = {}, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  node.append(...children)
  return node
}

/**
 * A figure with its qualifier, period and the sentence (or, for a total, the sentences) it came from.
 * @param {DrawnPoint} point
 * @param {{ links: boolean, unitLabel?: string }} options
 */
export function figureDetails (point, { links, unitLabel = '' }) {
  const quotes = point.quotes.map(({ label, statedValue, source }) => element('div', { class: 'quote' },
    ...(point.quotes.length > 1 || label !== point.label ? [element('p', { class: 'quote-unit' }, `${label}: ${statedValue}`)] : []),
    element('blockquote', {}, source.quote),
    element('p', { class: 'source' }, 'Source: ', links
      ? element('a', { href: sourceUrl(source.id) }, source.title)
      : source.title, source.statedOn === null ? '' : ` (${source.statedOn})`)))
  const more = point.unitCount > point.quotes.length
    ? [element('p', {}, `${point.unitCount - point.quotes.length} more units are in the total`,
        ...(links && point.allUnits !== null ? [': ', element('a', { href: point.allUnits }, 'every unit\'s figure')] : []), '.')]
    : []
  return element('div', { class: 'figure-details' },
    element('p', { class: 'figure-label' }, element('strong', {}, point.label), ': ',
      `${figureLabel(point.figure, point.statedValue)}${unitLabel === '' ? '' : ` ${unitLabel}`}`),
    element('p', {}, boundsInWords(point.figure), point.unitCount > 1 ? `; the total of ${point.unitCount} units` : ''),
    element('p', {}, point.at === null ? `Undated; period: ${periodLabel(point.period)}` : `${point.at}; period: ${periodLabel(point.period)}`),
    ...quotes, ...more)
}

/**
 * A table of the figures a chart draws, one row each; moving into a row (with the keyboard or a click) calls `onFocus`
 * with its index, so the chart and the panel can show it.
 * @param {HTMLTableElement} table
 * @param {string} caption
 * @param {string} firstColumn
 * @param {DrawnPoint[]} points
 * @param {(index: number) => void} onFocus
 */
export function fillFigureTable (table, caption, firstColumn, points, onFocus) {
  const head = element('tr', {}, ...[firstColumn, 'Date', 'Period', 'Figure', 'Qualifier', 'Source sentence']
    .map((name) => element('th', { scope: 'col' }, name)))
  const rows = points.map((point, index) => {
    const source = point.quotes[0]?.source
    const row = element('tr', {},
      element('th', { scope: 'row' }, point.label),
      element('td', {}, point.at ?? 'undated'),
      element('td', {}, periodLabel(point.period)),
      element('td', {}, figureLabel(point.figure, point.statedValue)),
      element('td', {}, boundsInWords(point.figure)),
      element('td', {}, source === undefined
        ? ''
        : element('a', { href: point.quotes.length > 1 && point.allUnits !== null ? point.allUnits : sourceUrl(source.id) },
          point.quotes.length > 1 ? `${point.unitCount} units' sentences` : `“${source.quote}”`)))
    row.addEventListener('focusin', () => onFocus(index))
    row.addEventListener('click', () => onFocus(index))
    return row
  })
  table.replaceChildren(element('caption', { id: table.querySelector('caption')?.id ?? '' }, caption),
    element('thead', {}, head), element('tbody', {}, ...rows))
}

/**
 * Which unit reports which metric: a row per unit, a column per metric, each column's name a button choosing it.
 * @param {HTMLTableElement} table
 * @param {import('./data.js').UnitCoverage[]} units
 * @param {import('./data.js').MetricDefinition[]} metrics
 * @param {string} selected
 * @param {(code: string) => void} choose
 */
export function fillCoverage (table, units, metrics, selected, choose) {
  const head = element('tr', {}, element('th', { scope: 'col' }, 'Unit'),
    ...metrics.map((metric) => {
      const button = element('button', { type: 'button', 'aria-pressed': String(metric.code === selected) }, metric.name)
      button.addEventListener('click', () => choose(metric.code))
      return element('th', { scope: 'col', class: metric.code === selected ? 'selected' : '' }, button)
    }),
    element('th', { scope: 'col' }, 'Share reported'))
  const rows = units.map((unit) => element('tr', {},
    element('th', { scope: 'row' }, unit.department.name),
    ...metrics.map((metric) => {
      const reported = unit.reported.includes(metric.code)
      return element('td', { class: `${reported ? 'reported' : 'missing'}${metric.code === selected ? ' selected' : ''}` },
        element('span', { 'aria-hidden': 'true' }, reported ? '✓' : '·'),
        element('span', { class: 'visually-hidden' }, reported ? 'reported' : 'not reported'))
    }),
    element('td', {}, `${Math.round(unit.completeness * 100)} %`)))
  table.replaceChildren(element('thead', {}, head), element('tbody', {}, ...rows))
}

/**
 * @param {HTMLSelectElement} select
 * @param {Array<{ value: string, label: string, group?: string }>} options
 * @param {string} selected
 */
export function fillSelect (select, options, selected) {
  /** @type {Map<string, HTMLElement>} */
  const groups = new Map()
  const keep = [...select.querySelectorAll('option[value=""]')]
  select.replaceChildren(...keep)
  for (const { value, label, group } of options) {
    const option = element('option', { value }, label)
    if (group === undefined) {
      select.append(option)
      continue
    }
    let optgroup = groups.get(group)
    if (optgroup === undefined) {
      optgroup = element('optgroup', { label: group })
      groups.set(group, optgroup)
      select.append(optgroup)
    }
    optgroup.append(option)
  }
  select.value = selected
}
