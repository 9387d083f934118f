import t from 'tap'
import { generateKey, grants, hashKey, keyMatches, parseScopes, prefixOf } from '../../src/lib/api-keys.ts'

t.test('a new key: public prefix, random secret, only the hash kept', async (t) => {
  const first = generateKey()
  const second = generateKey()
  t.match(first.key, /^hda_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
  t.ok(first.key.startsWith(`${first.prefix}_`))
  t.not(first.key, second.key)
  t.not(first.prefix, second.prefix)
  t.equal(first.secretHash, hashKey(first.key))
  t.match(first.secretHash, /^[0-9a-f]{64}$/)
  t.notOk(first.secretHash.includes(first.key.slice(first.prefix.length + 1)), 'the hash does not contain the secret')
})

t.test('checking a presented key', async (t) => {
  const { key, prefix, secretHash } = generateKey()
  t.equal(prefixOf(key), prefix)
  t.ok(keyMatches(key, secretHash))
  const forged = `${prefix}_${'A'.repeat(43)}`
  t.equal(prefixOf(forged), prefix, 'a forged key finds the row by its prefix')
  t.notOk(keyMatches(forged, secretHash), 'but does not match its hash')
  for (const malformed of ['', 'hda_', key.slice(0, -1), `${key}x`, key.toUpperCase(), `Bearer ${key}`, prefix]) {
    t.equal(prefixOf(malformed), null, JSON.stringify(malformed))
  }
})

t.test('scopes: write includes read, admin includes both', async (t) => {
  t.ok(grants(['read'], 'read'))
  t.notOk(grants(['read'], 'write'))
  t.ok(grants(['write'], 'read'))
  t.notOk(grants(['write'], 'admin'))
  t.ok(grants(['admin'], 'write'))
  t.ok(grants(['read', 'admin'], 'admin'))
  t.notOk(grants([], 'read'))
  t.same(parseScopes('read, write,read'), ['read', 'write'])
  t.throws(() => parseScopes(''), /no scope given/)
  t.throws(() => parseScopes('read,owner'), /unknown scope owner/)
})
