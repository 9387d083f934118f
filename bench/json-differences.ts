import { isDeepStrictEqual } from 'node:util'

// Compares two JSON documents by meaning, not bytes: key order and number spelling (88 and 88.0000) do not matter,
// anything else does. Used to check that a reference answers what the app answers before either is measured.

/** Where `actual` differs from `expected`, as JSON-pointer-like paths with both values; at most `max` of them. */
export function jsonDifferences (expectedText: string, actualText: string, max = 5): string[] {
  let expected: unknown
  let actual: unknown
  try {
    expected = JSON.parse(expectedText)
    actual = JSON.parse(actualText)
  } catch (error) {
    return [`not JSON: ${error instanceof Error ? error.message : String(error)}`]
  }
  if (isDeepStrictEqual(expected, actual)) return []
  const differences: string[] = []
  walk(expected, actual, '', differences, max)
  return differences
}

const show = (value: unknown) => value === undefined ? '(absent)' : JSON.stringify(value)?.slice(0, 80) ?? String(value)

function walk (expected: unknown, actual: unknown, path: string, differences: string[], max: number): void {
  if (differences.length >= max || isDeepStrictEqual(expected, actual)) return
  const bothArrays = Array.isArray(expected) && Array.isArray(actual)
  const bothObjects = !bothArrays && isObject(expected) && isObject(actual)
  if (bothArrays) {
    if (expected.length !== actual.length) differences.push(`${path || '/'}: ${actual.length} items, not ${expected.length}`)
    for (let index = 0; index < Math.min(expected.length, actual.length); index++) walk(expected[index], actual[index], `${path}/${index}`, differences, max)
    return
  }
  if (bothObjects) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) walk(expected[key], actual[key], `${path}/${key}`, differences, max)
    return
  }
  differences.push(`${path || '/'}: ${show(actual)}, not ${show(expected)}`)
}

function isObject (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
