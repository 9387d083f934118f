import type { Static } from 'typebox'
import type { Prisma } from '../../../generated/prisma/client.ts'
import type { FhirBasic, FhirCodeableConcept, FhirExtension, FhirHealthcareService, FhirObservation, FhirOrganization } from '../../../schemas/fhir.ts'
import { comparatorSymbols } from '../metrics/metric-definition-presenter.ts'
import { isoDate } from '../../../lib/iso-date.ts'

// Database rows to FHIR R4 resources. The id is the record's UUID and meta.versionId its version, the same version
// the native API's ETag carries. Codes of our own (metrics, kinds) live in code systems under one namespace URI; it
// names the codes, it is not promised to resolve.

export const namespace = 'https://hospital-departments-api.org/fhir'

export const systems = {
  hospitalSlug: `${namespace}/sid/hospital-slug`,
  unitSlug: `${namespace}/sid/unit-slug`,
  metric: `${namespace}/CodeSystem/metric`,
  metricCategory: `${namespace}/CodeSystem/metric-category`,
  unitKind: `${namespace}/CodeSystem/unit-kind`,
  serviceKind: `${namespace}/CodeSystem/service-kind`,
  honorKind: `${namespace}/CodeSystem/honor-kind`,
  condition: `${namespace}/CodeSystem/condition`,
  organizationType: 'http://terminology.hl7.org/CodeSystem/organization-type',
  ucum: 'http://unitsofmeasure.org'
} as const

export const extensionUrls = {
  /** The verbatim sentence of the source document the resource's facts come from. */
  sourceQuote: `${namespace}/StructureDefinition/source-quote`,
  /** On Observation.valueQuantity: the source gives the figure as approximate ("about", "nearly"). */
  approximate: `${namespace}/StructureDefinition/approximate`,
  /** On Observation: the figure exactly as written ("more than 30,000"). */
  statedValue: `${namespace}/StructureDefinition/stated-value`,
  /** On Basic (an honor): who conferred it, at what level, in which year. */
  honorIssuer: `${namespace}/StructureDefinition/honor-issuer`,
  honorLevel: `${namespace}/StructureDefinition/honor-level`,
  honorYear: `${namespace}/StructureDefinition/honor-year`
} as const

type Extension = Static<typeof FhirExtension>

/**
 * FHIR strings admit no whitespace but space, tab and line breaks (its regex is `[ \r\n\t\S]+`): any other (a
 * no-break space in a source sentence) becomes a space. The native API keeps the text as the source has it.
 */
function fhirStrings<T> (value: T): T {
  if (typeof value === 'string') return value.replace(/[^\S \r\n\t]/g, ' ') as T
  if (Array.isArray(value)) return value.map(fhirStrings) as T
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, fhirStrings(entry)])) as T
  }
  return value
}
type CodeableConcept = Static<typeof FhirCodeableConcept>

interface Versioned { id: string, version: number, updatedAt: Date, sourceId: string, quote: string }

function meta (row: Versioned) {
  return { versionId: String(row.version), lastUpdated: row.updatedAt.toISOString(), source: `urn:uuid:${row.sourceId}` }
}

function quoteExtension (row: Versioned): Extension {
  return { url: extensionUrls.sourceQuote, valueString: row.quote }
}

export function organizationReference (id: string, display: string) {
  return { reference: `Organization/${id}`, display }
}

export const fhirHospitalInclude = {} satisfies Prisma.HospitalInclude

export function hospitalOrganization (row: Prisma.HospitalGetPayload<{ include: typeof fhirHospitalInclude }>): Static<typeof FhirOrganization> {
  return fhirStrings({
    resourceType: 'Organization',
    id: row.id,
    meta: meta(row),
    extension: [quoteExtension(row)],
    identifier: [{ system: systems.hospitalSlug, value: row.slug }],
    active: true,
    type: [{ coding: [{ system: systems.organizationType, code: 'prov', display: 'Healthcare Provider' }] }],
    name: row.name,
    ...(row.shortName === null ? {} : { alias: [row.shortName] }),
    address: [{ city: row.city, state: row.province, country: row.country }]
  })
}

export const fhirUnitInclude = {
  aliases: { select: { name: true }, orderBy: { name: 'asc' } },
  hospital: { select: { id: true, name: true, city: true, province: true, country: true } },
  parent: { select: { id: true, name: true } }
} satisfies Prisma.UnitInclude

export function unitOrganization (row: Prisma.UnitGetPayload<{ include: typeof fhirUnitInclude }>): Static<typeof FhirOrganization> {
  const { hospital, parent } = row
  return fhirStrings({
    resourceType: 'Organization',
    id: row.id,
    meta: meta(row),
    extension: [quoteExtension(row)],
    identifier: [{ system: systems.unitSlug, value: row.slug }],
    active: true,
    type: [{
      coding: [
        { system: systems.organizationType, code: 'dept', display: 'Hospital Department' },
        { system: systems.unitKind, code: row.kind }
      ]
    }],
    name: row.name,
    ...(row.aliases.length === 0 ? {} : { alias: row.aliases.map((alias) => alias.name) }),
    address: [{ city: hospital.city, state: hospital.province, country: hospital.country }],
    // A division's departments are part of the division; a unit outside any division is part of the hospital.
    partOf: parent === null ? organizationReference(hospital.id, hospital.name) : organizationReference(parent.id, parent.name)
  })
}

export const fhirServiceInclude = {
  unit: {
    select: {
      id: true,
      name: true,
      conditions: { select: { relation: true, condition: { select: { slug: true, name: true } } }, orderBy: { condition: { slug: 'asc' } } }
    }
  }
} satisfies Prisma.ServiceInclude

export function healthcareService (row: Prisma.ServiceGetPayload<{ include: typeof fhirServiceInclude }>): Static<typeof FhirHealthcareService> {
  const conditions: CodeableConcept[] = row.unit.conditions.map(({ relation, condition }) => ({
    coding: [{ system: systems.condition, code: condition.slug, display: condition.name }],
    text: `${relation}: ${condition.name}`
  }))
  return fhirStrings({
    resourceType: 'HealthcareService',
    id: row.id,
    meta: meta(row),
    extension: [quoteExtension(row)],
    active: true,
    providedBy: organizationReference(row.unit.id, row.unit.name),
    category: [{ coding: [{ system: systems.serviceKind, code: row.kind }] }],
    type: [{ text: row.name }],
    name: row.name,
    ...(row.description === null ? {} : { comment: row.description }),
    ...(conditions.length === 0 ? {} : { characteristic: conditions })
  })
}

export const fhirObservationInclude = {
  unit: { select: { id: true, name: true } },
  metric: { select: { code: true, name: true, unit: true, unitLabel: true, category: true } }
} satisfies Prisma.MetricObservationInclude

type ObservationRow = Prisma.MetricObservationGetPayload<{ include: typeof fhirObservationInclude }>

function effective (row: ObservationRow): Pick<Static<typeof FhirObservation>, 'effectivePeriod' | 'effectiveDateTime'> {
  const start = isoDate(row.periodStart)
  const end = isoDate(row.periodEnd)
  if (start !== null && end !== null) return { effectivePeriod: { start, end } }
  const statedOn = isoDate(row.statedOn)
  return statedOn === null ? {} : { effectiveDateTime: statedOn }
}

/**
 * How the figure was stated, as text: a FHIR client that ignores our extensions still reads "more than 6,000,
 * annually" rather than a bare 6000.
 */
function statedAs (row: ObservationRow): string {
  const period = row.periodLabel === null ? '' : `, ${row.periodLabel}`
  const duration = row.periodDuration === null ? '' : ` (${row.periodDuration})`
  return `Stated as "${row.statedValue}"${period}${duration}; ${row.periodKind} figure.`
}

/** FHIR's `code` data type: no leading, trailing or repeated whitespace. */
const fhirCodePattern = /^[^\s]+( [^\s]+)*$/

export function observation (row: ObservationRow): Static<typeof FhirObservation> {
  const unit = organizationReference(row.unit.id, row.unit.name)
  const notes = [statedAs(row), ...(row.note === null ? [] : [row.note]), `Source: "${row.quote}"`]
  return fhirStrings({
    resourceType: 'Observation',
    id: row.id,
    meta: meta(row),
    extension: [quoteExtension(row), { url: extensionUrls.statedValue, valueString: row.statedValue }],
    status: 'final',
    category: [{ coding: [{ system: systems.metricCategory, code: row.metric.category }] }],
    code: { coding: [{ system: systems.metric, code: row.metric.code, display: row.metric.name }], text: row.metric.name },
    // R4 allows no Organization as Observation.subject; the unit is what the figure is about (focus) and who reports it.
    focus: [unit],
    performer: [unit],
    ...effective(row),
    valueQuantity: {
      ...(row.approximate ? { extension: [{ url: extensionUrls.approximate, valueBoolean: true }] } : {}),
      value: row.value.toNumber(),
      ...(row.comparator === null ? {} : { comparator: comparatorSymbols[row.comparator] }),
      unit: row.metric.unitLabel,
      // A unit that is not a FHIR code (a metric defined through the API with stray spaces) is given as text only.
      ...(fhirCodePattern.test(row.metric.unit) ? { system: systems.ucum, code: row.metric.unit } : {})
    },
    note: notes.map((text) => ({ text }))
  })
}

export const fhirHonorInclude = {
  hospital: { select: { id: true, name: true } },
  unit: { select: { id: true, name: true } }
} satisfies Prisma.HonorInclude

export function honorBasic (row: Prisma.HonorGetPayload<{ include: typeof fhirHonorInclude }>): Static<typeof FhirBasic> {
  const holder = row.unit ?? row.hospital
  const created = isoDate(row.statedOn)
  const details: Extension[] = [
    ...(row.issuer === null ? [] : [{ url: extensionUrls.honorIssuer, valueString: row.issuer }]),
    ...(row.level === null ? [] : [{ url: extensionUrls.honorLevel, valueCode: row.level }]),
    ...(row.year === null ? [] : [{ url: extensionUrls.honorYear, valueInteger: row.year }])
  ]
  return fhirStrings({
    resourceType: 'Basic',
    id: row.id,
    meta: meta(row),
    extension: [quoteExtension(row), ...details],
    code: { coding: [{ system: systems.honorKind, code: row.kind }], text: row.title },
    subject: organizationReference(holder.id, holder.name),
    ...(created === null ? {} : { created })
  })
}
