// Shapes of the curated facts. Facts refer to each other by natural keys (document file name, hospital slug,
// unit slug, metric code, condition slug), so the seed can upsert them and a second run changes nothing.

export type DocumentFile =
  | '000_5a20198f4fdda1e4.txt'
  | '001_57199530afde975d.txt'
  | '002_d22dcd341c396f53.txt'

/** Where a fact comes from: the document and the exact sentence (or phrase) that states it, copied verbatim. */
export interface Provenance {
  document: DocumentFile
  quote: string
}

export interface SeedDocument {
  fileName: DocumentFile
  title: string
  kind: 'department_page' | 'center_page' | 'news_article'
  /** ISO date the page states ("Updated: …"), or null when it states none. */
  statedOn: string | null
  breadcrumb: string | null
}

/** An administrative area: reference data, like metric definitions (no source). Parents are listed before children. */
export interface SeedRegion {
  slug: string
  name: string
  level: 'country' | 'province' | 'autonomous_region' | 'municipality' | 'prefecture' | 'district' | 'county'
  parent: string | null
  /** Official administrative division code, when there is one. */
  code: string | null
}

export interface SeedHospital {
  slug: string
  name: string
  shortName: string | null
  city: string
  province: string
  country: string
  /** The most precise region the documents state. */
  region: string | null
  /** Null where the documents do not state it: the seed holds only what its documents say. */
  grade: 'tertiary_a' | 'tertiary_b' | 'tertiary_c' | 'tertiary' | 'secondary_a' | 'secondary_b' | 'secondary_c' | 'secondary' |
    'primary_a' | 'primary_b' | 'primary_c' | 'primary' | 'ungraded' | null
  type: 'general' | 'maternal_child_health' | 'children' | 'tcm' | 'integrated_tcm_western' | 'specialized' | 'other' | null
  ownership: 'public' | 'private' | 'mixed' | 'other' | null
  source: Provenance
}

export interface SeedAlias {
  name: string
  slug: string
  source: Provenance
}

export interface SeedUnit {
  slug: string
  hospital: string
  parent: string | null
  kind: 'division' | 'department' | 'center'
  name: string
  summary: string | null
  focus: string | null
  establishedYear: number | null
  aliases: SeedAlias[]
  source: Provenance
}

export interface SeedMetricDefinition {
  code: string
  name: string
  description: string
  /** UCUM code. */
  unit: string
  unitLabel: string
  category: 'capacity' | 'staffing' | 'activity' | 'outcome' | 'research' | 'training' | 'facility'
  additive: boolean
}

export type ComparatorSymbol = '<' | '<=' | '>=' | '>'

export interface SeedPeriod {
  kind: 'annual' | 'span' | 'cumulative' | 'point'
  /** ISO 8601 duration ("P1Y", "P3Y") when the text states one. */
  duration: string | null
  /** ISO dates, only when stated or derivable from a stated window and the page date. */
  start: string | null
  end: string | null
  /** The period as written in the source ("annually", "in the past three years"). */
  label: string | null
}

export interface SeedObservation {
  unit: string
  metric: string
  /** Decimal as a string, so no figure passes through a float. */
  value: string
  comparator: ComparatorSymbol | null
  approximate: boolean
  /** The figure exactly as written ("more than 30,000"). */
  statedValue: string
  period: SeedPeriod
  note: string | null
  source: Provenance
}

export interface SeedHonor {
  slug: string
  hospital: string
  unit: string | null
  title: string
  kind: 'designation' | 'accreditation' | 'recognition' | 'membership' | 'distinction'
  issuer: string | null
  level: 'institutional' | 'municipal' | 'provincial' | 'regional' | 'national' | 'international' | null
  year: number | null
  source: Provenance
}

export interface SeedService {
  unit: string
  slug: string
  name: string
  kind: 'procedure' | 'treatment' | 'clinic' | 'screening' | 'management' | 'consultation' | 'transport'
  description: string | null
  source: Provenance
}

export interface SeedCondition {
  slug: string
  name: string
}

export interface SeedUnitCondition {
  unit: string
  condition: string
  relation: 'treated' | 'managed' | 'screened'
  source: Provenance
}

export interface SeedEvent {
  slug: string
  hospital: string
  unit: string | null
  title: string
  description: string | null
  kind: 'founding' | 'designation' | 'partnership' | 'milestone' | 'equipment' | 'recognition'
  year: number | null
  /** ISO date to the stated precision (a year-only event is 1 January of that year). */
  occurredOn: string | null
  datePrecision: 'day' | 'month' | 'year' | 'unknown'
  source: Provenance
}

export interface SeedNewsArticle {
  slug: string
  hospital: string
  title: string
  publishedOn: string
  summary: string | null
  /** The article body as printed, paragraphs separated by a blank line. */
  body: string
  imageFile: string | null
  imageCaption: string | null
  units: string[]
  source: Provenance
}

export interface SeedData {
  documents: SeedDocument[]
  regions: SeedRegion[]
  hospitals: SeedHospital[]
  units: SeedUnit[]
  metricDefinitions: SeedMetricDefinition[]
  observations: SeedObservation[]
  honors: SeedHonor[]
  services: SeedService[]
  conditions: SeedCondition[]
  unitConditions: SeedUnitCondition[]
  events: SeedEvent[]
  newsArticles: SeedNewsArticle[]
}
