import { pgliteTemplate, postgresTemplate, prunePgliteTemplates } from './database-templates.ts'

// Run by tap once before the test files (package.json, tap.before): makes the database templates every test database
// is copied from (test/database-templates.ts), so that parallel test files do not each make them at once.
const started = performance.now()
const serverUrl = process.env.TEST_DATABASE_URL
if (serverUrl === undefined) {
  await prunePgliteTemplates()
  await pgliteTemplate('empty')
  await pgliteTemplate('seeded')
} else {
  await postgresTemplate(serverUrl)
}
console.log(`# database templates ready in ${Math.round(performance.now() - started)} ms`)
