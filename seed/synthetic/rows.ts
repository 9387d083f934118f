// The rows a synthetic hospital adds, one interface per table, named as the columns are (the insert hands them to
// PostgreSQL's json_populate_recordset, which matches keys to columns). version, created_at and updated_at are set by
// the insert.

type Uuid = string
/** YYYY-MM-DD. */
type IsoDate = string

export interface SourceDocumentRow {
  id: Uuid
  file_name: string
  title: string
  kind: 'department_page' | 'center_page' | 'news_article'
  stated_on: IsoDate | null
  breadcrumb: string | null
  full_text: string
  sha256: string
  synthetic: true
}

interface Provenance {
  source_id: Uuid
  quote: string
}

export interface HospitalRow extends Provenance {
  id: Uuid
  slug: string
  name: string
  short_name: string | null
  city: string
  province: string
  country: string
  region_id: Uuid
  grade: 'tertiary_a' | 'tertiary_b' | 'secondary_a' | 'secondary_b'
  type: 'general' | 'maternal_child_health' | 'tcm'
  ownership: 'public'
}

export interface UnitRow extends Provenance {
  id: Uuid
  hospital_id: Uuid
  parent_id: Uuid | null
  kind: 'division' | 'department' | 'center'
  slug: string
  name: string
  summary: string | null
  focus: string | null
  established_year: number | null
}

export interface UnitAliasRow extends Provenance {
  id: Uuid
  unit_id: Uuid
  name: string
  slug: string
}

export interface MetricObservationRow extends Provenance {
  id: Uuid
  unit_id: Uuid
  metric_id: Uuid
  value: string
  comparator: '<' | '<=' | '>=' | '>' | null
  approximate: boolean
  stated_value: string
  period_kind: 'annual' | 'span' | 'cumulative' | 'point'
  period_duration: string | null
  period_start: IsoDate | null
  period_end: IsoDate | null
  period_label: string | null
  stated_on: IsoDate | null
  note: string | null
}

export interface HonorRow extends Provenance {
  id: Uuid
  hospital_id: Uuid
  unit_id: Uuid | null
  slug: string
  title: string
  kind: 'designation' | 'accreditation' | 'recognition' | 'membership' | 'distinction'
  issuer: string | null
  level: 'institutional' | 'municipal' | 'provincial' | 'regional' | 'national' | 'international' | null
  year: number | null
  stated_on: IsoDate | null
}

export interface ServiceRow extends Provenance {
  id: Uuid
  unit_id: Uuid
  slug: string
  name: string
  kind: 'procedure' | 'treatment' | 'clinic' | 'screening' | 'management' | 'consultation' | 'transport'
  description: string | null
}

export interface UnitConditionRow extends Provenance {
  id: Uuid
  unit_id: Uuid
  condition_id: Uuid
  relation: 'treated' | 'managed' | 'screened'
}

export interface EventRow extends Provenance {
  id: Uuid
  hospital_id: Uuid
  unit_id: Uuid | null
  slug: string
  title: string
  description: string | null
  kind: 'founding' | 'designation' | 'partnership' | 'milestone' | 'equipment' | 'recognition'
  year: number | null
  occurred_on: IsoDate | null
  date_precision: 'day' | 'month' | 'year' | 'unknown'
}

export interface NewsArticleRow extends Provenance {
  id: Uuid
  hospital_id: Uuid
  slug: string
  title: string
  published_on: IsoDate
  summary: string | null
  body: string
  image_file: string | null
  image_caption: string | null
}

export interface NewsArticleUnitRow {
  article_id: Uuid
  unit_id: Uuid
}

/** Everything a region (or a batch of its hospitals) adds, table by table, in an order that satisfies the keys. */
export interface RegionRows {
  source_document: SourceDocumentRow[]
  hospital: HospitalRow[]
  unit: UnitRow[]
  unit_alias: UnitAliasRow[]
  metric_observation: MetricObservationRow[]
  honor: HonorRow[]
  service: ServiceRow[]
  unit_condition: UnitConditionRow[]
  event: EventRow[]
  news_article: NewsArticleRow[]
  news_article_unit: NewsArticleUnitRow[]
}

export type TableName = keyof RegionRows

export const tableNames: TableName[] = ['source_document', 'hospital', 'unit', 'unit_alias', 'metric_observation', 'honor',
  'service', 'unit_condition', 'event', 'news_article', 'news_article_unit']

export function emptyRows (): RegionRows {
  return Object.fromEntries(tableNames.map((table) => [table, []])) as unknown as RegionRows
}
