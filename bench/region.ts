import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import { runCommand } from './processes.ts'
import { seedParameters, type ScenarioParameters } from './scenarios.ts'

// The data the scaling run (`--hospitals 1,10,100,500`) measures at: for each N a PostgreSQL template database,
// `bench_region_<N>_<digest>`, migrated and seeded (the one real hospital) and, for N > 1, grown with N synthetic
// hospitals by the project's generator (`npm run seed:synthetic`). A template is made once and kept between runs
// (N = 500 takes minutes to generate); its name carries a digest of everything that decides its content, so a
// changed migration, seed or generator makes a new one and the old one of that N is dropped. Each N is measured on a
// fresh copy (CREATE DATABASE … TEMPLATE), which every server of that N shares and the bench drops afterwards.

const packageRoot = path.resolve(import.meta.dirname, '..')
const compiledSeedCommand = path.join('dist', 'src', 'cli', 'seed.js')

async function filesUnder (directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)).sort()
}

/** A digest of the migrations, the data model, the seed (the synthetic generator under seed/ included) and its loader. */
export async function regionDigest (): Promise<string> {
  const hash = createHash('sha256')
  const inputs = [
    ...await filesUnder(path.join(packageRoot, 'prisma', 'migrations')),
    ...await filesUnder(path.join(packageRoot, 'seed')),
    ...await filesUnder(path.join(packageRoot, 'src', 'db')),
    path.join(packageRoot, 'prisma', 'schema.prisma')
  ]
  for (const file of inputs) hash.update(path.relative(packageRoot, file)).update('\0').update(await readFile(file)).update('\0')
  return hash.digest('hex').slice(0, 12)
}

function databaseUrl (adminUrl: string, name: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

async function withAdmin<T> (adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

async function dropDatabase (client: pg.Client, name: string): Promise<void> {
  await client.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE false ALLOW_CONNECTIONS true`).catch(() => undefined)
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
}

/**
 * The template of N hospitals, made when missing: built under a temporary name and renamed when complete, so an
 * interrupted build never leaves a template that looks finished. Templates of the same N with another digest are
 * dropped. Returns the template's name.
 */
export async function regionTemplate (adminUrl: string, hospitals: number, env: NodeJS.ProcessEnv,
  log: (line: string) => void): Promise<string> {
  const name = `bench_region_${hospitals}_${await regionDigest()}`
  const existing = await withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`bench\\_region\\_${hospitals}\\_%`])
    for (const row of rows) if (row.datname !== name) await dropDatabase(client, row.datname)
    return rows.some((row) => row.datname === name)
  })
  if (existing) return name

  const building = `${name}_building`
  await withAdmin(adminUrl, async (client) => {
    await dropDatabase(client, building)
    await client.query(`CREATE DATABASE "${building}"`)
  })
  const started = performance.now()
  const buildEnv = { ...env, DATABASE_URL: databaseUrl(adminUrl, building) }
  log(`  N = ${hospitals}: making template ${name} (migrate, seed${hospitals > 1 ? `, ${hospitals} synthetic hospitals` : ''})…`)
  await runCommand(process.execPath, [compiledSeedCommand], buildEnv)
  if (hospitals > 1) {
    await runCommand('npm', ['run', '-s', 'seed:synthetic', '--', '--hospitals', String(hospitals)], buildEnv)
  }
  await withAdmin(buildEnv.DATABASE_URL, async (client) => { await client.query('VACUUM (ANALYZE)') })
  await withAdmin(adminUrl, async (client) => {
    await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`)
    // Nobody connects to a template by mistake, which would make copying it fail.
    await client.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`)
  })
  log(`  N = ${hospitals}: template made in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return name
}

/** A fresh copy of the template, replacing a leftover one of the same name; returns its URL. */
export async function copyTemplate (adminUrl: string, template: string, copy: string): Promise<string> {
  await withAdmin(adminUrl, async (client) => {
    await dropDatabase(client, copy)
    await client.query(`CREATE DATABASE "${copy}" TEMPLATE "${template}"`)
  })
  return databaseUrl(adminUrl, copy)
}

export async function dropCopy (adminUrl: string, copy: string): Promise<void> {
  await withAdmin(adminUrl, async (client) => { await dropDatabase(client, copy) })
}

/**
 * What the scenarios read at N hospitals: the seed's own at N = 1; above, the synthetic hospital with the most units
 * (the seed's aside), its unit with the most figures (children first among equals), and that unit's most stated metric.
 */
export async function scenarioParameters (url: string, hospitals: number): Promise<ScenarioParameters> {
  if (hospitals === 1) return seedParameters
  return await withAdmin(url, async (client) => {
    const { rows: [hospital] } = await client.query<{ slug: string }>(`
      SELECT h.slug FROM hospital h JOIN unit u ON u.hospital_id = h.id WHERE h.slug <> $1
      GROUP BY h.id, h.slug ORDER BY count(*) DESC, h.slug LIMIT 1`, [seedParameters.hospital])
    if (hospital === undefined) throw new Error(`the N = ${hospitals} database has no hospital besides the seed's`)
    const { rows: [unit] } = await client.query<{ slug: string }>(`
      SELECT u.slug FROM unit u WHERE u.hospital_id = (SELECT id FROM hospital WHERE slug = $1)
      ORDER BY (SELECT count(*) FROM metric_observation o WHERE o.unit_id = u.id) DESC,
               (SELECT count(*) FROM unit c WHERE c.parent_id = u.id) DESC, u.slug LIMIT 1`, [hospital.slug])
    if (unit === undefined) throw new Error(`hospital ${hospital.slug} has no unit`)
    const { rows: [metric] } = await client.query<{ code: string }>(`
      SELECT m.code FROM metric_observation o JOIN metric_definition m ON m.id = o.metric_id
      WHERE o.unit_id = (SELECT id FROM unit WHERE slug = $1) GROUP BY m.code ORDER BY count(*) DESC, m.code LIMIT 1`, [unit.slug])
    if (metric === undefined) throw new Error(`unit ${unit.slug} has no figure`)
    return { hospital: hospital.slug, department: unit.slug, metric: metric.code, searchQuery: seedParameters.searchQuery }
  })
}
