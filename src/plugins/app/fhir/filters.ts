import type { FhirFilters } from './fhir-repository.ts'
import { ProblemError } from '../../../lib/problem.ts'

const nameModifiers = [['name', 'startsWith'], ['name:contains', 'contains'], ['name:exact', 'exact']] as const

/** The name filter of `name`, `name:contains` or `name:exact`; one of them at a time. */
export function nameFilter (query: Record<string, unknown>): Pick<FhirFilters, 'name'> {
  const given = nameModifiers.filter(([parameter]) => typeof query[parameter] === 'string')
  if (given.length > 1) {
    throw new ProblemError('invalidRequest', `Send one of name, name:contains and name:exact, not ${given.map(([parameter]) => parameter).join(' and ')}.`)
  }
  const [chosen] = given
  return chosen === undefined ? {} : { name: { text: query[chosen[0]] as string, match: chosen[1] } }
}
