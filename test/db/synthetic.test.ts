import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { openDatabase } from '../../src/db/database.ts'
import type { PrismaClient } from '../../src/generated/prisma/client.ts'
import { packageRoot } from '../../src/paths.ts'
import { seedSyntheticRegion, SyntheticRegionError } from '../../seed/synthetic/region.ts'
import { freshDatabaseEnv, testConfig } from '../helper.ts'

// The synthetic region (npm run seed:synthetic): counts that follow from the options, the same rows from the same
// options on two databases, quotes verbatim in flagged sources, the real seed untouched, and the API serving it.
// A small scale keeps it cheap: 3 hospitals × 6 units × 2 years × 3 metrics.

const options = { hospitals: 3, unitsPerHospital: 6, years: 2, metricsPerUnit: 3, seed: 7 }

const factTables = ['hospital', 'unit', 'unit_alias', 'metric_observation', 'honor', 'service', 'unit_condition', 'event', 'news_article']
const regionTables = ['source_document', ...factTables, 'news_article_unit']

/** The SQL condition selecting a table's synthetic rows. */
function syntheticRows (table: string): string {
  if (table === 'source_document') return 'synthetic'
  if (table === 'news_article_unit') return 'article_id IN (SELECT a.id FROM news_article a JOIN source_document s ON s.id = a.source_id WHERE s.synthetic)'
  return 'source_id IN (SELECT id FROM source_document WHERE synthetic)'
}

/** An md5 of every row (all columns, ids and timestamps included) of each table, in a fixed order. */
async function digests (prisma: PrismaClient, which: 'synthetic' | 'real'): Promise<Record<string, string>> {
  const result: Record<string, string> = {}
  for (const table of [...regionTables, 'metric_definition', 'condition']) {
    const filter = regionTables.includes(table) ? syntheticRows(table) : 'true'
    const [row] = await prisma.$queryRawUnsafe<Array<{ digest: string | null, count: number }>>(
      `SELECT md5(string_agg(to_jsonb(t)::text, E'\\n' ORDER BY to_jsonb(t)::text)) AS digest, count(*)::int AS count
       FROM "${table}" t WHERE ${which === 'synthetic' ? '' : 'NOT'} (${filter})`)
    result[table] = `${row!.count} ${row!.digest ?? ''}`
  }
  return result
}

const app = await buildApp(await testConfig(t, {}, { database: 'seeded' }))
t.teardown(() => app.close())
await app.ready()
const realBefore = await digests(app.prisma, 'real')
const tally = await seedSyntheticRegion(app.prisma, options)

t.test('the counts follow from the options', async (t) => {
  t.same(tally.hospitals, { added: 3, alreadyPresent: 0 })
  t.equal(tally.rows.hospital, 3)
  t.equal(tally.rows.unit, 3 * 6)
  t.equal(tally.rows.metric_observation, 3 * 6 * 2 * 3, 'hospitals × units × years × metrics')
  // A page per unit, a page per unit and year, and two news articles a year.
  t.equal(tally.rows.source_document, 3 * (6 + 6 * 2 + 2 * 2))
  t.equal(tally.rows.news_article, 3 * 2 * 2)
  for (const table of ['honor', 'service', 'event']) t.ok(tally.rows[table as 'honor'] > 0, `${table}: some rows`)
  const counts = await digests(app.prisma, 'synthetic')
  for (const table of regionTables) {
    t.equal(Number(counts[table]!.split(' ')[0]), tally.rows[table as 'unit'], `${table}: the database holds what the tally says`)
  }
})

t.test('the same options give the same rows, ids and timestamps included, on another database', async (t) => {
  const other = await openDatabase(await testConfig(t, {}, { database: 'seeded' }))
  t.teardown(() => other.close())
  await seedSyntheticRegion(other.prisma, { ...options, batchSize: 2 })
  t.same(await digests(other.prisma, 'synthetic'), await digests(app.prisma, 'synthetic'))
})

t.test('the real seed is unchanged', async (t) => {
  t.same(await digests(app.prisma, 'real'), realBefore)
  const hospitals = await app.prisma.hospital.findMany({ where: { source: { synthetic: false } }, select: { slug: true } })
  t.same(hospitals, [{ slug: 'cqhcwc' }])
})

t.test('every synthetic fact quotes a sentence of a synthetic source verbatim', async (t) => {
  let checked = 0
  for (const table of factTables) {
    const rows = await app.prisma.$queryRawUnsafe<Array<{ quote: string, full_text: string, synthetic: boolean, file_name: string }>>(
      `SELECT f.quote, s.full_text, s.synthetic, s.file_name FROM "${table}" f JOIN source_document s ON s.id = f.source_id
       WHERE f.source_id IN (SELECT id FROM source_document WHERE synthetic)`)
    t.ok(rows.length > 0, `${table} has synthetic rows`)
    for (const row of rows) {
      checked++
      if (!row.full_text.includes(row.quote)) t.fail(`${table}: quote not in ${row.file_name}: "${row.quote}"`)
    }
  }
  t.ok(checked >= 150, `${checked} quotes checked`)
  const sources = await app.prisma.sourceDocument.findMany({ select: { fileName: true, synthetic: true } })
  t.same(sources.filter((source) => source.synthetic !== source.fileName.startsWith('synthetic/')), [],
    'a source is synthetic exactly when its file name starts with synthetic/')
  // Facts of a synthetic hospital cite synthetic sources only.
  const [mixed] = await app.prisma.$queryRawUnsafe<Array<{ count: number }>>(`
    SELECT count(*)::int AS count FROM metric_observation o JOIN unit u ON u.id = o.unit_id JOIN hospital h ON h.id = u.hospital_id
    JOIN source_document hs ON hs.id = h.source_id JOIN source_document os ON os.id = o.source_id WHERE hs.synthetic <> os.synthetic`)
  t.equal(mixed!.count, 0)
})

t.test('figures carry the qualifier their stated value writes', async (t) => {
  const rows = await app.prisma.$queryRawUnsafe<Array<{ stated_value: string, value: string, comparator: string | null, approximate: boolean, period_kind: string, period_end: Date }>>(`
    SELECT o.stated_value, o.value::text AS value, o.comparator::text AS comparator, o.approximate, o.period_kind::text AS period_kind, o.period_end
    FROM metric_observation o JOIN source_document s ON s.id = o.source_id WHERE s.synthetic`)
  const hedges: Array<[RegExp, string | null, boolean]> = [
    [/^(more than|over) /, '>', false], [/^(nearly|almost) /, '<', true], [/^(about|around) /, null, true],
    [/^at least /, '>=', false], [/^up to /, '<=', false], [/^([0-9,]+|one|two|three|four|five|six|seven|eight|nine)$/, null, false]
  ]
  const seen = new Set<string>()
  for (const row of rows) {
    const hedge = hedges.find(([pattern]) => pattern.test(row.stated_value))
    if (hedge === undefined) { t.fail(`unexpected stated value "${row.stated_value}"`); continue }
    seen.add(hedge[0].source)
    if (row.comparator !== hedge[1] || row.approximate !== hedge[2]) t.fail(`"${row.stated_value}" stored as ${row.comparator}, approximate ${row.approximate}`)
    const digits = row.stated_value.match(/[0-9][0-9,]*/)?.[0]?.replaceAll(',', '')
    if (digits !== undefined && Number(row.value) !== Number(digits)) t.fail(`"${row.stated_value}" stored as ${row.value}`)
  }
  t.ok(seen.size >= 3, `${seen.size} kinds of qualifier among ${rows.length} figures`)
  t.same([...new Set(rows.map((row) => row.period_end.toISOString().slice(0, 10)))].sort(), ['2024-12-31', '2025-12-31'],
    'two years of figures, ending with 2025')
})

t.test('the hospitals sit in a hierarchy of regions under China, with grade, type and ownership', async (t) => {
  const hospitals = await app.inject('/v1/hospitals?region=china&limit=100')
  const synthetic = hospitals.json<{ data: Array<{ slug: string, region: { slug: string, level: string }, grade: string, type: string, ownership: string }> }>().data
    .filter((hospital) => hospital.slug !== 'cqhcwc')
  t.equal(synthetic.length, 3, 'every synthetic hospital is in China')
  for (const hospital of synthetic) {
    t.match(hospital, { region: { level: /^(district|county|prefecture)$/ }, grade: /^(tertiary|secondary)_[ab]$/, type: /^(general|maternal_child_health|tcm)$/, ownership: 'public' })
    const region = (await app.inject(`/v1/regions/${hospital.region.slug}`)).json<{ ancestors: Array<{ slug: string, level: string }> }>()
    t.equal(region.ancestors[0]!.slug, 'china', `${hospital.slug}: China at the top`)
    t.match(region.ancestors[1]!.level, /^(province|municipality)$/)
  }
  const provinces = (await app.inject('/v1/regions?parent=china&limit=100')).json<{ data: Array<{ slug: string }> }>().data.map((region) => region.slug)
  t.same(provinces, ['chongqing', 'guizhou', 'hubei', 'hunan', 'shaanxi', 'sichuan', 'yunnan'], 'one municipality and six provinces')
})

t.test('a second run with the same options adds nothing; other options are refused', async (t) => {
  const again = await seedSyntheticRegion(app.prisma, options)
  t.same(again.hospitals, { added: 0, alreadyPresent: 3 })
  t.equal(again.rows.metric_observation, 0)
  await t.rejects(seedSyntheticRegion(app.prisma, { ...options, years: 3 }), SyntheticRegionError)
  await t.rejects(seedSyntheticRegion(app.prisma, { ...options, hospitals: 0 }), RangeError)
})

t.test('the API serves the region and says its sources are synthetic', async (t) => {
  const hospital = await app.prisma.hospital.findFirstOrThrow({ where: { source: { synthetic: true } }, orderBy: { slug: 'asc' } })
  const list = await app.inject(`/v1/departments?hospital=${hospital.slug}&limit=100`)
  t.equal(list.statusCode, 200)
  const departments = list.json<{ data: Array<{ slug: string, hospital: { slug: string }, source: { id: string, quote: string } }> }>().data
  t.equal(departments.length, 6)
  t.ok(departments.every((department) => department.hospital.slug === hospital.slug && department.slug.startsWith(`${hospital.slug}-`)),
    'units of that hospital, slugs prefixed with its own')

  const cited = departments[0]!.source
  const source = await app.inject(`/v1/sources/${cited.id}`)
  t.equal(source.statusCode, 200)
  const body = source.json<{ synthetic: boolean, fileName: string, fullText: string }>()
  t.equal(body.synthetic, true)
  t.match(body.fileName, /^synthetic\//)
  t.ok(body.fullText.includes(cited.quote), 'the quote is in the text the API serves')

  const real = await app.inject('/v1/sources?limit=100')
  const realSources = real.json<{ data: Array<{ fileName: string, synthetic: boolean }> }>().data.filter((entry) => !entry.fileName.startsWith('synthetic/'))
  t.ok(realSources.length >= 3 && realSources.every((entry) => !entry.synthetic), 'the real documents say synthetic: false')
})

function runCommand (args: string[], env: Record<string, string>): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/seed-synthetic.ts', ...args], {
      cwd: packageRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env }, stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`seed:synthetic did not exit: ${stderr}`)) }, 60_000)
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }) })
  })
}

t.test('the command refuses a bad argument with one line and exit code 2', async (t) => {
  for (const args of [['--hospitals', '0'], ['--years', '3'], ['--hospitals', '1', '--colour']]) {
    const run = await runCommand(args, {})
    t.equal(run.code, 2, args.join(' '))
    t.match(run.stderr, /^seed:synthetic: .+\(--help for usage\)\n$/, 'one line saying what is wrong')
    t.equal(run.stdout, '')
  }
})

t.test('the command adds a region to the configured database and prints the counts', async (t) => {
  const env = await freshDatabaseEnv(t, { seeded: true })
  if (env.DATABASE_URL === undefined) {
    const directory = await mkdtemp(path.join(tmpdir(), 'hospital-synthetic-'))
    t.teardown(() => rm(directory, { recursive: true, force: true }))
    env.PGLITE_DATA_DIR = directory
  }
  const run = await runCommand(['--hospitals', '1', '--units', '4', '--years', '1', '--metrics', '2'], env)
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, /^hospitals +added 1, already present 0$/m)
  t.match(run.stdout, /^unit +added 4$/m)
  t.match(run.stdout, /^metric_observation +added 8$/m)
})
