import { clusterTemplateFile, pgliteStartParams, writeClusterTemplate } from '../db/pglite-cluster.ts'
import { exitWithError } from '../lib/fatal.ts'

// Part of `npm run build`: makes the empty PGlite cluster that new embedded data directories start from (see
// src/db/pglite-cluster.ts). Shared buffers are a start parameter, not part of the cluster, so any value does here.
async function main (): Promise<void> {
  const started = performance.now()
  const outcome = await writeClusterTemplate(pgliteStartParams(16))
  process.stdout.write(`PGlite cluster template ${clusterTemplateFile}: ${outcome}` +
    `${outcome === 'written' ? ` in ${Math.round(performance.now() - started)} ms` : ''}\n`)
}

main().catch((error: unknown) => exitWithError('pglite-template', error))
