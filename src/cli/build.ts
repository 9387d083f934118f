import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import { clusterTemplateFile, pgliteStartParams, seededTemplateFile, writeClusterTemplate, writeSeededTemplate } from '../db/pglite-cluster.ts'
import { migrate } from '../db/migrate.ts'
import { seedIfEmpty } from '../db/seed.ts'
import { pgliteSession } from '../db/sql-session.ts'
import { PrismaClient } from '../generated/prisma/client.ts'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { exitWithError, OperatorError } from '../lib/fatal.ts'
import { packageRoot } from '../paths.ts'

// `npm run build` (and so `npm start`): compiles src/ and seed/ to dist/, copies the dashboard's page (src/dashboard/:
// HTML, plain ES modules and CSS, served as they are) beside the compiled code, and makes the empty PGlite cluster new
// embedded data directories start from (src/db/pglite-cluster.ts), both at once. TypeScript only emits here
// (--noCheck: about 40% of a checked build's time); `npm run typecheck` checks, and CI runs it. When nothing that
// goes into dist/ changed since the last build (a digest of the sources, the compiler settings and the lockfile,
// kept in dist/build.json), nothing is compiled again, so a second `npm start` starts at once.

const buildInfoFile = path.join(packageRoot, 'dist', 'build.json')

/** Sources that do not compile to code Node can run: the message says where. */
class BuildError extends OperatorError {
  override name = 'BuildError'
}

async function filesUnder (directory: string): Promise<string[]> {
  const entries = await readdir(path.join(packageRoot, directory), { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name))
}

/** A digest of everything the compiled output depends on. */
async function sourceDigest (): Promise<string> {
  const files = [
    ...await filesUnder('src'),
    ...await filesUnder('seed'),
    ...['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((file) => path.join(packageRoot, file))
  ].sort()
  const hash = createHash('sha256')
  for (const file of files) hash.update(path.relative(packageRoot, file)).update('\0').update(await readFile(file)).update('\0')
  return hash.digest('hex')
}

/** The dashboard's files, which are not TypeScript: copied to where the compiled route looks for them. */
async function copyDashboard (): Promise<void> {
  const target = path.join(packageRoot, 'dist', 'src', 'dashboard')
  await rm(target, { recursive: true, force: true })
  await cp(path.join(packageRoot, 'src', 'dashboard'), target, { recursive: true })
}

async function compile (): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: packageRoot })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string, stderr?: string }
    throw new BuildError(`TypeScript could not compile the sources:\n${(stdout ?? '') + (stderr ?? '')}`.trimEnd(), { cause: error })
  }
}

/**
 * Relative imports of .ts files left in the output. TypeScript rewrites `./x.ts` to `./x.js` (rewriteRelativeImportExtensions),
 * but not in a dynamic import() inside an arrow function (TypeScript 5.9); the sources run under tsx either way, so only
 * the compiled server would fail, at the first such import.
 */
async function unrewrittenImports (): Promise<string[]> {
  const found: string[] = []
  for (const file of await filesUnder('dist')) {
    if (!file.endsWith('.js')) continue
    const code = await readFile(file, 'utf8')
    for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)(['"])(\.{1,2}\/[^'"]+\.ts)\1/g)) {
      found.push(`${path.relative(packageRoot, file)}: ${match[2]}`)
    }
  }
  return found
}

async function main (): Promise<void> {
  const started = performance.now()
  const digest = await sourceDigest()
  let built: { digest?: string } = {}
  try {
    built = JSON.parse(await readFile(buildInfoFile, 'utf8')) as { digest?: string }
  } catch {}
  const upToDate = built.digest === digest && existsSync(path.join(packageRoot, 'dist', 'src', 'server.js'))
  if (!upToDate) await rm(buildInfoFile, { force: true })
  const [, template] = await Promise.all([
    upToDate ? undefined : compile().then(copyDashboard),
    writeClusterTemplate(pgliteStartParams(16))
  ])
  if (!upToDate) {
    const unrewritten = await unrewrittenImports()
    if (unrewritten.length > 0) {
      throw new BuildError(`the compiled code imports TypeScript files, which Node cannot run (write the import as a static ` +
        `import, or the dynamic one inside a function declaration):\n  ${unrewritten.join('\n  ')}`)
    }
    await mkdir(path.dirname(buildInfoFile), { recursive: true })
    await writeFile(buildInfoFile, `${JSON.stringify({ digest, builtAt: new Date().toISOString() })}\n`)
  }
  // The database a first `npm start` would make (migrated and seeded by the code just built), made here so that the
  // server only copies it.
  const seeded = await writeSeededTemplate(pgliteStartParams(16), digest, async (db) => {
    await migrate(pgliteSession(db))
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) })
    try {
      await seedIfEmpty(prisma)
    } finally {
      await prisma.$disconnect()
    }
  })
  const ms = Math.round(performance.now() - started)
  process.stderr.write(`build: dist/ ${upToDate ? 'up to date' : 'compiled'}, PGlite templates ` +
    `${path.relative(packageRoot, clusterTemplateFile)} ${template} and ${path.relative(packageRoot, seededTemplateFile)} ${seeded}, in ${ms} ms\n`)
}

main().catch((error: unknown) => exitWithError('build', error))
