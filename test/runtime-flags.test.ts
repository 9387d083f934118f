import { readFile } from 'node:fs/promises'
import t from 'tap'
import { serverEnvironment, serverNodeArguments } from '../bench/app-setup.ts'

// The bench measures the server as production starts it: package.json's start script, the Dockerfile and the bench
// give Node the same heap flags and the same malloc setting.

const root = new URL('../', import.meta.url)

t.test('package.json, the Dockerfile and the bench start the server alike', async (t) => {
  const packageJson = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as { scripts: { start: string } }
  const dockerfile = await readFile(new URL('Dockerfile', root), 'utf8')
  const environment = Object.entries(serverEnvironment).map(([name, value]) => `${name}=${value}`)
  t.ok(serverNodeArguments.length > 0)
  t.match(packageJson.scripts.start, `${environment.join(' ')} node ${serverNodeArguments.join(' ')} dist/src/server.js`)
  t.match(dockerfile, `CMD ${JSON.stringify(['node', ...serverNodeArguments, 'dist/src/server.js']).replace(/","/g, '", "')}`)
  for (const setting of environment) t.match(dockerfile, new RegExp(`^\\s+${setting} \\\\$`, 'm'), `the runtime image sets ${setting}`)
})

t.test('every stage of the Dockerfile runs the one Node.js release that CI also tests', async (t) => {
  const dockerfile = await readFile(new URL('Dockerfile', root), 'utf8')
  // .ci/run reads this line to fetch the same release and run the suite on it.
  const pinned = /^ARG NODE_VERSION=(\d+)\.\d+\.\d+$/m.exec(dockerfile)
  t.ok(pinned, 'ARG NODE_VERSION names an exact release')
  t.equal(Number(pinned?.[1]) % 2, 0, 'a long-term-support line (even major)')
  t.ok(Number(pinned?.[1]) > 20, 'not Node 20, whose support ended on 2026-04-30')
  const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1])
  t.equal(stages.length, 3)
  for (const image of stages) t.equal(image, 'node:${NODE_VERSION}-bookworm-slim')
})
