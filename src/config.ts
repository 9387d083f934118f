import envSchema from 'env-schema'
import { Type, type Static } from 'typebox'

// The one description of the service's configuration: the type is derived from it, env-schema validates,
// coerces and applies defaults, and the README's configuration table lists the same variables.
export const ConfigSchema = Type.Object({
  HOST: Type.String({ default: 'localhost', description: 'Interface to listen on' }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' }
  ),
  DATABASE_URL: Type.Optional(
    Type.String({ pattern: '^postgres(ql)?://', description: 'PostgreSQL server; unset means embedded PGlite' })
  ),
  PGLITE_DATA_DIR: Type.String({
    default: './data/pglite',
    minLength: 1,
    description: 'Where the embedded database keeps its files; "memory://" keeps it in memory'
  }),
  DATABASE_POOL_SIZE: Type.Integer({ default: 10, minimum: 1, maximum: 100 }),
  DATABASE_CONNECT_TIMEOUT_MS: Type.Integer({ default: 5000, minimum: 100 }),
  MIGRATE_ON_START: Type.Boolean({ default: true }),
  SEED_ON_START: Type.Boolean({ default: true, description: 'Seed the source documents into an empty database' }),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'Base URL advertised in OpenAPI' })),
  CURSOR_SECRET: Type.Optional(Type.String({
    minLength: 32,
    description: 'Key that signs paging cursors; set it (same value on every instance) so cursors survive restarts'
  })),
  CORS_ORIGINS: Type.String({
    default: '',
    pattern: '^(|https?://[^,\\s]+(,https?://[^,\\s]+)*)$',
    description: 'Comma-separated browser origins allowed by CORS; empty allows none'
  }),
  CACHE_CONTROL: Type.String({
    default: 'public, no-cache',
    minLength: 1,
    description: 'Cache-Control of successful GET responses (clients revalidate cheaply with ETag)'
  }),
  READS_REQUIRE_KEY: Type.Boolean({
    default: false,
    description: 'Require an API key with the read scope for GET requests (writes always need a key)'
  }),
  REDIS_URL: Type.Optional(Type.String({
    pattern: '^rediss?://',
    description: 'Redis for rate-limit counters shared by every instance; unset keeps them in process'
  })),
  RATE_LIMIT_PER_IP: Type.Integer({
    default: 600,
    minimum: 0,
    description: 'Requests per minute from one IP address without a valid API key; 0 for no limit'
  }),
  RATE_LIMIT_PER_KEY: Type.Integer({
    default: 3000,
    minimum: 0,
    description: 'Requests per minute with one API key; 0 for no limit'
  }),
  STATISTICS_CACHE_ENTRIES: Type.Integer({
    default: 1000,
    minimum: 0,
    description: 'Statistics results kept in memory until the data changes; 0 turns the cache off'
  })
})

export type Config = Static<typeof ConfigSchema>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Reads and validates the configuration; throws ConfigError with one readable line when it is wrong. */
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  try {
    return envSchema<Config>({ schema: ConfigSchema, data: env, env: false })
  } catch (error) {
    const message = error instanceof Error ? error.message.replaceAll('env/', '') : String(error)
    throw new ConfigError(`Invalid configuration: ${message}`)
  }
}
