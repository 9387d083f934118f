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
