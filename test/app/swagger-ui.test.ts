import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'
import t from 'tap'
import { buildTestApp } from '../helper.ts'

// Swagger UI under /docs in a real browser, as a reader uses it: Debian's chromium (apt package `chromium`), driven by
// playwright-core, against the app listening on a port. One browser start for the whole file. Without chromium the
// file is skipped, saying so; CI installs it.

const executablePath = '/usr/bin/chromium'
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

if (!existsSync(executablePath)) {
  t.plan(0, `no chromium at ${executablePath} (apt-get install chromium): Swagger UI is not tested in a browser`)
} else {
  t.test('Swagger UI: "Try it out" turns on, "Execute" answers 200 from this server, and a 404 shows a 404', async (t) => {
    const app = await buildTestApp(t)
    const origin = await app.listen({ host: '127.0.0.1', port: 0 })
    const userDataDir = await mkdtemp(path.join(tmpdir(), 'swagger-ui-chromium-'))
    const browser = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: chromiumArgs })
    t.after(async () => {
      await browser.close()
      await rm(userDataDir, { recursive: true, force: true })
    })
    // Swagger UI resolves an operation's part of the document when it is expanded: seconds on a busy machine.
    browser.setDefaultTimeout(90_000)
    const page = browser.pages()[0] ?? await browser.newPage()
    const errors: string[] = []
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()) })
    page.on('pageerror', (error) => { errors.push(error.message) })
    const apiRequests: string[] = []
    page.on('request', (request) => { if (new URL(request.url()).pathname.startsWith('/v1/')) apiRequests.push(request.url()) })

    await page.goto(`${origin}/docs/`)
    const list = page.locator('#operations-departments-listDepartments')
    await list.locator('.opblock-summary').first().click()
    const tryItOut = list.locator('button.try-out__btn')
    t.equal((await tryItOut.textContent())?.trim(), 'Try it out', 'the operation opens with "Try it out" off')
    t.equal(await list.locator('button.execute').count(), 0, 'so there is nothing to execute yet')
    await tryItOut.click()
    t.equal((await tryItOut.textContent())?.trim(), 'Cancel', 'pressing "Try it out" turns it on')
    await list.locator('button.execute').click()
    const status = list.locator('.live-responses-table .response .response-col_status').first()
    await status.waitFor()
    t.equal((await status.textContent())?.trim(), '200', '"Execute" shows the 200 answer')
    t.match(await list.locator('.live-responses-table .response .response-col_description').first().innerText(),
      /"data": \[[\s\S]*"slug": "[a-z-]+"[\s\S]*"page": \{/, 'and a page of departments as its body')
    t.same(apiRequests.map((url) => new URL(url).origin), [origin], 'the request went to the server that serves the docs')

    // The 404 is a reference to components/responses/NotFound that gives its own description: Swagger UI shows both.
    const served = await (await fetch(`${origin}/docs/json`)).json() as { paths: Record<string, { get: { responses: Record<string, unknown> } }> }
    t.same(served.paths['/v1/departments/{slug}']?.get.responses['404'],
      { $ref: '#/components/responses/NotFound', description: 'No unit or alias has this slug' }, 'the document refers the 404 to its component')
    const detail = page.locator('#operations-departments-getDepartment')
    await detail.locator('.opblock-summary').first().click()
    const notFound = detail.locator('tr.response[data-code="404"]')
    await notFound.waitFor()
    const shown = await notFound.innerText()
    t.match(shown, 'No unit or alias has this slug', 'the 404 keeps the operation\'s own description')
    t.notMatch(shown, 'A problem of status 404', 'not its component\'s')
    t.match(shown, '"status": 404', 'its example is a 404')
    t.match(shown, '"type": "/problems/not-found"', 'of the not-found problem type')
    for (const row of await detail.locator('tr.response').all()) {
      const code = Number(await row.getAttribute('data-code'))
      if (code < 400) continue
      t.match(await row.locator('.example').first().innerText(), `"status": ${code}`, `the ${code} response's example is a ${code}`)
    }

    t.same(errors, [], 'no error in the page, and nothing refused by its Content-Security-Policy')
  })
}
