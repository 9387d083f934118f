import { readdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { encodedAsset, readAssetDirectory, type AssetDirectory } from '../lib/static-assets.ts'
import { ProblemError } from '../lib/problem.ts'
import { documentHelmetOptions, securityHeaders } from '../plugins/external/helmet.ts'
import { problemResponse } from '../schemas/common.ts'

// The dashboard: one page for bureau and hospital staff, drawn in the browser from the API's own JSON by the plain ES
// modules of src/dashboard/ (which the build copies to dist/) with Apache ECharts, served from node_modules: nothing
// comes from another server. Public, like /docs, and left out of the API document: a page and its files, not API
// resources (docs/dashboard.md).

const here = path.dirname(fileURLToPath(import.meta.url))
const pageDirectory = path.join(here, '..', 'dashboard')
const echartsFile = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js')
const assetPrefix = '/dashboard/assets'

// The page's scripts, styles and icon come from this server and its data from the API here; no inline script or
// style, no plugin, no framing, no other origin. ECharts sets element styles through the CSSOM, which style-src does
// not govern.
const pageHeaders = {
  ...securityHeaders(documentHelmetOptions).set,
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  // Revalidated every time (the ETag makes that a 304), so that it always names the current asset URLs.
  'cache-control': 'no-cache'
}
const assetCacheControl = 'public, max-age=31536000, immutable'

interface Dashboard { html: string, directories: Map<string, AssetDirectory> }

/** Read on the first request, not at start-up: most apps (and every test but one) never serve the page. */
let loaded: Promise<Dashboard> | undefined

async function load (): Promise<Dashboard> {
  // Every script, style sheet and image beside the page's HTML.
  const pageFiles = (await readdir(pageDirectory)).filter((file) => /\.(js|css|svg)$/.test(file))
  const page = await readAssetDirectory(assetPrefix, Object.fromEntries(pageFiles.map((file) => [file, path.join(pageDirectory, file)])))
  const echarts = await readAssetDirectory(assetPrefix, { 'echarts.min.js': echartsFile })
  const template = await readFile(path.join(pageDirectory, 'dashboard.html'), 'utf8')
  const html = template.replace(/\{\{(echarts|page):([\w.]+)\}\}/g, (_match, directory: string, file: string) =>
    (directory === 'echarts' ? echarts : page).url(file))
  return { html, directories: new Map([[page.digest, page], [echarts.digest, echarts]]) }
}

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  const config = { scope: 'public' as const }

  fastify.get('/dashboard', {
    config,
    schema: { hide: true, response: { 200: { description: 'The dashboard page', content: { 'text/html': { schema: Type.String() } } } } }
  }, async (_request, reply) => {
    loaded ??= load()
    const { html } = await loaded
    return reply.headers(pageHeaders).type('text/html; charset=utf-8').send(html)
  })

  fastify.get('/dashboard/assets/:digest/:file', {
    config,
    schema: {
      hide: true,
      params: Type.Object({ digest: Type.String({ maxLength: 64 }), file: Type.String({ maxLength: 64 }) }),
      response: {
        200: { description: 'A script, style sheet or icon of the page, as bytes', content: { '*/*': { schema: Type.Unsafe<Buffer>({}) } } },
        404: problemResponse('No such file, or not in this version of the page')
      }
    }
  }, async (request, reply) => {
    loaded ??= load()
    const { digest, file } = request.params
    const asset = (await loaded).directories.get(digest)?.files.get(file)
    if (asset === undefined) {
      throw new ProblemError('notFound', `The dashboard has no file ${file} in version ${digest}; load /dashboard again for the current one.`)
    }
    const { body, coding } = await encodedAsset(asset, request.headers['accept-encoding'])
    reply.type(asset.type).header('cache-control', assetCacheControl).header('etag', asset.etag).header('vary', 'accept-encoding')
    if (coding !== null) reply.header('content-encoding', coding)
    return reply.send(body)
  })
}

export default plugin
