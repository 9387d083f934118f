// Language: extraction reads English and says so of a page it cannot read; a short foreign fragment changes nothing.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { extract, rulesVersion } from '../../../../src/plugins/app/intake/extraction/extract.ts'
import { fixtureDirectory, inputFor, seedInput } from './inputs.ts'

t.test('a Chinese page: unreadable, no candidates, a message saying why', async (t) => {
  const result = extract(inputFor(readFileSync(join(fixtureDirectory, 'chinese-department.txt'), 'utf8'), { statedOn: '2021-03-03' }))
  t.same(result, { language: 'zh', readable: false, message: 'Extraction reads English; this text is Chinese (zh)', rulesVersion, candidates: [] })
})

t.test('other scripts are named by theirs', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['産婦人科は１９８５年に設立されました。ベッド数は８８床です。', 'ja', 'Japanese'],
    ['산부인과는 1985년에 설립되었습니다. 병상은 88개입니다.', 'ko', 'Korean'],
    ['Отделение было основано в 1985 году и имеет 88 коек.', 'ru', 'Cyrillic-script'],
  ]
  for (const [text, language, name] of cases) {
    const result = extract(inputFor(text))
    t.same([result.language, result.readable, result.message, result.candidates], [language, false, `Extraction reads English; this text is ${name} (${language})`, []], language)
  }
})

t.test('an English page with an image file name in Chinese is English', async (t) => {
  const input = seedInput('001_57199530afde975d.txt')
  t.match(input.text, /妇幼 双胎\.jpg/)
  const result = extract(input)
  t.same([result.language, result.readable, result.message], ['en', true, null])
  t.ok(result.candidates.length > 0)
})

t.test('a text with no letters at all is not read', async (t) => {
  t.same(extract(inputFor('023-60354000 | 401147')).readable, false)
})
