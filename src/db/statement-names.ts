import { createHash } from 'node:crypto'

/**
 * Names for Prisma's SQL statements, so that `pg` prepares each once per connection and PostgreSQL parses and plans
 * it once instead of on every execution (a unit list with its joined relations spent ~3 ms of the server's CPU in
 * parse and bind alone, ten times what executing it took). Prisma binds every value as a parameter, so the texts
 * are the API's query shapes, not its requests; still, each name is a statement kept on every pooled connection, so
 * at most `max` texts are named (the first ones seen twice: a shape used once is not worth a slot) and the rest run
 * unnamed as before (the empty name is PostgreSQL's unnamed statement). The name is a digest of the text: the same on
 * every connection and every instance.
 */
export function statementNames (options: { max: number }): (query: { sql: string }) => string {
  const named = new Map<string, string>()
  const seenOnce = new Set<string>()
  return ({ sql }) => {
    const name = named.get(sql)
    if (name !== undefined) return name
    if (named.size >= options.max) return ''
    if (!seenOnce.has(sql)) {
      seenOnce.add(sql)
      // Bounded too: texts seen once are forgotten in bulk rather than kept forever.
      if (seenOnce.size > options.max * 4) seenOnce.clear()
      return ''
    }
    seenOnce.delete(sql)
    const digest = `prisma_${createHash('sha256').update(sql).digest('base64url').slice(0, 32)}`
    named.set(sql, digest)
    return digest
  }
}
