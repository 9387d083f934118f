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

/**
 * Whether other figures of o's unit, metric and period (an unstated end being the date stated) state something else:
 * null, or the figure that counts (latest stated, then latest entered), how many there are and the links.
 */
const latestFirst = 'c.stated_on DESC NULLS LAST, c.created_at DESC, c.id'
const conflict = `(SELECT CASE WHEN count(DISTINCT c.value::text || '|' || COALESCE(c.comparator::text, '')) > 1 THEN json_build_object(
    'current', (array_agg(c.id ORDER BY ${latestFirst}))[1] = o.id, 'figures', count(*)::int,
    'links', json_build_object('current', '/v1/metrics/' || (array_agg(c.id ORDER BY ${latestFirst}))[1],
      'conflicts', '/v1/conflicts?department=' || ou.slug || '&metric=' || m.code)) END
  FROM metric_observation c WHERE c.unit_id = o.unit_id AND c.metric_id = o.metric_id AND c.period_kind = o.period_kind
    AND COALESCE(c.period_duration, '') = COALESCE(o.period_duration, '') AND c.period_start IS NOT DISTINCT FROM o.period_start
    AND COALESCE(c.period_end, c.stated_on) IS NOT DISTINCT FROM COALESCE(o.period_end, o.stated_on))`

/** A figure (alias o), with its unit ou, metric m and source os joined. */
const observation = `json_build_object(
  'id', o.id, 'department', ${unitReference('ou')},
  'metric', json_build_object('code', m.code, 'name', m.name, 'unit', m.unit, 'unitLabel', m.unit_label, 'category', m.category),
  'value', o.value, 'comparator', o.comparator, 'approximate', o.approximate,
  'exact', o.comparator IS NULL AND NOT o.approximate, 'statedValue', o.stated_value,
  'period', json_build_object('kind', o.period_kind, 'duration', o.period_duration, 'start', ${day('o.period_start')},
    'end', ${day('o.period_end')}, 'label', o.period_label),
  'statedOn', ${day('o.stated_on')}, 'note', o.note, 'source', ${sourceReference('os', 'o.quote')}, 'conflict', ${conflict}, ${versioned('o')})`
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

/**
 * A figure's interval as the app's qualified arithmetic sees it (value, comparator as text, approximate): which
 * bounds it has and whether each is inclusive. Over a group, `aggregate` totals them: the bounds a sum has are those
 * every figure has (bool_and), and any approximate figure makes it approximate (bool_or).
 */
function interval (value: string, comparator: string, approximate: string, aggregate: boolean) {
  const plain = `(${comparator} IS NULL AND NOT ${approximate})`
  const all = (expression: string) => aggregate ? `bool_and(${expression})` : expression
  return {
    value: aggregate ? `sum(${value})` : value,
    hasLower: all(`(coalesce(${comparator} IN ('>', '>='), false) OR ${plain})`),
    lowerInclusive: all(`(coalesce(${comparator} = '>=', false) OR ${plain})`),
    hasUpper: all(`(coalesce(${comparator} IN ('<', '<='), false) OR ${plain})`),
    upperInclusive: all(`(coalesce(${comparator} = '<=', false) OR ${plain})`),
    approximate: aggregate ? `bool_or(${approximate})` : approximate
  }
}
type Interval = ReturnType<typeof interval>

/** The app's QualifiedValue of an interval whose parts are columns or expressions. */
function qualified (parts: Interval): string {
  const value = `(${parts.value})::float8`
  return `json_build_object('value', ${value},
    'lower', CASE WHEN ${parts.hasLower} THEN ${value} END, 'upper', CASE WHEN ${parts.hasUpper} THEN ${value} END,
    'lowerInclusive', ${parts.lowerInclusive}, 'upperInclusive', ${parts.upperInclusive},
    'comparator', CASE
      WHEN ${parts.hasLower} AND NOT ${parts.hasUpper} THEN CASE WHEN ${parts.lowerInclusive} THEN '>=' ELSE '>' END
      WHEN ${parts.hasUpper} AND NOT ${parts.hasLower} THEN CASE WHEN ${parts.upperInclusive} THEN '<=' ELSE '<' END END,
    'approximate', ${parts.approximate},
    'exact', NOT ${parts.approximate} AND ${parts.lowerInclusive} AND ${parts.upperInclusive})`
}

const groupTotal = interval('l.value', 'l.comparator::text', 'l.approximate', true)
const totalColumns = Object.entries(groupTotal).map(([part, expression]) => `${expression} AS total_${part}`).join(', ')
const totalOf = (alias: string): Interval =>
  Object.fromEntries(Object.keys(groupTotal).map((part) => [part, `${alias}.total_${part}`])) as Interval

/** A unit's figure in a group (alias f, its unit fu and source fs joined). */
const unitFigure = `json_build_object(
  'department', ${unitReference('fu')},
  'figure', ${qualified(interval('f.value', 'f.comparator::text', 'f.approximate', false))},
  'statedValue', f.stated_value, 'statedOn', ${day('f.stated_on')}, 'observationId', f.id,
  'source', ${sourceReference('fs', 'f.quote')})`

/**
 * $1 limit, $2 units. The first page of the statistics summary, unfiltered: groups of hospital, metric and period
 * (kind, duration, start, end) in that order, each totalling every unit's latest figure for the period (latest stated,
 * then latest entered), with the unit count and the first $2 units by slug. Hospitals are walked in slug order and
 * each one's groups built in a LATERAL subquery, so the page stops after the few hospitals it needs, as any statement
 * that pages these groups cheaply must. Columns: data (JSON text), next_key (the page's last group key as a JSON
 * array when another page follows, else null), which the server signs as the app does.
 */
export const summarySql = `WITH top AS (
    SELECT h.slug AS hospital_slug, h.name AS hospital_name, h.short_name AS hospital_short_name, groups.*
    FROM hospital h CROSS JOIN LATERAL (
      SELECT m.code AS metric_code, m.name AS metric_name, m.unit AS metric_unit, m.unit_label AS metric_unit_label,
        m.category::text AS metric_category, m.additive,
        l.period_kind::text AS period_kind, l.duration_key, l.period_start, l.period_end,
        coalesce(l.period_start, '-infinity'::date) AS start_key, coalesce(l.period_end, '-infinity'::date) AS end_key,
        count(*)::int AS unit_count, ${totalColumns},
        array_agg(l.id) FILTER (WHERE l.unit_position <= $2) AS first_figures
      FROM (
        SELECT latest.*, row_number() OVER (
          PARTITION BY latest.metric_id, latest.period_kind, latest.duration_key, latest.period_start, latest.period_end
          ORDER BY latest.unit_slug) AS unit_position
        FROM (
          SELECT DISTINCT ON (o.metric_id, o.period_kind, coalesce(o.period_duration, ''), o.period_start, o.period_end, o.unit_id)
            o.id, o.metric_id, o.period_kind, coalesce(o.period_duration, '') AS duration_key, o.period_start, o.period_end,
            o.value, o.comparator, o.approximate, u.slug AS unit_slug
          FROM unit u JOIN metric_observation o ON o.unit_id = u.id
          WHERE u.hospital_id = h.id
          ORDER BY o.metric_id, o.period_kind, coalesce(o.period_duration, ''), o.period_start, o.period_end, o.unit_id,
            o.stated_on DESC NULLS LAST, o.created_at DESC, o.id) latest) l
      JOIN metric_definition m ON m.id = l.metric_id
      GROUP BY m.id, l.period_kind, l.duration_key, l.period_start, l.period_end) groups
    ORDER BY h.slug, groups.metric_code, groups.period_kind, groups.duration_key, groups.start_key, groups.end_key
    LIMIT $1 + 1),
  g AS (SELECT top.*, row_number() OVER (ORDER BY top.hospital_slug, top.metric_code, top.period_kind, top.duration_key,
    top.start_key, top.end_key) AS position FROM top),
  items AS (
    SELECT g.position, json_build_object(
      'hospital', json_build_object('slug', g.hospital_slug, 'name', g.hospital_name, 'shortName', g.hospital_short_name),
      'metric', json_build_object('code', g.metric_code, 'name', g.metric_name, 'unit', g.metric_unit,
        'unitLabel', g.metric_unit_label, 'category', g.metric_category),
      'additive', g.additive,
      'period', json_build_object('kind', g.period_kind, 'duration', nullif(g.duration_key, ''),
        'start', ${day('g.period_start')}, 'end', ${day('g.period_end')}),
      'total', CASE WHEN g.additive THEN ${qualified(totalOf('g'))} END,
      'totalAbsent', CASE WHEN NOT g.additive THEN g.metric_name || ' is an average or a rate: it cannot be summed across units.' END,
      'unitCount', g.unit_count,
      'units', (SELECT coalesce(json_agg(${unitFigure} ORDER BY fu.slug), '[]')
        FROM metric_observation f JOIN unit fu ON fu.id = f.unit_id JOIN source_document fs ON fs.id = f.source_id
        WHERE f.id = ANY(g.first_figures)),
      'links', json_build_object('units', '/v1/statistics/summary/units?hospital=' || g.hospital_slug || '&metric=' || g.metric_code ||
        '&periodKind=' || g.period_kind ||
        CASE WHEN g.duration_key <> '' THEN '&periodDuration=' || g.duration_key ELSE '' END ||
        coalesce('&periodStart=' || ${day('g.period_start')}, '') || coalesce('&periodEnd=' || ${day('g.period_end')}, ''))) AS item
    FROM g WHERE g.position <= $1)
SELECT (SELECT coalesce(json_agg(item ORDER BY position), '[]') FROM items)::text AS data,
  (SELECT json_build_array(g.hospital_slug, g.metric_code, g.period_kind, g.duration_key, g.start_key::text, g.end_key::text)::text
    FROM g WHERE g.position = $1 AND EXISTS (SELECT FROM g g2 WHERE g2.position > $1)) AS next_key`
