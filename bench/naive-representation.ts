import type { Static } from 'typebox'
import type { Comparator, Prisma } from '../src/generated/prisma/client.ts'
import type { Department, DepartmentInclude } from '../src/schemas/departments.ts'
import type { ConditionLink, Event, Honor, Service } from '../src/schemas/facts.ts'
import type { Hospital } from '../src/schemas/hospitals.ts'
import type { MetricDefinition, ObservationBody } from '../src/schemas/metrics.ts'
import type { NewsSummary } from '../src/schemas/news.ts'

// The naive way to the API's JSON: Prisma rows (with relation includes) presented in JavaScript. The app once built its
// answers this way; it now has PostgreSQL write them (src/plugins/app/<area>/<area>-json.ts). The bench's naive route
// uses these presenters, and test/routes/v1/sql-json.test.ts proves the two ways give the same answers.

/** The FHIR comparator symbol of a stored comparator code. */
export const comparatorSymbols: Record<Comparator, '<' | '<=' | '>=' | '>'> = { lt: '<', le: '<=', ge: '>=', gt: '>' }

export function isoDate (value: Date | null): string | null {
  return value === null ? null : value.toISOString().slice(0, 10)
}

export const sourceSelect = { id: true, title: true, statedOn: true } satisfies Prisma.SourceDocumentSelect
export const unitReferenceSelect = { slug: true, name: true, kind: true } satisfies Prisma.UnitSelect
export const hospitalReferenceSelect = { slug: true, name: true, shortName: true } satisfies Prisma.HospitalSelect

type SourceRow = Prisma.SourceDocumentGetPayload<{ select: typeof sourceSelect }>

export function sourceReference (source: SourceRow, quote: string) {
  return { id: source.id, title: source.title, statedOn: isoDate(source.statedOn), quote }
}

function entity (row: { version: number, updatedAt: Date }) {
  return { version: row.version, updatedAt: row.updatedAt.toISOString() }
}

export const observationInclude = {
  unit: { select: unitReferenceSelect },
  metric: true,
  source: { select: sourceSelect }
} satisfies Prisma.MetricObservationInclude

export function observation (row: Prisma.MetricObservationGetPayload<{ include: typeof observationInclude }>): ObservationBody {
  return {
    id: row.id,
    department: row.unit,
    metric: {
      code: row.metric.code,
      name: row.metric.name,
      unit: row.metric.unit,
      unitLabel: row.metric.unitLabel,
      category: row.metric.category
    },
    value: row.value.toNumber(),
    comparator: row.comparator === null ? null : comparatorSymbols[row.comparator],
    approximate: row.approximate,
    exact: row.comparator === null && !row.approximate,
    statedValue: row.statedValue,
    period: {
      kind: row.periodKind,
      duration: row.periodDuration,
      start: isoDate(row.periodStart),
      end: isoDate(row.periodEnd),
      label: row.periodLabel
    },
    statedOn: isoDate(row.statedOn),
    note: row.note,
    source: sourceReference(row.source, row.quote),
    // The naive route does not look for other sources' figures of the same unit, metric and period (the seed states
    // each once); the SQL-built answer does (metrics/observation-json.ts).
    conflict: null,
    ...entity(row)
  }
}

export function metricDefinition (row: Prisma.MetricDefinitionGetPayload<true>): Static<typeof MetricDefinition> {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    unit: row.unit,
    unitLabel: row.unitLabel,
    category: row.category,
    additive: row.additive,
    ...entity(row)
  }
}

export const honorInclude = {
  hospital: { select: hospitalReferenceSelect },
  unit: { select: unitReferenceSelect },
  source: { select: sourceSelect }
} satisfies Prisma.HonorInclude

export function honor (row: Prisma.HonorGetPayload<{ include: typeof honorInclude }>): Static<typeof Honor> {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    kind: row.kind,
    issuer: row.issuer,
    level: row.level,
    year: row.year,
    statedOn: isoDate(row.statedOn),
    hospital: row.hospital,
    department: row.unit,
    source: sourceReference(row.source, row.quote),
    ...entity(row)
  }
}

export const serviceInclude = {
  unit: { select: unitReferenceSelect },
  source: { select: sourceSelect }
} satisfies Prisma.ServiceInclude

export function service (row: Prisma.ServiceGetPayload<{ include: typeof serviceInclude }>): Static<typeof Service> {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    description: row.description,
    department: row.unit,
    source: sourceReference(row.source, row.quote),
    ...entity(row)
  }
}

export const conditionLinkInclude = {
  condition: { select: { slug: true, name: true } },
  unit: { select: unitReferenceSelect },
  source: { select: sourceSelect }
} satisfies Prisma.UnitConditionInclude

export function conditionLink (row: Prisma.UnitConditionGetPayload<{ include: typeof conditionLinkInclude }>): Static<typeof ConditionLink> {
  return {
    id: row.id,
    condition: row.condition,
    department: row.unit,
    relation: row.relation,
    source: sourceReference(row.source, row.quote),
    ...entity(row)
  }
}

export const eventInclude = {
  hospital: { select: hospitalReferenceSelect },
  unit: { select: unitReferenceSelect },
  source: { select: sourceSelect }
} satisfies Prisma.EventInclude

export function event (row: Prisma.EventGetPayload<{ include: typeof eventInclude }>): Static<typeof Event> {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    kind: row.kind,
    year: row.year,
    occurredOn: isoDate(row.occurredOn),
    datePrecision: row.datePrecision,
    hospital: row.hospital,
    department: row.unit,
    source: sourceReference(row.source, row.quote),
    ...entity(row)
  }
}

export const newsInclude = {
  hospital: { select: hospitalReferenceSelect },
  source: { select: sourceSelect },
  units: { select: { unit: { select: unitReferenceSelect } }, orderBy: { unit: { slug: 'asc' } } }
} satisfies Prisma.NewsArticleInclude

type NewsRow = Prisma.NewsArticleGetPayload<{ include: typeof newsInclude }>

/** Does not need the body, so lists can leave it out of the query. */
export function newsSummary (row: Omit<NewsRow, 'body'>): Static<typeof NewsSummary> {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    publishedOn: isoDate(row.publishedOn)!,
    summary: row.summary,
    imageFile: row.imageFile,
    imageCaption: row.imageCaption,
    hospital: row.hospital,
    departments: row.units.map((link) => link.unit),
    source: sourceReference(row.source, row.quote),
    ...entity(row),
    links: { self: `/v1/news/${row.slug}` }
  }
}

export function hospital (row: Prisma.HospitalGetPayload<{ include: {
  source: { select: typeof sourceSelect }
  region: { select: { slug: true, name: true, level: true } }
  aliases: { select: { name: true, slug: true } }
} }>): Static<typeof Hospital> {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    shortName: row.shortName,
    city: row.city,
    province: row.province,
    country: row.country,
    region: row.region,
    grade: row.grade,
    type: row.type,
    ownership: row.ownership,
    aliases: row.aliases,
    source: sourceReference(row.source, row.quote),
    ...entity(row),
    links: {
      self: `/v1/hospitals/${row.slug}`,
      departments: `/v1/departments?hospital=${row.slug}`,
      tree: `/v1/hospitals/${row.slug}/tree`
    }
  }
}

const departmentBaseInclude = {
  hospital: { select: hospitalReferenceSelect },
  parent: { select: unitReferenceSelect },
  aliases: { select: { slug: true, name: true }, orderBy: { slug: 'asc' } },
  source: { select: sourceSelect }
} satisfies Prisma.UnitInclude

/** What each `include` name adds to the department query: one batched query per relation, never one per row. */
const departmentEmbeds = {
  children: { children: { select: unitReferenceSelect, orderBy: { slug: 'asc' } } },
  metrics: { observations: { include: observationInclude, orderBy: [{ metric: { code: 'asc' } }, { id: 'asc' }] } },
  honors: { honors: { include: honorInclude, orderBy: [{ slug: 'asc' }, { id: 'asc' }] } },
  services: { services: { include: serviceInclude, orderBy: [{ slug: 'asc' }, { id: 'asc' }] } },
  conditions: { conditions: { include: conditionLinkInclude, orderBy: [{ condition: { slug: 'asc' } }, { id: 'asc' }] } },
  events: { events: { include: eventInclude, orderBy: [{ occurredOn: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }] } },
  news: { newsArticles: { select: { article: { include: newsInclude, omit: { body: true } } }, orderBy: { article: { publishedOn: 'desc' } } } }
} satisfies Record<DepartmentInclude, Prisma.UnitInclude>

type FullDepartmentInclude = typeof departmentBaseInclude & (typeof departmentEmbeds)[DepartmentInclude]
/** A unit row with the base include and whichever embeds were asked for (built at run time from their names). */
export type DepartmentRow = Prisma.UnitGetPayload<{ include: typeof departmentBaseInclude }> &
  Partial<Omit<Prisma.UnitGetPayload<{ include: UnionToIntersection<FullDepartmentInclude> }>, keyof Prisma.UnitGetPayload<true>>>
type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never

export function departmentInclude (includes: readonly DepartmentInclude[]): Prisma.UnitInclude {
  return Object.assign({}, departmentBaseInclude, ...includes.map((name) => departmentEmbeds[name])) as Prisma.UnitInclude
}

export function department (row: DepartmentRow): Static<typeof Department> {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    hospital: row.hospital,
    parent: row.parent,
    aliases: row.aliases,
    summary: row.summary,
    focus: row.focus,
    establishedYear: row.establishedYear,
    source: sourceReference(row.source, row.quote),
    ...entity(row),
    links: { self: `/v1/departments/${row.slug}`, metrics: `/v1/departments/${row.slug}/metrics` },
    ...(row.children === undefined ? {} : { children: row.children }),
    ...(row.observations === undefined ? {} : { metrics: row.observations.map(observation) }),
    ...(row.honors === undefined ? {} : { honors: row.honors.map(honor) }),
    ...(row.services === undefined ? {} : { services: row.services.map(service) }),
    ...(row.conditions === undefined ? {} : { conditions: row.conditions.map(conditionLink) }),
    ...(row.events === undefined ? {} : { events: row.events.map(event) }),
    ...(row.newsArticles === undefined ? {} : { news: row.newsArticles.map((link) => newsSummary(link.article)) })
  }
}
