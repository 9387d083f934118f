import envSchema from 'env-schema'
import { Type, type Static } from 'typebox'
import { OperatorError } from './lib/fatal.ts'
import { addressRanges } from './lib/outbound-http.ts'

// One trusted proxy in TRUST_PROXY: an IPv4 or IPv6 address or CIDR range, or one of proxy-addr's named ranges.
// Not a hop count: Fastify no longer trusts one, since it cannot tell a proxy from a client that adds the header.
const proxyAddress = '(([0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)(/[0-9]{1,3})?|loopback|linklocal|uniquelocal)'

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
  PGLITE_TEMPLATE: Type.Optional(Type.String({
    minLength: 1,
    description: 'Data-directory archive (PGlite dumpDataDir, .tar or .tar.gz) a new embedded database starts from, such as ' +
      'a migrated and seeded one; unset means the empty cluster made by npm run build (or initdb without one)'
  })),
  PGLITE_SHARED_BUFFERS_MB: Type.Integer({
    default: 16,
    minimum: 1,
    maximum: 1024,
    description: 'shared_buffers of the embedded PGlite, in MiB; it lives in the WASM heap, which never shrinks'
  }),
  DATABASE_POOL_SIZE: Type.Integer({ default: 10, minimum: 1, maximum: 100 }),
  DATABASE_CONNECT_TIMEOUT_MS: Type.Integer({
    default: 1000,
    minimum: 100,
    description: 'How long to wait for a PostgreSQL connection, new or from the pool, before answering 503'
  }),
  DATABASE_QUERY_TIMEOUT_MS: Type.Integer({
    default: 1000,
    minimum: 100,
    description: 'PostgreSQL\'s statement_timeout: how long the server works on one statement before cancelling it, and the request is answered 503'
  }),
  DATABASE_NETWORK_TIMEOUT_MS: Type.Integer({
    default: 1000,
    minimum: 100,
    description: 'How much longer than DATABASE_QUERY_TIMEOUT_MS a query may go without any answer, not counting time the event ' +
      'loop was blocked, before its connection is taken for dead, dropped, and the request answered 503'
  }),
  DATABASE_REPLICA_URLS: Type.String({
    default: '',
    pattern: '^(|postgres(ql)?://[^,\\s]+(,postgres(ql)?://[^,\\s]+)*)$',
    description: 'Comma-separated PostgreSQL hot standbys of DATABASE_URL that serve GET requests\' reads once they have ' +
      'replayed every change this process made or heard of; empty reads from the primary'
  }),
  DATABASE_PLAN_CACHE_MODE: Type.Enum(['force_generic_plan', 'auto', 'force_custom_plan'], {
    default: 'force_generic_plan',
    description: 'plan_cache_mode of the app\'s PostgreSQL sessions. Its statements are prepared once per connection; ' +
      'with auto, PostgreSQL planned the unit list again at every execution (bind 0.36–0.44 ms, where executing took ' +
      '0.16 ms) and a generic plan takes 0.10–0.13 ms'
  }),
  DATABASE_PREPARED_STATEMENTS: Type.Integer({
    default: 200,
    minimum: 0,
    maximum: 10_000,
    description: 'How many of Prisma\'s SQL statement shapes are prepared once per PostgreSQL connection instead of parsed and ' +
      'planned on every query; 0 turns prepared statements off (needed behind PgBouncer in transaction mode before 1.21)'
  }),
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
  }),
  SHUTDOWN_DRAIN_MS: Type.Integer({
    default: 3000,
    minimum: 0,
    maximum: 8000,
    description: 'On SIGTERM, how long /ready answers 503 while everything else is still served, before the server closes'
  }),
  METRICS_PUBLIC: Type.Boolean({
    default: false,
    description: 'Serve GET /metrics without an API key (for a scraper on a private network); otherwise it needs the admin scope'
  }),
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: Type.Integer({
    default: 1000,
    minimum: 0,
    description: 'Mean event-loop delay over a sample above which requests are refused with 503; 0 for no limit'
  }),
  PRESSURE_MAX_HEAP_USED_MB: Type.Optional(Type.Integer({
    minimum: 0,
    description: 'V8 heap in use above which requests are refused with 503, in MiB; unset means 90% of the heap limit, 0 no limit'
  })),
  PRESSURE_SAMPLE_INTERVAL_MS: Type.Integer({
    default: 500,
    minimum: 10,
    maximum: 60_000,
    description: 'How often event-loop delay and heap are sampled'
  }),
  RESPONSE_CACHE_MAX_MB: Type.Integer({
    default: 32,
    minimum: 0,
    description: 'Memory for serialized GET responses kept until the data changes, in MiB; 0 turns the cache off'
  }),
  BODY_LIMIT_BYTES: Type.Integer({
    default: 1_048_576,
    minimum: 1024,
    description: 'Largest request body accepted, in bytes; a larger one is refused with 413'
  }),
  IMPORT_BODY_LIMIT_BYTES: Type.Integer({
    default: 8_388_608,
    minimum: 1024,
    description: 'Largest body POST /v1/imports accepts (CSV or JSON), in bytes; a larger one is refused with 413'
  }),
  SOURCE_BODY_LIMIT_BYTES: Type.Integer({
    default: 4_194_304,
    minimum: 1024,
    description: 'Largest body POST /v1/sources accepts (a page\'s text or HTML), in bytes; a larger one is refused with 413'
  }),
  REQUEST_TIMEOUT_MS: Type.Integer({
    default: 30_000,
    minimum: 0,
    description: 'Time a client has to send a whole request (headers and body); 0 for no limit'
  }),
  KEEP_ALIVE_TIMEOUT_MS: Type.Integer({
    default: 72_000,
    minimum: 1000,
    description: 'How long an idle keep-alive connection stays open; longer than the load balancer\'s idle timeout'
  }),
  EVENT_STREAM_HEARTBEAT_MS: Type.Integer({
    default: 15_000,
    minimum: 10,
    description: 'How often an idle event stream (GET /v1/changes as text/event-stream) sends a heartbeat comment'
  }),
  EVENT_STREAM_BUFFER_LIMIT_BYTES: Type.Integer({
    default: 1_048_576,
    minimum: 1,
    description: 'How much an event stream lets wait for a slow client before it waits for it to catch up'
  }),
  EVENT_STREAM_STALL_MS: Type.Integer({
    default: 10_000,
    minimum: 0,
    description: 'How long an event stream waits for a slow client to catch up before it sends `resume` and ends'
  }),
  WEBHOOKS_SEND: Type.Boolean({
    default: true,
    description: 'Whether this instance sends webhook deliveries (any number may; each delivery is taken by one at a time)'
  }),
  WEBHOOK_ALLOW_ADDRESSES: Type.String({
    default: '',
    pattern: '^[A-Za-z0-9,]*$',
    description: 'Comma-separated address ranges webhook URLs may reach besides public ones (ipaddr.js names: loopback, ' +
      'private, linkLocal, uniqueLocal, carrierGradeNat…); empty refuses them all'
  }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 10, description: 'How long a webhook receiver has to answer a delivery' }),
  WEBHOOK_LEASE_MS: Type.Integer({
    default: 30_000,
    minimum: 100,
    description: 'How long a delivery being sent is kept from other senders; one whose sender died is sent again after it (more than WEBHOOK_TIMEOUT_MS)'
  }),
  WEBHOOK_CONCURRENCY: Type.Integer({ default: 8, minimum: 1, maximum: 100, description: 'How many deliveries one instance sends at once' }),
  WEBHOOK_RETRY_BASE_MS: Type.Integer({ default: 5_000, minimum: 1, description: 'The wait before a failed delivery\'s first retry; it doubles with each failure (with jitter)' }),
  WEBHOOK_RETRY_MAX_MS: Type.Integer({ default: 21_600_000, minimum: 1, description: 'The longest wait between two attempts (6 hours)' }),
  WEBHOOK_RETRY_WINDOW_MS: Type.Integer({ default: 86_400_000, minimum: 1, description: 'How long a delivery is retried before it is marked failed (24 hours)' }),
  WEBHOOK_DISABLE_AFTER_MS: Type.Integer({
    default: 432_000_000,
    minimum: 0,
    description: 'How long a subscription\'s deliveries may fail with no success before it is disabled (5 days)'
  }),
  HANDLER_TIMEOUT_MS: Type.Integer({
    default: 10_000,
    minimum: 0,
    description: 'Time a request may take from validation to response (cache hits aside) before it is answered with 503; 0 for no limit'
  }),
  TRUST_PROXY: Type.String({
    default: '',
    pattern: `^(|true|false|${proxyAddress}(\\s*,\\s*${proxyAddress})*)$`,
    description: 'Proxies whose X-Forwarded-* headers are believed: comma-separated addresses and CIDR ranges, or ' +
      '"true" for any; empty believes none'
  }),
  DOCS_ENABLED: Type.Boolean({
    default: true,
    description: 'Serve Swagger UI and the OpenAPI document under /docs'
  })
})

export type Config = Static<typeof ConfigSchema>

export class ConfigError extends OperatorError {
  override name = 'ConfigError'
}

/** Reads and validates the configuration; throws ConfigError with one readable line when it is wrong. */
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  let config: Config
  try {
    config = envSchema<Config>({ schema: ConfigSchema, data: env, env: false })
  } catch (error) {
    const message = error instanceof Error ? error.message.replaceAll('env/', '') : String(error)
    throw new ConfigError(`Invalid configuration: ${message}`)
  }
  if (config.WEBHOOK_LEASE_MS <= config.WEBHOOK_TIMEOUT_MS) {
    throw new ConfigError(`Invalid configuration: WEBHOOK_LEASE_MS (${config.WEBHOOK_LEASE_MS}) must be longer than WEBHOOK_TIMEOUT_MS ` +
      `(${config.WEBHOOK_TIMEOUT_MS}), or a delivery still being sent could be taken and sent again by another instance`)
  }
  const unknownRanges = config.WEBHOOK_ALLOW_ADDRESSES.split(',').filter((range) => range !== '' && !addressRanges.includes(range))
  if (unknownRanges.length > 0) {
    throw new ConfigError(`Invalid configuration: WEBHOOK_ALLOW_ADDRESSES names unknown address ranges (${unknownRanges.join(', ')}); ` +
      `known: ${addressRanges.join(', ')}`)
  }
  return config
}
