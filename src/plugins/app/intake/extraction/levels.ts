// Small readings shared by the honor and event rules: the level an honor is given at and who gives it.
import type { HonorCandidate } from './candidate.ts'

const explicitLevel = /\b(international|national|state|provincial|regional|municipal|city|district|hospital|institutional)[- ]level\b/i
const levelWords: Array<[RegExp, NonNullable<HonorCandidate['level']>]> = [
  [/\b(?:international|world|global|worldwide)\b/i, 'international'],
  [/\b(?:national|nationwide|nationally|state council|china['’]s|chinese|in china|in the country|ministry)\b|\bchina\b/i, 'national'],
  [/\b(?:provincial|province|Hunan|Sichuan|Guangdong|Zhejiang|Jiangsu|Hubei|Henan|Hebei|Shandong|Fujian|Yunnan|Guizhou|Shaanxi|Anhui|Jiangxi|Liaoning|Jilin|Heilongjiang|Shanxi|Gansu|Qinghai|Hainan|Guangxi|Xinjiang|Tibet|Ningxia|Inner Mongolia)\b/i, 'provincial'],
  [/\b(?:regional|southwest|northwest|southeast|northeast|south china|north china|western china|central china)\b/i, 'regional'],
  [/\b(?:municipal|municipality|city|Chongqing|Beijing|Shanghai|Tianjin)\b/i, 'municipal'],
  [/\b(?:of the hospital|hospital-level|institutional)\b/i, 'institutional'],
]
const levelNames: Record<string, NonNullable<HonorCandidate['level']>> = {
  international: 'international', national: 'national', state: 'national', provincial: 'provincial', regional: 'regional',
  municipal: 'municipal', city: 'municipal', district: 'municipal', hospital: 'institutional', institutional: 'institutional',
}

/** The level an honor is given at: an explicit "provincial-level" first, then what the title, the issuer or the sentence say. */
export function levelOf (title: string, issuer: string | null, sentence: string): HonorCandidate['level'] {
  const explicit = explicitLevel.exec(title)
  if (explicit !== null) return levelNames[explicit[1]!.toLowerCase()] ?? null
  for (const text of [title, issuer ?? '', sentence]) {
    const found = levelWords.find(([pattern]) => pattern.test(text))
    if (found !== undefined) return found[1]
  }
  return null
}

// A proper name after "by": capitalised words, with the small words names hold ("China Maternal and Child Health Association").
const issuerPattern = /\bby (?:the )?((?:[A-Z][\p{L}'’-]*|of|and|for|on|the)(?:\s+(?:[A-Z][\p{L}'’-]*|of|and|for|on|the))*)/u

export function issuerIn (text: string): string | null {
  const match = issuerPattern.exec(text)
  if (match === null) return null
  const name = match[1]!.replace(/(?:\s+(?:of|and|for|on|the))+$/, '')
  return /^[A-Z]/.test(name) && name.split(/\s+/).length >= 2 ? name : null
}

export function capitalize (text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
