/**
 * A failure an operator can fix (bad configuration, an unreachable database, a changed migration, bad seed facts, a
 * wrong command line): its message says what is wrong, and a command ends with that one line and exit code 1. Errors
 * of that kind extend this class, so this module needs none of theirs (a command that fails early loads nothing).
 */
export class OperatorError extends Error {}

/** A command line the command cannot act on: its message says what to type instead. */
export class UsageError extends OperatorError {
  override name = 'UsageError'
}

// Anything that is not an OperatorError also prints its stack (a bug).
export function exitWithError (command: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error)
  const known = error instanceof OperatorError
  process.stderr.write(`${command}: ${known ? message : `failed: ${message}`}\n`)
  if (!known && error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack}\n`)
  process.exit(1)
}
