import { fhirTypeRoutes } from '../../../plugins/app/fhir/routes.ts'
import { nameParameters, referenceParameter, referencedId } from '../../../plugins/app/fhir/search.ts'
import { nameFilter } from '../../../plugins/app/fhir/filters.ts'

export default fhirTypeRoutes({
  type: 'HealthcareService',
  description: 'Each unit\'s services as HealthcareServices: `providedBy` the unit, `category` the kind of service, ' +
    '`characteristic` the conditions the unit treats, manages or screens for.',
  parameters: {
    ...nameParameters('The service\'s name'),
    organization: referenceParameter('Only the services this unit provides')
  },
  filters: (query) => ({
    ...nameFilter(query),
    ...(typeof query.organization === 'string' ? { reference: referencedId(query.organization) } : {})
  }),
  include: 'HealthcareService:organization',
  sorts: ['name', '-name', '_lastUpdated', '-_lastUpdated', '_id'],
  example: '6c1f2e0a-8a57-4a0e-9b0c-1e2d3c4b5a69'
})
