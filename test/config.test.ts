import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.ts'

t.test('defaults: embedded database under ./data, port 3000, migrate and seed on start', async (t) => {
  const config = loadConfig({})
  t.match(config, {
    HOST: 'localhost', PORT: 3000, LOG_LEVEL: 'info', PGLITE_DATA_DIR: './data/pglite',
    DATABASE_POOL_SIZE: 10, DATABASE_PREPARED_STATEMENTS: 200, MIGRATE_ON_START: true, SEED_ON_START: true
  })
  t.equal(config.DATABASE_URL, undefined)
})

t.test('defaults: 1 MiB bodies (8 MiB imports), timeouts, no trusted proxy, docs on', async (t) => {
  t.match(loadConfig({}), {
    BODY_LIMIT_BYTES: 1_048_576, IMPORT_BODY_LIMIT_BYTES: 8_388_608, REQUEST_TIMEOUT_MS: 30_000, KEEP_ALIVE_TIMEOUT_MS: 72_000, HANDLER_TIMEOUT_MS: 10_000,
    TRUST_PROXY: '', DOCS_ENABLED: true
  })
})

t.test('TRUST_PROXY takes "true", addresses, CIDR ranges and named ranges', async (t) => {
  for (const value of ['true', 'false', '10.0.0.1', '10.0.0.0/8, 192.168.1.1', '::1,fd00::/8', 'loopback,uniquelocal']) {
    t.equal(loadConfig({ TRUST_PROXY: value }).TRUST_PROXY, value, value)
  }
})

t.test('values are coerced from strings', async (t) => {
  const config = loadConfig({ PORT: '8080', SEED_ON_START: 'false', DATABASE_URL: 'postgresql://u@h:5432/d' })
  t.equal(config.PORT, 8080)
  t.equal(config.SEED_ON_START, false)
  t.equal(config.DATABASE_URL, 'postgresql://u@h:5432/d')
})

t.test('bad values give one readable ConfigError naming the variable', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /PORT must be integer/],
    [{ PORT: '70000' }, /PORT must be <= 65535/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ DATABASE_URL: 'mysql://localhost/db' }, /DATABASE_URL must match pattern/],
    [{ DATABASE_POOL_SIZE: '0' }, /DATABASE_POOL_SIZE must be >= 1/],
    [{ BODY_LIMIT_BYTES: '100' }, /BODY_LIMIT_BYTES must be >= 1024/],
    [{ REQUEST_TIMEOUT_MS: '-1' }, /REQUEST_TIMEOUT_MS must be >= 0/],
    [{ KEEP_ALIVE_TIMEOUT_MS: '0' }, /KEEP_ALIVE_TIMEOUT_MS must be >= 1000/],
    [{ HANDLER_TIMEOUT_MS: 'soon' }, /HANDLER_TIMEOUT_MS must be integer/],
    [{ TRUST_PROXY: '2' }, /TRUST_PROXY must match pattern/],
    [{ TRUST_PROXY: 'proxy.internal' }, /TRUST_PROXY must match pattern/],
    [{ TRUST_PROXY: '10.0.0.1,' }, /TRUST_PROXY must match pattern/],
    [{ DOCS_ENABLED: 'maybe' }, /DOCS_ENABLED must be boolean/]
  ]
  for (const [env, message] of cases) {
    const error = (() => { try { loadConfig(env); return null } catch (caught) { return caught } })()
    t.type(error, ConfigError, JSON.stringify(env))
    t.match((error as Error).message, /^Invalid configuration: /)
    t.match((error as Error).message, message)
    t.notMatch((error as Error).message, /\n/, 'one line')
  }
})
