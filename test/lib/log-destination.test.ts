import { execFile } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { promisify } from 'node:util'
import { pino } from 'pino'
import t, { type Test } from 'tap'
import { BatchedLogDestination } from '../../src/lib/log-destination.ts'

const run = promisify(execFile)
const moduleUrl = new URL('../../src/lib/log-destination.ts', import.meta.url).href

function logFile (t: Test): { file: string, fd: number } {
  const file = path.join(t.testdir(), 'log.ndjson')
  const fd = openSync(file, 'a')
  t.teardown(() => { closeSync(fd) })
  return { file, fd }
}

/** Waits until the file holds `count` lines (sonic-boom writes asynchronously), at most about a second. */
async function lines (file: string, count: number): Promise<string[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '')
    if (found.length >= count) return found
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '')
}

t.test('the lines of one turn of the event loop are written together, in order, after the turn', async (t) => {
  const { file, fd } = logFile(t)
  const destination = new BatchedLogDestination(fd)
  destination.write('one\n')
  destination.write('two\n')
  destination.write('three\n')
  t.equal(readFileSync(file, 'utf8'), '', 'nothing is written during the turn')
  await nextTurn()
  t.same(await lines(file, 3), ['one', 'two', 'three'])
  destination.write('four\n')
  await nextTurn()
  t.same(await lines(file, 4), ['one', 'two', 'three', 'four'], 'a later turn is written too')
  destination.flushSync()
})

t.test('flushSync writes the waiting lines before it returns', async (t) => {
  const { file, fd } = logFile(t)
  const destination = new BatchedLogDestination(fd)
  destination.write('waiting\n')
  destination.flushSync()
  t.equal(readFileSync(file, 'utf8'), 'waiting\n')
  destination.flushSync()
  t.equal(readFileSync(file, 'utf8'), 'waiting\n', 'nothing is written twice')
})

t.test('flush calls back once the waiting lines are handed over', async (t) => {
  const { file, fd } = logFile(t)
  const destination = new BatchedLogDestination(fd)
  destination.write('flushed\n')
  await new Promise<void>((resolve, reject) => { destination.flush((error) => { error === undefined ? resolve() : reject(error) }) })
  t.same(await lines(file, 1), ['flushed'])
})

t.test('pino writes its JSON lines through it', async (t) => {
  const { file, fd } = logFile(t)
  const destination = new BatchedLogDestination(fd)
  const logger = pino({ base: null }, destination)
  logger.info({ route: '/v1/departments' }, 'request completed')
  logger.warn('second')
  await nextTurn()
  const written = (await lines(file, 2)).map((line) => JSON.parse(line) as Record<string, unknown>)
  t.match(written, [{ level: 30, route: '/v1/departments', msg: 'request completed' }, { level: 40, msg: 'second' }])
  destination.flushSync()
})

t.test('a line logged just before process.exit is not lost', async (t) => {
  // What close-with-grace does after the last line ("closed"), and what a fatal error does.
  const script = `
    const { BatchedLogDestination } = await import(${JSON.stringify(moduleUrl)})
    const destination = new BatchedLogDestination(1)
    destination.write('first\\n')
    await new Promise((resolve) => setImmediate(resolve))
    destination.write('last\\n')
    process.exit(0)
  `
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script])
  t.equal(stdout, 'first\nlast\n')
})
