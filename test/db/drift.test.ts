import { readFile } from 'node:fs/promises'
import path from 'node:path'
import t from 'tap'
import { packageRoot } from '../../src/paths.ts'
import { openTestDatabase } from '../helper.ts'

// Migrates an empty database and proves it matches schema.prisma as Prisma reads it: the data model comes from
// Prisma's own DMMF (written by prisma/dmmf-generator.mjs during `prisma generate`), not from a second parser.

interface DmmfField {
  name: string
  dbName?: string | null
  kind: 'scalar' | 'enum' | 'object' | 'unsupported'
  type: string
  isRequired: boolean
  isList: boolean
  nativeType?: [string, string[]] | null
  relationFromFields?: string[]
  relationToFields?: string[]
  relationOnDelete?: string
}
interface DmmfModel { name: string, dbName: string | null, fields: DmmfField[] }
interface DmmfEnum { name: string, dbName: string | null, values: Array<{ name: string, dbName: string | null }> }
interface DmmfIndex { model: string, type: 'id' | 'unique' | 'normal' | 'fulltext', fields: Array<{ name: string }> }
interface Dmmf { models: DmmfModel[], enums: DmmfEnum[], indexes: DmmfIndex[] }

interface ColumnRow {
  table_name: string
  column_name: string
  data_type: string
  udt_name: string
  is_nullable: 'YES' | 'NO'
  character_maximum_length: number | null
  numeric_precision: number | null
  numeric_scale: number | null
  datetime_precision: number | null
}

const dmmf = JSON.parse(await readFile(path.join(packageRoot, 'src/generated/dmmf.json'), 'utf8')) as Dmmf
const tableOf = (model: DmmfModel): string => model.dbName ?? model.name
const columnOf = (field: DmmfField): string => field.dbName ?? field.name
const modelByName = new Map(dmmf.models.map((model) => [model.name, model]))
const enumByName = new Map(dmmf.enums.map((enumeration) => [enumeration.name, enumeration]))

/** The column type PostgreSQL reports for a Prisma field, in information_schema terms. */
function expectedType (field: DmmfField): Partial<ColumnRow> {
  // A list is an array of the element type: information_schema names the element type with a leading underscore.
  if (field.isList) {
    const element = field.kind === 'enum' ? enumByName.get(field.type)!.dbName ?? field.type : expectedType({ ...field, isList: false }).udt_name
    return { data_type: 'ARRAY', ...(element === undefined ? {} : { udt_name: `_${element}` }) }
  }
  if (field.kind === 'enum') {
    const enumeration = enumByName.get(field.type)!
    return { data_type: 'USER-DEFINED', udt_name: enumeration.dbName ?? enumeration.name }
  }
  const [native, args] = field.nativeType ?? [null, []]
  const number = (index: number): number => Number(args[index])
  switch (native) {
    case 'Uuid': return { data_type: 'uuid' }
    case 'Date': return { data_type: 'date' }
    case 'Timestamptz': return { data_type: 'timestamp with time zone', datetime_precision: args.length > 0 ? number(0) : 6 }
    case 'Timestamp': return { data_type: 'timestamp without time zone', datetime_precision: args.length > 0 ? number(0) : 6 }
    case 'Char': return { data_type: 'character', character_maximum_length: number(0) }
    case 'VarChar': return { data_type: 'character varying', character_maximum_length: number(0) }
    case 'Decimal': return { data_type: 'numeric', numeric_precision: number(0), numeric_scale: number(1) }
    case null: break
    default: throw new Error(`drift test does not know native type ${native}`)
  }
  const defaults: Record<string, Partial<ColumnRow>> = {
    String: { data_type: 'text' },
    Int: { data_type: 'integer' },
    BigInt: { data_type: 'bigint' },
    Boolean: { data_type: 'boolean' },
    Float: { data_type: 'double precision' },
    Decimal: { data_type: 'numeric', numeric_precision: 65, numeric_scale: 30 },
    DateTime: { data_type: 'timestamp without time zone', datetime_precision: 3 },
    Json: { data_type: 'jsonb' }
  }
  const expected = defaults[field.type]
  if (expected === undefined) throw new Error(`drift test does not know Prisma type ${field.type}`)
  return expected
}

const database = await openTestDatabase(t, { migrated: true })
const query = <Row>(sql: string): Promise<Row[]> => database.withSession((session) => session.query<Row>(sql))

const columns = await query<ColumnRow>(`
  SELECT table_name, column_name, data_type, udt_name, is_nullable, character_maximum_length,
         numeric_precision, numeric_scale, datetime_precision
  FROM information_schema.columns WHERE table_schema = current_schema()
    -- Stored search vectors are Unsupported("tsvector") in schema.prisma, which Prisma's DMMF leaves out; checked below.
    AND is_generated = 'NEVER'`)
const columnsByTable = new Map<string, Map<string, ColumnRow>>()
for (const column of columns) {
  if (!columnsByTable.has(column.table_name)) columnsByTable.set(column.table_name, new Map())
  columnsByTable.get(column.table_name)!.set(column.column_name, column)
}

t.test('the database has exactly the tables of the Prisma models', async (t) => {
  const tables = [...columnsByTable.keys()].filter((name) => name !== '_prisma_migrations').sort()
  t.same(tables, dmmf.models.map(tableOf).sort())
})

for (const model of dmmf.models) {
  t.test(`table ${tableOf(model)} matches model ${model.name}`, async (t) => {
    const actual = columnsByTable.get(tableOf(model)) ?? new Map<string, ColumnRow>()
    const scalarFields = model.fields.filter((field) => field.kind === 'scalar' || field.kind === 'enum')
    t.same([...actual.keys()].sort(), scalarFields.map(columnOf).sort(), 'same columns, none missing, none extra')
    for (const field of scalarFields) {
      const column = actual.get(columnOf(field))
      if (column === undefined) continue
      t.match(column, expectedType(field), `${columnOf(field)} has the type of ${field.name}`)
      t.equal(column.is_nullable, field.isRequired ? 'NO' : 'YES', `${columnOf(field)} nullability`)
    }
  })
}

t.test('the only generated columns are the stored search vectors', async (t) => {
  const generated = await query<{ table_name: string, column_name: string, udt_name: string }>(`
    SELECT table_name, column_name, udt_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND is_generated <> 'NEVER' ORDER BY table_name`)
  t.same(generated, ['condition', 'honor', 'news_article', 'service', 'unit', 'unit_alias']
    .map((table) => ({ table_name: table, column_name: 'search_vector', udt_name: 'tsvector' })))
})

t.test('enums have the values Prisma maps them to, in order', async (t) => {
  const rows = await query<{ type: string, value: string }>(`
    SELECT t.typname AS type, e.enumlabel AS value
    FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = current_schema() ORDER BY t.typname, e.enumsortorder`)
  const actual = new Map<string, string[]>()
  for (const row of rows) actual.set(row.type, [...(actual.get(row.type) ?? []), row.value])
  t.same([...actual.keys()].sort(), dmmf.enums.map((enumeration) => enumeration.dbName ?? enumeration.name).sort())
  for (const enumeration of dmmf.enums) {
    t.same(actual.get(enumeration.dbName ?? enumeration.name), enumeration.values.map((value) => value.dbName ?? value.name),
      `enum ${enumeration.name}`)
  }
})

t.test('primary keys, unique constraints and indexes match', async (t) => {
  const rows = await query<{ table: string, primary: boolean, unique: boolean, columns: string[] }>(`
    SELECT t.relname AS table, ix.indisprimary AS primary, ix.indisunique AS unique,
           -- The key columns only: schema.prisma cannot write an index's INCLUDE columns.
           array(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum WHERE k.ord <= ix.indnkeyatts ORDER BY k.ord) AS columns
    FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'
      -- Expression indexes (full-text search) cannot be written in schema.prisma; Prisma leaves them alone.
      AND ix.indexprs IS NULL
      -- Nor the GIN indexes on the generated search vectors, which the DMMF does not describe either.
      AND NOT EXISTS (SELECT 1 FROM unnest(ix.indkey) AS k(attnum) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                      WHERE a.attgenerated <> '')`)
  const describe = (table: string, kind: string, columnNames: string[]): string => `${table} ${kind} (${columnNames.join(', ')})`
  const actual = rows.map((row) => describe(row.table, row.primary ? 'id' : row.unique ? 'unique' : 'normal', row.columns)).sort()
  const expected = dmmf.indexes.map((index) => {
    const model = modelByName.get(index.model)!
    const fieldColumns = index.fields.map((indexField) => columnOf(model.fields.find((field) => field.name === indexField.name)!))
    return describe(tableOf(model), index.type, fieldColumns)
  }).sort()
  t.same(actual, expected)
})

t.test('foreign keys match the relations, with their delete rules', async (t) => {
  const rows = await query<{ table: string, columns: string[], referenced: string, referencedColumns: string[], onDelete: string }>(`
    SELECT t.relname AS table,
           array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
           r.relname AS referenced,
           array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS "referencedColumns",
           c.confdeltype::text AS "onDelete"
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE c.contype = 'f' AND n.nspname = current_schema()`)
  const deleteRules: Record<string, string> = { r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault', a: 'NoAction' }
  const actual = rows.map((row) =>
    `${row.table}(${row.columns.join(', ')}) -> ${row.referenced}(${row.referencedColumns.join(', ')}) on delete ${deleteRules[row.onDelete]}`).sort()
  const expected = dmmf.models.flatMap((model) => model.fields
    .filter((field) => field.kind === 'object' && (field.relationFromFields?.length ?? 0) > 0)
    .map((field) => {
      const target = modelByName.get(field.type)!
      const fromColumns = field.relationFromFields!.map((name) => columnOf(model.fields.find((f) => f.name === name)!))
      const toColumns = field.relationToFields!.map((name) => columnOf(target.fields.find((f) => f.name === name)!))
      const onDelete = field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull')
      return `${tableOf(model)}(${fromColumns.join(', ')}) -> ${tableOf(target)}(${toColumns.join(', ')}) on delete ${onDelete}`
    })).sort()
  t.same(actual, expected)
})
