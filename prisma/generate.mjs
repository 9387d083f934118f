// Runs `prisma generate` on machines where Prisma cannot download its native schema engine: generate never
// executes that binary, it only needs the path to exist, so any existing file will do.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const configured = process.env.PRISMA_SCHEMA_ENGINE_BINARY
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: configured !== undefined && existsSync(configured) ? configured : process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1'
}
const result = spawnSync('prisma', ['generate', ...process.argv.slice(2)], { stdio: 'inherit', env, shell: true })
process.exit(result.status ?? 1)
