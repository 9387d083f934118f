import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// The same code runs from src/ (tsx) and from dist/src/ (compiled), so files that ship beside the code
// (migrations, seed documents) are found from the package root rather than from this file.
function findPackageRoot (start: string): string {
  let directory = start
  while (!existsSync(path.join(directory, 'package.json'))) {
    const parent = path.dirname(directory)
    if (parent === directory) throw new Error(`No package.json above ${start}`)
    directory = parent
  }
  return directory
}

export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)))
export const migrationsDirectory = path.join(packageRoot, 'prisma', 'migrations')
export const seedDocumentsDirectory = path.join(packageRoot, 'seed', 'documents')
