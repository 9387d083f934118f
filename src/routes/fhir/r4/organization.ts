import { fhirTypeRoutes } from '../../../plugins/app/fhir/routes.ts'
import { nameParameters, referenceParameter, referencedId } from '../../../plugins/app/fhir/search.ts'
import { nameFilter } from '../../../plugins/app/fhir/filters.ts'

export default fhirTypeRoutes({
  type: 'Organization',
  description: 'Hospitals and their units (divisions, departments, centers) as Organizations: `partOf` is the division ' +
    'or, for a unit outside any division, the hospital; `alias` the other names a unit is known by; the identifier the ' +
    'slug of the native API.',
  parameters: {
    ...nameParameters('The name or an alias'),
    partof: referenceParameter('Only the units directly part of this organization')
  },
  filters: (query) => ({
    ...nameFilter(query),
    ...(typeof query.partof === 'string' ? { reference: referencedId(query.partof) } : {})
  }),
  include: 'Organization:partof',
  sorts: ['name', '-name', '_lastUpdated', '-_lastUpdated', '_id'],
  example: '0b0d6a53-5d3c-4c40-9a4e-3a6f3f1f2c11'
})
