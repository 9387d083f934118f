import { Type } from 'typebox'
import { fhirTypeRoutes } from '../../../plugins/app/fhir/routes.ts'
import { extensionUrls, systems } from '../../../plugins/app/fhir/resources.ts'
import { referenceParameter, referencedId } from '../../../plugins/app/fhir/search.ts'

/** Metric codes of a `code` token list: "beds", or "system|beds" with our metric system; another system matches nothing. */
function metricCodes (value: string): string[] {
  return value.split(',').flatMap((token) => {
    const bar = token.indexOf('|')
    if (bar === -1) return [token]
    return token.slice(0, bar) === systems.metric || bar === 0 ? [token.slice(bar + 1)] : []
  })
}

export default fhirTypeRoutes({
  type: 'Observation',
  description: 'Each figure as an Observation: `code` the metric, `valueQuantity` the value with its `comparator` ' +
    '("more than 30,000" is `>` 30000) and UCUM unit, `effectivePeriod` the stated window or `effectiveDateTime` the ' +
    'date it was stated, the unit as `focus` and `performer`. An approximate figure ("about", "nearly") carries the ' +
    `extension \`${extensionUrls.approximate}\` on valueQuantity, and a note says how the figure was stated.`,
  parameters: {
    code: Type.String({
      pattern: '^(?:[^,|]*\\|)?[A-Za-z0-9._-]{1,100}(?:,(?:[^,|]*\\|)?[A-Za-z0-9._-]{1,100}){0,19}$',
      maxLength: 2000,
      description: `The metric: its code, or ${systems.metric}|code; several separated by commas (any of them)`,
      examples: ['beds']
    }),
    performer: referenceParameter('Only the figures of this unit')
  },
  filters: (query) => ({
    ...(typeof query.code === 'string' ? { codes: metricCodes(query.code) } : {}),
    ...(typeof query.performer === 'string' ? { reference: referencedId(query.performer) } : {})
  }),
  include: 'Observation:performer',
  sorts: ['_lastUpdated', '-_lastUpdated', '_id'],
  example: '2f4c1a7e-3b5d-4e6f-8a9b-0c1d2e3f4a5b'
})
