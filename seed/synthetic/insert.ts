import type { PrismaClient } from '../../src/generated/prisma/client.ts'
import { tableNames, type RegionRows, type TableName } from './rows.ts'

// Set-based inserts that work the same on PostgreSQL and PGlite through Prisma: each statement sends up to
// `rowsPerStatement` rows as one JSON parameter, and PostgreSQL's json_populate_recordset turns it into rows of the
// table's own type (keys matched to columns, text cast to enums, dates and numbers), so one statement inserts
// thousands of rows with no per-row round trip and no column list written twice.

type Executor = Pick<PrismaClient, '$executeRawUnsafe'>

/** Fixed, so that two runs give byte-identical rows; the date the generator was written. */
export const syntheticTimestamp = '2026-12-07T00:00:00.000Z'

const rowsPerStatement = 10_000

/** The timestamp columns each table has; version takes its default of 1. */
const timestampColumns: Record<TableName, string[]> = {
  source_document: ['created_at', 'updated_at'],
  hospital: ['created_at', 'updated_at'],
  unit: ['created_at', 'updated_at'],
  unit_alias: ['created_at', 'updated_at'],
  metric_observation: ['created_at', 'updated_at'],
  honor: ['created_at', 'updated_at'],
  service: ['created_at', 'updated_at'],
  unit_condition: ['created_at', 'updated_at'],
  event: ['created_at', 'updated_at'],
  news_article: ['created_at', 'updated_at'],
  news_article_unit: []
}

async function insertTable (executor: Executor, table: TableName, rows: object[]): Promise<void> {
  const first = rows[0]
  if (first === undefined) return
  const columns = Object.keys(first).map((column) => `"${column}"`)
  const timestamps = timestampColumns[table]
  const target = [...columns, ...timestamps.map((column) => `"${column}"`)].join(', ')
  const source = [...columns, ...timestamps.map(() => '$2::timestamptz')].join(', ')
  const statement = `INSERT INTO "${table}" (${target}) SELECT ${source} FROM json_populate_recordset(NULL::"${table}", $1::json)`
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = JSON.stringify(rows.slice(start, start + rowsPerStatement))
    await (timestamps.length === 0
      ? executor.$executeRawUnsafe(statement, chunk)
      : executor.$executeRawUnsafe(statement, chunk, syntheticTimestamp))
  }
}

/** Inserts every table's rows, parents before children. */
export async function insertRows (executor: Executor, rows: RegionRows): Promise<void> {
  for (const table of tableNames) await insertTable(executor, table, rows[table])
}
