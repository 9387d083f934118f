// Which language a text is in, told by the scripts its letters are written in. Extraction reads English: a page mostly
// in another script is reported unreadable rather than mined for numbers it cannot attribute. A short foreign fragment
// (an image file name on an English page) changes little of the share, so the page stays readable.

export interface DetectedLanguage {
  language: string
  readable: boolean
  message: string | null
}

const scripts: Array<{ language: string, name: string, pattern: RegExp }> = [
  { language: 'ja', name: 'Japanese', pattern: /[\p{Script=Hiragana}\p{Script=Katakana}]/u },
  { language: 'zh', name: 'Chinese', pattern: /\p{Script=Han}/u },
  { language: 'ko', name: 'Korean', pattern: /\p{Script=Hangul}/u },
  { language: 'ru', name: 'Cyrillic-script', pattern: /\p{Script=Cyrillic}/u },
  { language: 'ar', name: 'Arabic', pattern: /\p{Script=Arabic}/u },
  { language: 'he', name: 'Hebrew', pattern: /\p{Script=Hebrew}/u },
  { language: 'th', name: 'Thai', pattern: /\p{Script=Thai}/u },
  { language: 'hi', name: 'Devanagari-script', pattern: /\p{Script=Devanagari}/u },
  { language: 'el', name: 'Greek', pattern: /\p{Script=Greek}/u },
]

// A CJK character carries about a word, a Latin letter about a fifth of one; shares are compared in words.
const latinLettersPerWord = 5
const foreignShareLimit = 0.3

export function detectLanguage (text: string): DetectedLanguage {
  let latinLetters = 0
  const foreign = new Map<string, number>()
  for (const character of text) {
    if (/\p{Script=Latin}/u.test(character)) {
      latinLetters++
      continue
    }
    if (!/\p{L}/u.test(character)) continue
    const script = scripts.find(({ pattern }) => pattern.test(character))
    if (script !== undefined) foreign.set(script.language, (foreign.get(script.language) ?? 0) + 1)
  }
  // Kana is written alongside Han: any of it makes the Han characters Japanese.
  if ((foreign.get('ja') ?? 0) > 0 && (foreign.get('zh') ?? 0) > 0) {
    foreign.set('ja', foreign.get('ja')! + foreign.get('zh')!)
    foreign.delete('zh')
  }
  const latinWords = latinLetters / latinLettersPerWord
  const [dominant, count] = [...foreign.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? ['en', 0]
  const share = count / (count + latinWords || 1)
  if (count === 0 || share < foreignShareLimit) {
    return latinLetters === 0
      ? { language: 'und', readable: false, message: 'Extraction reads English; this text has no letters to read' }
      : { language: 'en', readable: true, message: null }
  }
  const name = scripts.find((script) => script.language === dominant)!.name
  return { language: dominant, readable: false, message: `Extraction reads English; this text is ${name} (${dominant})` }
}
