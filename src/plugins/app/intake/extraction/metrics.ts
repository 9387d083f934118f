// What a figure measures: a vocabulary from the noun phrases hospital pages count with ("21 doctors", "more than 6,000
// discharged patients", "an area of about 3000 square meters") to general metric codes, and a match against the names
// of the metrics a store already defines ("Hysteroscopy surgeries to date") for those the vocabulary cannot name.
import type { CandidatePeriod, ExtractionInput } from './candidate.ts'
import type { FigureNature } from './periods.ts'

export interface Measure {
  /** The measured noun phrase, lower-cased, with the prepositional tail that may name a topic ("courses on … hysteroscopy"). */
  phrase: string
  /** Verbs around the figure in its clause ("delivered", "were born", "trained"). */
  action: string
  /** The unit written after the number ("percent", "square meters", "yuan", "days"). */
  unit: string
  /** Its clause up to the number, for a qualifier written before the figure ("The pediatric emergency department handles …"). */
  lead: string
  /** The clause's words after the phrase ("on practical hysteroscopy technology"), where a topic may be named. */
  tail: string
}

interface Entry {
  code: string
  nature: FigureNature
  measure?: RegExp
  action?: RegExp
  unit?: RegExp
  lead?: RegExp
  /** The code names its period: ".annual", ".cumulative", ".daily" (as the store's activity metrics do). */
  byPeriod?: boolean
  /** The code names the procedure or subject counted ("hysteroscopy_surgeries", "training.hysteroscopy_courses"). */
  topical?: boolean
}

const people = /\b(?:newborns?|neonates?|infants?|babies|patients|children|women|mothers|cases|people)\b/
const timeUnit = /^(?:days?|weeks?|months?|hours?|minutes?|years?)$/
const currency = /^(?:yuan|rmb|dollars?|usd|euros?|cny)$/

// Order matters: the first entry that fits wins, so rates come before what they are rates of, verbs that change what a noun counts ("trained 300 doctors",
// "delivered 16,800 babies") come before the nouns alone, and narrow phrases ("doctors of medicine") before broad ones.
const vocabulary: Entry[] = [
  // Rates and averages first: "the survival rate of … infants" measures survival, not infants.
  { code: 'bed_occupancy_rate', nature: 'level', measure: /\boccupancy\b|\bbed utili[sz]ation\b/ },
  { code: 'outcome.gestational_age_mean', nature: 'level', measure: /\bgestational (?:week|age)\b/ },
  { code: 'outcome.survival_rate', nature: 'level', measure: /\bsurvival rate\b/ },
  { code: 'outcome.maternal_mortality_rate', nature: 'level', measure: /\bmaternal (?:mortality|death)\b/ },
  { code: 'outcome.neonatal_mortality_rate', nature: 'level', measure: /\b(?:neonatal|newborn|infant|perinatal) (?:mortality|death)\b/ },
  { code: 'outcome.mortality_rate', nature: 'level', measure: /\b(?:mortality|death rate)\b/ },
  { code: 'outcome.cure_rate', nature: 'level', measure: /\bcure rate\b/ },
  { code: 'outcome.success_rate', nature: 'level', measure: /\bsuccess rate\b/ },
  { code: 'outcome.pregnancy_rate', nature: 'level', measure: /\bpregnancy rate\b/ },
  { code: 'outcome.cesarean_rate', nature: 'level', measure: /\bc(?:a)?esarean (?:section )?rate\b/ },
  { code: 'average_length_of_stay', nature: 'level', measure: /\blength of (?:hospital )?stay\b|\bhospital stay\b|\bhospitali[sz]ation days\b/ },
  { code: 'growth_rate', nature: 'level', unit: /^(?:%|percent|per cent)$/, measure: /\b(?:increase|growth|rise|up|down|rose|grew|fell|dropped|increased|decreased|decrease|decline)\b/ },
  { code: 'average_waiting_time', nature: 'level', measure: /\b(?:waiting|wait) times?\b/ },
  { code: 'research.impact_factor', nature: 'level', measure: /\bimpact factors?\b/ },
  { code: 'training.residents', nature: 'flow', action: /\btrain/, measure: /\bresidents?\b|\bresident physicians\b/ },
  { code: 'training.courses', nature: 'flow', topical: true, measure: /\b(?:training )?(?:courses|classes|workshops|training sessions)\b/ },
  { code: 'training.trainees', nature: 'flow', topical: true, action: /\btrain/, measure: /\b(?:students|trainees|doctors|nurses|staff|professionals|personnel|people|interns|fellows|\w+icians|\w+ists)\b/ },
  { code: 'births', nature: 'flow', byPeriod: true, action: /\b(?:deliver\w*|born|birth\w*)\b/, measure: /\b(?:babies|newborns|infants|neonates)\b/ },
  { code: 'births', nature: 'flow', byPeriod: true, measure: /\b(?:deliveries|births|live births|newborn deliveries)\b/ },
  { code: 'transports', nature: 'flow', byPeriod: true, action: /\b(?:transport\w*|transferr?\w*)\b/, measure: people },
  { code: 'transports', nature: 'flow', byPeriod: true, measure: /\b(?:transports|transfers)\b/ },
  { code: 'referrals', nature: 'flow', byPeriod: true, measure: /\breferrals?\b/ },
  { code: 'inpatient_admissions', nature: 'flow', byPeriod: true, action: /\b(?:admit\w*|hospitali[sz]\w*)\b/, measure: people },
  { code: 'inpatient_admissions', nature: 'flow', byPeriod: true, measure: /\b(?:admissions|inpatients|hospitali[sz]ations|inpatient (?:visits|cases|admissions))\b/ },
  { code: 'patients_treated', nature: 'flow', byPeriod: true, action: /\b(?:treat\w*|serv(?:e|es|ed)|receiv\w*|cur(?:e|es|ed)|rescu\w*|saw|sees)\b/, measure: people },
  { code: 'discharges', nature: 'flow', byPeriod: true, measure: /\bdischarge[sd]?\b/ },
  { code: 'discharges', nature: 'flow', byPeriod: true, action: /\bdischarg\w*/, measure: people },
  { code: 'outpatient_emergency_visits', nature: 'flow', byPeriod: true, measure: /\boutpatients? and emergenc|\bemergency and outpatient/ },
  { code: 'emergency_visits', nature: 'flow', byPeriod: true, measure: /\bemergency (?:visits|patients|cases|treatments)\b|\bemergencies\b/ },
  { code: 'emergency_visits', nature: 'flow', byPeriod: true, measure: /^(?:patient )?visits\b/, lead: /\bemergency\b/ },
  { code: 'outpatient_visits', nature: 'flow', byPeriod: true, measure: /\boutpatients?\b|\bclinic visits\b|^(?:patient )?visits\b/ },
  { code: 'surgeries', nature: 'flow', byPeriod: true, topical: true, measure: /\b(?:surgeries|surgical (?:operations|procedures|cases|volume)|operations|procedures|operation volume)\b/ },
  { code: 'consultations', nature: 'flow', byPeriod: true, measure: /\bconsultations\b/ },
  { code: 'consultations', nature: 'flow', byPeriod: true, action: /\bconsultations?\b/, measure: people },
  { code: 'outreach.medical_teams', nature: 'flow', measure: /\bmedical (?:teams|aid teams)\b/ },
  { code: 'ivf_cycles', nature: 'flow', byPeriod: true, measure: /\b(?:ivf|icsi|ivf-et|art|assisted reproduction|embryo transfer) cycles\b|^cycles\b/ },
  { code: 'donors', nature: 'flow', measure: /\bdonors\b/ },
  { code: 'examinations', nature: 'flow', byPeriod: true, measure: /\b(?:health |physical |medical )?(?:examinations|check-?ups|screenings)\b/ },
  { code: 'research.sci_papers', nature: 'flow', measure: /\bsci\b|science citation index/ },
  { code: 'research.papers', nature: 'flow', measure: /\b(?:papers|articles|publications|theses)\b/ },
  { code: 'research.patents', nature: 'flow', measure: /\bpatents?\b/ },
  { code: 'research.projects', nature: 'flow', measure: /\b(?:research )?(?:projects|grants|research programs)\b/ },
  { code: 'research.awards', nature: 'flow', measure: /\b(?:science|scientific|technolog\w*|research)\b[\w\s-]{0,30}\b(?:awards|prizes)\b/ },
  { code: 'staff.md_degree', nature: 'stock', measure: /\bdoctors? of medicine\b|\bm\.?d\.? (?:degrees?|holders)\b|\bmedical doctorates?\b/ },
  { code: 'staff.doctoral_supervisors', nature: 'stock', measure: /\bdoctoral (?:supervisors|tutors|advisors)\b/ },
  { code: 'staff.doctoral_degree', nature: 'stock', measure: /\bdoctoral degrees?\b|\bdoctorates?\b|\bph\.? ?d\.?s?\b/ },
  { code: 'staff.master_degree', nature: 'stock', measure: /\bmaster'?s? degrees?\b/ },
  { code: 'staff.associate_senior_title', nature: 'stock', measure: /\b(?:senior associate|associate senior|deputy senior|vice[- ]senior|sub-senior|associate chief|deputy chief)\b|\bassociate professors?\b/ },
  { code: 'staff.senior_title', nature: 'stock', measure: /\bsenior[- ](?:professional |technical )?(?:titles?|professionals|experts)\b|\bchief (?:physicians?|doctors?|nurses?|technicians?|pharmacists?)\b/ },
  { code: 'staff.nurses', nature: 'stock', measure: /\bnurses\b|\bnursing staff\b/ },
  { code: 'staff.doctors', nature: 'stock', measure: /\b(?:doctors|physicians|surgeons|clinicians|pediatricians|paediatricians|obstetricians|gynecologists|anesthesiologists|specialists)\b/ },
  { code: 'staff.technicians', nature: 'stock', measure: /\btechnicians\b/ },
  { code: 'staff.total', nature: 'stock', action: /\bemploy\w*/, measure: /\b(?:people|persons|staff|employees)\b/ },
  { code: 'staff.total', nature: 'stock', measure: /\b(?:staff(?: members)?|employees|personnel|workers|medical team|team members)\b/ },
  { code: 'beds', nature: 'stock', measure: /\bbeds?\b|^-bed/ },
  { code: 'facility.parking_spaces', nature: 'stock', measure: /\bparking (?:spaces|lots|places)\b/ },
  { code: 'facility.floor_area', nature: 'stock', unit: /^(?:square (?:meters|metres)|sq\.? ?m|m2|㎡)$/ },
  { code: 'facility.floor_area', nature: 'stock', measure: /\b(?:floor|building|construction|total|covered) area\b|^area\b/ },
  { code: 'facility.equipment', nature: 'stock', measure: /\b(?:sets|pieces|units) of (?:[\w-]+ ){0,3}(?:equipment|instruments|devices)\b|\b(?:instruments|devices)\b/ },
  { code: 'campuses', nature: 'stock', measure: /\bcampus(?:es)?\b|\bbranch hospitals\b/ },
  { code: 'key_specialties', nature: 'stock', measure: /\bkey (?:medical |clinical )?(?:specialties|specialities|disciplines)\b/ },
  { code: 'departments', nature: 'stock', measure: /\bdepartments\b/ },
  { code: 'wards', nature: 'stock', measure: /\bwards\b/ },
  { code: 'finance.revenue', nature: 'flow', measure: /\b(?:revenue|income|turnover)\b/ },
]

const topics: Array<[RegExp, string]> = [
  [/\bhysteroscop/, 'hysteroscopy'],
  [/\blaparoscop/, 'laparoscopy'],
  [/\bfeto|\bfetal\b|\bintrauterine\b/, 'fetal'],
  [/\bc(?:a)?esarean\b|\bc-sections?\b/, 'cesarean'],
  [/\bminimally invasive\b/, 'minimally_invasive'],
  [/\brobot/, 'robotic'],
  [/\bendoscop/, 'endoscopy'],
  [/\binterventional\b/, 'interventional'],
  [/\bcolposcop/, 'colposcopy'],
]


/** The general code of what is measured, or null when the vocabulary has no word for it. */
export function matchMeasure (measure: Measure): { base: string, nature: FigureNature, topic: string | null, byPeriod: boolean } | null {
  if (timeUnit.test(measure.unit) && !/\b(?:stay|gestational|hospitali[sz]ation|waiting|wait)\b/.test(measure.phrase)) return null
  for (const entry of vocabulary) {
    if (entry.measure !== undefined && !entry.measure.test(measure.phrase)) continue
    if (entry.action !== undefined && !entry.action.test(measure.action)) continue
    if (entry.unit !== undefined && !entry.unit.test(measure.unit)) continue
    if (entry.lead !== undefined && !entry.lead.test(measure.lead)) continue
    if (entry.code === 'finance.revenue' && !currency.test(measure.unit)) continue
    const topic = entry.topical === true ? topics.find(([pattern]) => pattern.test(`${measure.phrase} ${measure.tail}`))?.[1] ?? null : null
    return { base: entry.code, nature: entry.nature, topic, byPeriod: entry.byPeriod === true }
  }
  return null
}

/** The code with its topic and period: "surgeries" counted "each year" is "surgeries.annual". */
export function suggestedCode (match: { base: string, topic: string | null, byPeriod: boolean }, period: CandidatePeriod): string {
  const segments = match.base.split('.')
  if (match.topic !== null) segments[segments.length - 1] = `${match.topic}_${segments[segments.length - 1]}`
  const code = segments.join('.')
  if (!match.byPeriod) return code
  if (period.kind === 'cumulative') return `${code}.cumulative`
  if (period.duration === 'P1Y') return `${code}.annual`
  if (period.duration === 'P1D') return `${code}.daily`
  if (period.duration === 'P1M') return `${code}.monthly`
  return code
}

// Words that tell nothing apart when a phrase is compared with a metric's name.
const stopWords = new Set(['of', 'the', 'a', 'an', 'for', 'in', 'at', 'to', 'and', 'with', 'by', 'on', 'its', 'their', 'is', 'was'])
const looseWords = new Set(['rate', 'baby', 'number', 'total', 'patient', 'case', 'people', 'person', 'count', 'volume', 'capacity', 'member', 'born'])
const phraseSynonyms: Array<[RegExp, string]> = [
  [/\b(?:less|fewer) than\b/g, 'under'],
  [/\b(?:more|greater) than\b/g, 'over'],
  [/\baverage\b/g, 'mean'],
  [/\bgestational weeks?\b/g, 'gestational age'],
  [/\bcarried out\b|\bperformed\b|\bcompleted\b/g, ''],
]
const periodWords: Record<CandidatePeriod['kind'], string[]> = {
  annual: ['annual', 'year', 'yearly'],
  cumulative: ['date', 'cumulative'],
  span: [],
  point: [],
}

function singular (word: string): string {
  if (word.endsWith('ies') && word.length > 4) return word.slice(0, -3) + 'y'
  if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3) return word.slice(0, -1)
  return word
}

function tokens (text: string): string[] {
  let normalized = text.toLowerCase()
  for (const [pattern, replacement] of phraseSynonyms) normalized = normalized.replace(pattern, replacement)
  return normalized.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '' && !stopWords.has(word)).map(singular)
}

/**
 * The store's metric for a figure: its suggested code when the store has it, else a metric whose name the measured
 * phrase says in full ("Hysteroscopy surgeries to date" for "hysteroscopy surgeries" carried out up to the page date),
 * with no other word that tells measures apart ("outpatient and emergency visits" is not "Annual outpatient visits").
 */
export function storeMetric (metrics: ExtractionInput['metrics'], suggested: string | null, measured: string, period: CandidatePeriod): string | null {
  if (suggested !== null && metrics.some((metric) => metric.code === suggested)) return suggested
  const said = new Set([...tokens(measured), ...periodWords[period.kind], ...(period.duration === 'P1Y' ? periodWords.annual : [])])
  const measuredWords = tokens(measured)
  let best: { code: string, size: number } | null = null
  for (const metric of metrics) {
    const name = tokens(metric.name)
    if (name.length === 0 || !name.every((word) => said.has(word))) continue
    const named = new Set(name)
    if (measuredWords.some((word) => !named.has(word) && !looseWords.has(word))) continue
    if (best === null || name.length > best.size) best = { code: metric.code, size: name.length }
  }
  return best?.code ?? null
}
