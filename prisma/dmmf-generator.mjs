// A Prisma generator that writes Prisma's own data model (DMMF) to JSON. The drift test compares the migrated
// database against it, so the comparison uses Prisma's reading of schema.prisma, not a second parser.
import { writeFile, mkdir } from 'node:fs/promises'
import path from 'node:path'
import generatorHelper from '@prisma/generator-helper'

generatorHelper.generatorHandler({
  onManifest: () => ({ prettyName: 'Data model JSON', defaultOutput: '../src/generated/dmmf.json' }),
  onGenerate: async (options) => {
    const output = options.generator.output?.value
    if (!output) throw new Error('dmmf generator: no output path')
    await mkdir(path.dirname(output), { recursive: true })
    await writeFile(output, JSON.stringify(options.dmmf.datamodel, null, 2) + '\n')
  }
})
