import t from 'tap'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { buildTestApp } from '../../helper.ts'

// Regions (the hierarchy, its writes and what moving a region does), the hospital attributes and region filters,
// writable unit aliases, and the 301 a former slug answers. One app and database for the file.

type App = Awaited<ReturnType<typeof buildTestApp>>
type Json = Record<string, any>

const note = { note: 'Entered from the bureau\'s register of medical institutions' }

async function writerOf (app: App) {
  const key = await createApiKey(app.prisma, { name: 'Bureau editor', scopes: ['admin'] })
  return { authorization: `Bearer ${key.key}` }
}

t.test('regions, hospital attributes, filters, aliases and redirects', async (t) => {
  const app = await buildTestApp(t)
  const writer = await writerOf(app)
  const post = async (url: string, payload: object) => app.inject({ method: 'POST', url, headers: writer, payload })
  const patch = async (url: string, payload: object) => app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': '*' }, payload })
  const get = async (url: string) => app.inject(url)
  const slugs = async (url: string) => (await get(url)).json<{ data: Array<{ slug: string }> }>().data.map((item) => item.slug)

  await t.test('the seed puts its hospital in China → Chongqing, with the type its name states', async (t) => {
    t.same(await slugs('/v1/regions'), ['china', 'chongqing'])
    const chongqing = await get('/v1/regions/chongqing')
    t.equal(chongqing.statusCode, 200)
    t.ok(chongqing.headers.etag)
    t.match(chongqing.json(), {
      slug: 'chongqing', level: 'municipality', code: '500000', parent: { slug: 'china', level: 'country' },
      ancestors: [{ slug: 'china' }], children: [], hospitalCount: 1, links: { hospitals: '/v1/hospitals?region=chongqing' }
    })
    t.equal((await get('/v1/regions/china')).json<Json>().hospitalCount, 1, 'a region counts the hospitals below it')
    const hospital = (await get('/v1/hospitals/cqhcwc')).json<Json>()
    t.same(hospital.region, { slug: 'chongqing', name: 'Chongqing', level: 'municipality' })
    t.same([hospital.grade, hospital.type, hospital.ownership], [null, 'maternal_child_health', null], 'grade and ownership are not stated')
    t.same(await slugs('/v1/regions?level=country'), ['china'])
    t.same(await slugs('/v1/regions?parent=china'), ['chongqing'])
    t.equal((await get('/v1/regions/nowhere')).statusCode, 404)
    t.match((await get('/v1/regions?level=planet')).json(), { status: 400 })
  })

  await t.test('levels must nest: a country has no parent, every other region a higher one', async (t) => {
    const refusals: Array<[object, string]> = [
      [{ slug: 'x-country', name: 'X', level: 'country', parent: 'china' }, '/parent'],
      [{ slug: 'x-province', name: 'X', level: 'province' }, '/parent'],
      [{ slug: 'x-district', name: 'X', level: 'district', parent: 'china' }, '/parent'],
      [{ slug: 'x-province', name: 'X', level: 'province', parent: 'nowhere' }, '/parent']
    ]
    for (const [body, field] of refusals) {
      const refused = await post('/v1/regions', body)
      t.equal(refused.statusCode, 422, refused.body)
      t.match(refused.headers['content-type'], /^application\/problem\+json/)
      t.equal(refused.json<Json>().errors[0].field, field)
    }
    t.equal((await post('/v1/regions', { slug: 'chongqing', name: 'Again', level: 'municipality', parent: 'china' })).statusCode, 409)
    t.equal((await patch('/v1/regions/chongqing', { level: 'country' })).statusCode, 422, 'a country cannot have a parent')
  })

  await t.test('moving a region moves everything below it, hospitals included', async (t) => {
    for (const body of [
      { slug: 'province-a', name: 'Province A', level: 'province', parent: 'china' },
      { slug: 'province-b', name: 'Province B', level: 'province', parent: 'china' },
      { slug: 'prefecture-p', name: 'Prefecture P', level: 'prefecture', parent: 'province-a' },
      { slug: 'district-d', name: 'District D', level: 'district', parent: 'prefecture-p' }
    ]) t.equal((await post('/v1/regions', body)).statusCode, 201)
    const created = await post('/v1/hospitals', {
      slug: 'district-hospital', name: 'District General Hospital', city: 'P', province: 'Province A', country: 'CN',
      region: 'district-d', grade: 'secondary_a', type: 'general', ownership: 'private', provenance: note
    })
    t.equal(created.statusCode, 201, created.body)
    t.match(created.json(), { region: { slug: 'district-d', level: 'district' }, grade: 'secondary_a', type: 'general', ownership: 'private' })
    t.same(await slugs('/v1/hospitals?region=province-a'), ['district-hospital'])
    t.same(await slugs('/v1/hospitals?region=china'), ['cqhcwc', 'district-hospital'])
    t.same(await slugs('/v1/hospitals?grade=secondary_a'), ['district-hospital'])
    t.same(await slugs('/v1/hospitals?type=maternal_child_health'), ['cqhcwc'])
    t.same(await slugs('/v1/hospitals?region=chongqing&type=general'), [])

    const moved = await patch('/v1/regions/prefecture-p', { parent: 'province-b' })
    t.equal(moved.statusCode, 200, moved.body)
    t.same(await slugs('/v1/hospitals?region=province-a'), [], 'gone from the old province')
    t.same(await slugs('/v1/hospitals?region=province-b'), ['district-hospital'], 'found under the new one')
    t.match((await get('/v1/regions/district-d')).json(), { ancestors: [{ slug: 'china' }, { slug: 'province-b' }, { slug: 'prefecture-p' }] })
    t.same([(await get('/v1/regions/province-a')).json<Json>().hospitalCount, (await get('/v1/regions/province-b')).json<Json>().hospitalCount], [0, 1])
    t.equal((await patch('/v1/regions/province-b', { level: 'municipality' })).statusCode, 422, 'a municipality cannot hold a prefecture')

    const busy = await app.inject({ method: 'DELETE', url: '/v1/regions/district-d', headers: { ...writer, 'if-match': '*' } })
    t.equal(busy.statusCode, 409)
    t.match(busy.json(), { detail: /1 hospital/ })
    t.equal((await app.inject({ url: '/v1/regions/district-d/history', headers: writer })).json<Json>().data.length, 1)
  })

  await t.test('the region filter of units and figures includes the regions below', async (t) => {
    const units = await slugs('/v1/departments?region=china&limit=100')
    t.same(units, await slugs('/v1/departments?hospital=cqhcwc&limit=100'))
    t.ok(units.length > 0)
    t.same(await slugs('/v1/departments?region=province-b'), [])
    const figures = (url: string) => get(url).then((response) => response.json<{ data: Array<{ id: string }> }>().data.map((item) => item.id))
    t.same(await figures('/v1/metrics?region=chongqing&limit=100'), await figures('/v1/metrics?hospital=cqhcwc&limit=100'))
    t.same(await figures('/v1/metrics?region=nowhere'), [], 'a region that does not exist holds nothing')
  })

  await t.test('unit aliases are written like every resource, and answer 301 under /v1/departments', async (t) => {
    const created = await post('/v1/department-aliases', { department: 'general-gynecology', slug: 'gynaecology', name: 'Gynaecology', provenance: note })
    t.equal(created.statusCode, 201, created.body)
    t.equal(created.headers.location, '/v1/department-aliases/gynaecology')
    t.match(created.json(), { department: { slug: 'general-gynecology' }, hospital: { slug: 'cqhcwc' }, source: { quote: note.note }, version: 1 })
    const read = await get('/v1/department-aliases/gynaecology')
    t.equal(read.headers.etag, created.headers.etag)
    const redirect = await get('/v1/departments/gynaecology/metrics?sort=value&limit=5')
    t.equal(redirect.statusCode, 301)
    t.equal(redirect.headers.location, '/v1/departments/general-gynecology/metrics?sort=value&limit=5', 'query string kept')
    t.equal((await post('/v1/department-aliases', { department: 'general-gynecology', slug: 'twins-department', name: 'X', provenance: note })).statusCode, 409,
      'a unit\'s own slug cannot be an alias')
    t.equal((await patch('/v1/department-aliases/gynaecology', { name: 'Gynaecology Department', provenance: note })).json<Json>().version, 2)
    t.equal((await app.inject({ method: 'DELETE', url: '/v1/department-aliases/gynaecology', headers: { ...writer, 'if-match': '*' } })).statusCode, 204)
    t.equal((await get('/v1/departments/gynaecology')).statusCode, 404)
  })

  await t.test('a renamed unit or hospital keeps its old slug: 301 to the new URL', async (t) => {
    const renamed = await patch('/v1/departments/twins-department', { slug: 'twin-pregnancy-department', provenance: note })
    t.equal(renamed.statusCode, 200, renamed.body)
    const aliasSlugs = (body: Json) => (body.aliases as Array<{ slug: string }>).map((alias) => alias.slug)
    t.equal(renamed.json<Json>().slug, 'twin-pregnancy-department')
    t.same(aliasSlugs(renamed.json()), ['obstetrics-second-department', 'twins-department'], 'the old slug is an alias now')
    for (const [from, to] of <Array<[string, string]>>[
      ['/v1/departments/twins-department', '/v1/departments/twin-pregnancy-department'],
      ['/v1/departments/twins-department?include=honors', '/v1/departments/twin-pregnancy-department?include=honors'],
      ['/v1/departments/twins-department/metrics?format=csv', '/v1/departments/twin-pregnancy-department/metrics?format=csv'],
      ['/v1/departments/twins-department/history', '/v1/departments/twin-pregnancy-department/history']
    ]) {
      const answer = await app.inject({ url: from, headers: writer })
      t.equal(answer.statusCode, 301, from)
      t.equal(answer.headers.location, to)
    }
    t.equal((await patch('/v1/departments/twins-department', { name: 'X', provenance: note })).statusCode, 404, 'writes do not follow an alias')
    const back = await patch('/v1/departments/twin-pregnancy-department', { slug: 'twins-department', provenance: note })
    t.equal(back.statusCode, 200, 'a unit may take back its former slug')
    t.equal(back.json<Json>().slug, 'twins-department')
    t.same(aliasSlugs(back.json()), ['obstetrics-second-department', 'twin-pregnancy-department'])
    t.equal((await patch('/v1/departments/general-gynecology', { slug: 'obstetrics-second-department', provenance: note })).statusCode, 409,
      'another unit\'s alias is taken')

    const hospital = await patch('/v1/hospitals/district-hospital', { slug: 'district-general-hospital', provenance: note })
    t.equal(hospital.statusCode, 200, hospital.body)
    t.match(hospital.json(), { slug: 'district-general-hospital', aliases: [{ slug: 'district-hospital', name: 'District General Hospital' }] })
    for (const suffix of ['', '/tree', '/history?limit=5']) {
      const answer = await app.inject({ url: `/v1/hospitals/district-hospital${suffix}`, headers: writer })
      t.equal(answer.statusCode, 301, suffix)
      t.equal(answer.headers.location, `/v1/hospitals/district-general-hospital${suffix}`)
    }
    t.equal((await get('/v1/hospitals/no-such-hospital/tree')).statusCode, 404)
    t.equal((await post('/v1/hospitals', {
      slug: 'district-hospital', name: 'Another', city: 'P', province: 'P', country: 'CN', provenance: note
    })).statusCode, 409, 'a former slug is taken')
  })
})
