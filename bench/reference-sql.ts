// The SQL-built JSON reference's statements: each answer is one PostgreSQL statement that builds the app's JSON
// representation with json_build_object and json_agg, to-one relations joined and to-many ones embedded through
// LATERAL subqueries (the way PostgREST builds its embeds), selecting only what the representation shows. The texts
// are fixed, so each is prepared once per pooled connection by name. Lists fetch one row more than the page to learn
// whether a next page exists, and return the page's last sort key and id beside the JSON text so the server can sign
// the same cursor the app signs.

export type DepartmentEmbed = 'children' | 'metrics' | 'honors' | 'services'
export const departmentEmbeds: readonly DepartmentEmbed[] = ['children', 'metrics', 'honors', 'services']

const timestamp = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
const day = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`
/** A date sort key as the app's cursor carries it: the Date at midnight UTC, as toISOString writes it. */
const dayCursor = (column: string) => `${day(column)} || 'T00:00:00.000Z'`

const unitReference = (alias: string) => `json_build_object('slug', ${alias}.slug, 'name', ${alias}.name, 'kind', ${alias}.kind)`
const hospitalReference = (alias: string) =>
  `json_build_object('slug', ${alias}.slug, 'name', ${alias}.name, 'shortName', ${alias}.short_name)`
const sourceReference = (source: string, quote: string) =>
  `json_build_object('id', ${source}.id, 'title', ${source}.title, 'statedOn', ${day(`${source}.stated_on`)}, 'quote', ${quote})`
const versioned = (alias: string) => `'version', ${alias}.version, 'updatedAt', ${timestamp(`${alias}.updated_at`)}`

/** A figure (alias o), with its unit ou, metric m and source os joined. */
const observation = `json_build_object(
  'id', o.id, 'department', ${unitReference('ou')},
  'metric', json_build_object('code', m.code, 'name', m.name, 'unit', m.unit, 'unitLabel', m.unit_label, 'category', m.category),
  'value', o.value, 'comparator', o.comparator, 'approximate', o.approximate,
  'exact', o.comparator IS NULL AND NOT o.approximate, 'statedValue', o.stated_value,
  'period', json_build_object('kind', o.period_kind, 'duration', o.period_duration, 'start', ${day('o.period_start')},
    'end', ${day('o.period_end')}, 'label', o.period_label),
  'statedOn', ${day('o.stated_on')}, 'note', o.note, 'source', ${sourceReference('os', 'o.quote')}, ${versioned('o')})`
const observationJoins = `JOIN unit ou ON ou.id = o.unit_id JOIN metric_definition m ON m.id = o.metric_id
  JOIN source_document os ON os.id = o.source_id`

/** An honor (alias ho), with its hospital hh, unit hu (or null) and source hs joined. */
const honor = `json_build_object(
  'id', ho.id, 'slug', ho.slug, 'title', ho.title, 'kind', ho.kind, 'issuer', ho.issuer, 'level', ho.level, 'year', ho.year,
  'statedOn', ${day('ho.stated_on')}, 'hospital', ${hospitalReference('hh')},
  'department', CASE WHEN hu.id IS NULL THEN NULL ELSE ${unitReference('hu')} END,
  'source', ${sourceReference('hs', 'ho.quote')}, ${versioned('ho')})`
const honorJoins = `JOIN hospital hh ON hh.id = ho.hospital_id LEFT JOIN unit hu ON hu.id = ho.unit_id
  JOIN source_document hs ON hs.id = ho.source_id`

const service = `json_build_object(
  'id', sv.id, 'slug', sv.slug, 'name', sv.name, 'kind', sv.kind, 'description', sv.description,
  'department', ${unitReference('su')}, 'source', ${sourceReference('ss', 'sv.quote')}, ${versioned('sv')})`

/** Each embed's LATERAL subquery for the unit `u`, ordered as the app orders it. */
const embedSubqueries: Record<DepartmentEmbed, string> = {
  children: `SELECT coalesce(json_agg(${unitReference('c')} ORDER BY c.slug, c.id), '[]') AS children
    FROM unit c WHERE c.parent_id = u.id`,
  metrics: `SELECT coalesce(json_agg(${observation} ORDER BY m.code, o.id), '[]') AS metrics
    FROM metric_observation o ${observationJoins} WHERE o.unit_id = u.id`,
  honors: `SELECT coalesce(json_agg(${honor} ORDER BY ho.slug, ho.id), '[]') AS honors
    FROM honor ho ${honorJoins} WHERE ho.unit_id = u.id`,
  services: `SELECT coalesce(json_agg(${service} ORDER BY sv.slug, sv.id), '[]') AS services
    FROM service sv JOIN unit su ON su.id = sv.unit_id JOIN source_document ss ON ss.id = sv.source_id WHERE sv.unit_id = u.id`
}

/** A unit (alias u) with its hospital, parent, aliases and source, and the embeds asked for. */
function department (embeds: readonly DepartmentEmbed[]): { item: string, joins: string } {
  const item = `json_build_object(
    'id', u.id, 'slug', u.slug, 'name', u.name, 'kind', u.kind, 'hospital', ${hospitalReference('uh')},
    'parent', CASE WHEN up.id IS NULL THEN NULL ELSE ${unitReference('up')} END, 'aliases', ua.aliases,
    'summary', u.summary, 'focus', u.focus, 'establishedYear', u.established_year, 'source', ${sourceReference('us', 'u.quote')},
    ${versioned('u')},
    'links', json_build_object('self', '/v1/departments/' || u.slug, 'metrics', '/v1/departments/' || u.slug || '/metrics')
    ${embeds.map((embed) => `, '${embed}', e_${embed}.${embed}`).join('')})`
  const joins = `JOIN hospital uh ON uh.id = u.hospital_id LEFT JOIN unit up ON up.id = u.parent_id
    JOIN source_document us ON us.id = u.source_id
    CROSS JOIN LATERAL (SELECT coalesce(json_agg(json_build_object('slug', a.slug, 'name', a.name) ORDER BY a.slug), '[]') AS aliases
      FROM unit_alias a WHERE a.unit_id = u.id) ua
    ${embeds.map((embed) => `CROSS JOIN LATERAL (${embedSubqueries[embed]}) e_${embed}`).join('\n    ')}`
  return { item, joins }
}

/**
 * One page of a list: `rows` selects the candidate rows (alias `r`, with `position` 1, 2, … in page order, at most
 * limit + 1 of them, the limit being the last parameter); the items are built for the page's rows only.
 * Columns: data (JSON text), last_value and last_id (the page's last row when there is a next page, else null).
 */
function page (rows: string, itemFrom: string, item: string, lastValue: string, limitParameter: string): string {
  return `WITH r AS (${rows}),
    items AS (SELECT r.position, ${item} AS item FROM r ${itemFrom} WHERE r.position <= ${limitParameter})
  SELECT (SELECT coalesce(json_agg(item ORDER BY position), '[]') FROM items)::text AS data,
    (SELECT ${lastValue} FROM r WHERE r.position = ${limitParameter} AND EXISTS (SELECT FROM r r2 WHERE r2.position > ${limitParameter})) AS last_value,
    (SELECT r.id::text FROM r WHERE r.position = ${limitParameter} AND EXISTS (SELECT FROM r r2 WHERE r2.position > ${limitParameter})) AS last_id`
}

/** $1 hospital slug, $2 limit. */
export function departmentListSql (embeds: readonly DepartmentEmbed[]): string {
  const { item, joins } = department(embeds)
  return page(
    `SELECT u.*, row_number() OVER (ORDER BY u.slug, u.id) AS position FROM unit u
      WHERE u.hospital_id = (SELECT id FROM hospital WHERE slug = $1) ORDER BY u.slug, u.id LIMIT $2 + 1`,
    `JOIN unit u ON u.id = r.id ${joins}`, item, 'r.slug', '$2')
}

/** $1 unit slug. Column: data (JSON text), none when no unit has the slug. */
export function departmentDetailSql (embeds: readonly DepartmentEmbed[]): string {
  const { item, joins } = department(embeds)
  return `SELECT ${item}::text AS data FROM unit u ${joins} WHERE u.slug = $1`
}

/** $1 unit slug or alias slug, $2 metric codes (text[]), $3 limit; sorted by statedOn (undated last), then id. */
export const observationListSql = page(
  `SELECT o.id, o.stated_on, row_number() OVER (ORDER BY o.stated_on NULLS LAST, o.id) AS position FROM metric_observation o
    WHERE o.unit_id IN (SELECT id FROM unit WHERE slug = $1 UNION SELECT unit_id FROM unit_alias WHERE slug = $1)
      AND o.metric_id IN (SELECT id FROM metric_definition WHERE code = ANY($2::text[]))
    ORDER BY o.stated_on NULLS LAST, o.id LIMIT $3 + 1`,
  `JOIN metric_observation o ON o.id = r.id ${observationJoins}`, observation, dayCursor('r.stated_on'), '$3')

/** $1 hospital slug, $2 limit; sorted by title, then id. */
export const honorListSql = page(
  `SELECT ho.id, ho.title, row_number() OVER (ORDER BY ho.title, ho.id) AS position FROM honor ho
    WHERE ho.hospital_id = (SELECT id FROM hospital WHERE slug = $1) ORDER BY ho.title, ho.id LIMIT $2 + 1`,
  `JOIN honor ho ON ho.id = r.id ${honorJoins}`, honor, 'r.title', '$2')

/**
 * $1 query text, $2 limit. The app's full-text search (units and their aliases, services, conditions, honors, news),
 * ranked with ts_rank over each table's stored, weighted search_vector (a unit at the better of its own rank and its
 * best alias's), ordered by rank, kind, id; only the page's hits read their text and get a ts_headline (a unit found
 * better by an alias shows that alias). Its cursor's key is the rank as float8 text and `kind:id`.
 */
export const searchSql = `WITH query AS (SELECT websearch_to_tsquery('english', $1) AS q),
  matches AS (
    SELECT 'department'::text AS kind, coalesce(own.id, alias.unit_id) AS id, greatest(own.rank, alias.rank) AS rank
    FROM (SELECT u.id, ts_rank(u.search_vector, query.q) AS rank FROM unit u, query WHERE u.search_vector @@ query.q) own
    FULL JOIN (SELECT a.unit_id, max(ts_rank(a.search_vector, query.q)) AS rank FROM unit_alias a, query
               WHERE a.search_vector @@ query.q GROUP BY a.unit_id) alias ON alias.unit_id = own.id
    UNION ALL
    SELECT 'service', s.id, ts_rank(s.search_vector, query.q) FROM service s, query WHERE s.search_vector @@ query.q
    UNION ALL
    SELECT 'condition', c.id, ts_rank(c.search_vector, query.q) FROM condition c, query WHERE c.search_vector @@ query.q
    UNION ALL
    SELECT 'honor', h.id, ts_rank(h.search_vector, query.q) FROM honor h, query WHERE h.search_vector @@ query.q
    UNION ALL
    SELECT 'news', n.id, ts_rank(n.search_vector, query.q) FROM news_article n, query WHERE n.search_vector @@ query.q),
  top AS (SELECT * FROM matches ORDER BY rank DESC, kind, id LIMIT $2 + 1),
  r AS (SELECT top.*, row_number() OVER (ORDER BY top.rank DESC, top.kind, top.id) AS position FROM top),
  items AS (
    SELECT r.position, json_build_object(
      'kind', r.kind, 'id', r.id, 'title', coalesce(u.name, s.name, c.name, h.title, n.title),
      'snippet', ts_headline('english', CASE r.kind
        WHEN 'department' THEN CASE WHEN u.search_vector @@ query.q AND ts_rank(u.search_vector, query.q) >= r.rank
          THEN u.name || ' ' || coalesce(u.summary, '') || ' ' || coalesce(u.focus, '')
          ELSE (SELECT a.name FROM unit_alias a WHERE a.unit_id = u.id AND a.search_vector @@ query.q
                ORDER BY ts_rank(a.search_vector, query.q) DESC, a.id LIMIT 1) END
        WHEN 'service' THEN s.name || ' ' || coalesce(s.description, '')
        WHEN 'condition' THEN c.name
        WHEN 'honor' THEN h.title || ' ' || coalesce(h.issuer, '')
        ELSE n.title || ' ' || coalesce(n.summary, '') || ' ' || n.body END,
        query.q, 'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=25, MinWords=8'),
      'rank', r.rank,
      'department', CASE WHEN owner.id IS NULL THEN NULL ELSE ${unitReference('owner')} END,
      'links', json_build_object('self', CASE r.kind
        WHEN 'department' THEN '/v1/departments/' || u.slug
        WHEN 'service' THEN '/v1/services?department=' || owner.slug
        WHEN 'condition' THEN '/v1/conditions/' || c.slug
        WHEN 'honor' THEN CASE WHEN owner.id IS NULL THEN '/v1/honors?hospitalWide=true' ELSE '/v1/honors?department=' || owner.slug END
        ELSE '/v1/news/' || n.slug END)) AS item
    FROM r CROSS JOIN query
    LEFT JOIN unit u ON r.kind = 'department' AND u.id = r.id
    LEFT JOIN service s ON r.kind = 'service' AND s.id = r.id
    LEFT JOIN condition c ON r.kind = 'condition' AND c.id = r.id
    LEFT JOIN honor h ON r.kind = 'honor' AND h.id = r.id
    LEFT JOIN news_article n ON r.kind = 'news' AND n.id = r.id
    LEFT JOIN unit owner ON owner.id = coalesce(u.id, s.unit_id, h.unit_id)
    WHERE r.position <= $2)
SELECT (SELECT coalesce(json_agg(item ORDER BY position), '[]') FROM items)::text AS data,
  (SELECT r.rank::float8::text FROM r WHERE r.position = $2 AND EXISTS (SELECT FROM r r2 WHERE r2.position > $2)) AS last_value,
  (SELECT r.kind || ':' || r.id FROM r WHERE r.position = $2 AND EXISTS (SELECT FROM r r2 WHERE r2.position > $2)) AS last_id`
