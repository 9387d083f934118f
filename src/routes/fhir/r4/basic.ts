import { fhirTypeRoutes } from '../../../plugins/app/fhir/routes.ts'
import { referenceParameter, referencedId } from '../../../plugins/app/fhir/search.ts'

export default fhirTypeRoutes({
  type: 'Basic',
  description: 'Honors, designations, accreditations, memberships and distinctions as Basic resources: `code` the kind ' +
    'of honor (its title as text), `subject` the unit or, for an honor of the whole hospital, the hospital, `created` ' +
    'the date of the source that states it; issuer, level and year are extensions.',
  parameters: {
    subject: referenceParameter('Only the honors of this organization (a unit, or a hospital for its own honors)')
  },
  filters: (query) => typeof query.subject === 'string' ? { reference: referencedId(query.subject) } : {},
  include: 'Basic:subject',
  sorts: ['_lastUpdated', '-_lastUpdated', '_id'],
  example: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d'
})
