import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Static } from 'typebox'
import { packageRoot } from '../../../paths.ts'
import type { FhirCapabilityStatement } from '../../../schemas/fhir.ts'
import { extensionUrls } from './resources.ts'

// The CapabilityStatement of /fhir/r4/metadata: exactly what the routes under /fhir/r4 accept (test/routes/fhir
// checks the two against each other through the OpenAPI document).

/** The day this statement last changed (the FHIR view's release date). */
const statementDate = '2026-11-24'

interface Parameter { name: string, type: string, documentation: string, definition?: string }

const common: Parameter[] = [
  { name: '_id', type: 'token', documentation: 'The resource id; several separated by commas', definition: 'http://hl7.org/fhir/SearchParameter/Resource-id' },
  { name: '_lastUpdated', type: 'date', documentation: 'When the record last changed; prefixes eq, gt, ge, lt, le; repeat for a range', definition: 'http://hl7.org/fhir/SearchParameter/Resource-lastUpdated' }
]

const resultParameters = 'Result parameters: _count (0 to 100, default 20), _sort, _summary=count, _include, _format (JSON only).'

const types: Array<{ type: string, documentation: string, include: string, sorts: string, parameters: Parameter[] }> = [
  {
    type: 'Organization',
    documentation: 'Hospitals and their divisions, departments and centers.',
    include: 'Organization:partof',
    sorts: 'name, _lastUpdated, _id',
    parameters: [
      { name: 'name', type: 'string', documentation: 'Name or alias; :contains and :exact modifiers', definition: 'http://hl7.org/fhir/SearchParameter/Organization-name' },
      { name: 'partof', type: 'reference', documentation: 'The organization a unit is directly part of', definition: 'http://hl7.org/fhir/SearchParameter/Organization-partof' }
    ]
  },
  {
    type: 'HealthcareService',
    documentation: 'The services of each unit.',
    include: 'HealthcareService:organization',
    sorts: 'name, _lastUpdated, _id',
    parameters: [
      { name: 'name', type: 'string', documentation: 'Name; :contains and :exact modifiers', definition: 'http://hl7.org/fhir/SearchParameter/HealthcareService-name' },
      { name: 'organization', type: 'reference', documentation: 'The unit providing the service', definition: 'http://hl7.org/fhir/SearchParameter/HealthcareService-organization' }
    ]
  },
  {
    type: 'Observation',
    documentation: 'Figures (beds, staff, activity, outcomes, research) with their comparator, period and source sentence; ' +
      `approximate figures carry the extension ${extensionUrls.approximate} on valueQuantity.`,
    include: 'Observation:performer',
    sorts: '_lastUpdated, _id',
    parameters: [
      { name: 'code', type: 'token', documentation: 'The metric code, with or without its system', definition: 'http://hl7.org/fhir/SearchParameter/clinical-code' },
      { name: 'performer', type: 'reference', documentation: 'The unit the figure belongs to', definition: 'http://hl7.org/fhir/SearchParameter/Observation-performer' }
    ]
  },
  {
    type: 'Basic',
    documentation: 'Honors, designations, accreditations, memberships and distinctions.',
    include: 'Basic:subject',
    sorts: '_lastUpdated, _id',
    parameters: [
      { name: 'subject', type: 'reference', documentation: 'The unit or hospital holding the honor', definition: 'http://hl7.org/fhir/SearchParameter/Basic-subject' }
    ]
  }
]

const { version } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }

/** The statement of the view served at `base` (an absolute URL). */
export function capabilityStatement (base: string): Static<typeof FhirCapabilityStatement> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: statementDate,
    publisher: 'Hospital Departments API',
    kind: 'instance',
    software: { name: 'Hospital Departments API', version },
    implementation: {
      description: 'Read-only FHIR R4 view of the hospital directory: the same records and versions as the native API under /v1',
      url: base
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [{
      mode: 'server',
      documentation: `Read and search-type only. Unknown search parameters are refused with an OperationOutcome (400). ${resultParameters}`,
      resource: types.map((entry) => ({
        type: entry.type,
        profile: `http://hl7.org/fhir/StructureDefinition/${entry.type}`,
        documentation: `${entry.documentation} _sort: ${entry.sorts} (a leading - is descending, except _id).`,
        interaction: [{ code: 'read' }, { code: 'search-type' }],
        versioning: 'versioned',
        readHistory: false,
        conditionalRead: 'full-support',
        searchInclude: [entry.include],
        searchParam: [...common, ...entry.parameters]
      }))
    }]
  }
}
