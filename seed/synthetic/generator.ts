import { createHash } from 'node:crypto'
import { baseFigures, profileMetrics, writeFigure, type MetricCode, type UnitWording } from './figures.ts'
import { healthCommission, hospitalSlots, regionalLevel, regionName, type Place } from './places.ts'
import { Random, nameUuid, slugify } from './random.ts'
import type { RegionRows, SourceDocumentRow } from './rows.ts'
import { capitalize, isoDate, listOf, monthNames, Page } from './text.ts'
import { catalogues, type CatalogueUnit } from './units.ts'
import { regionOf } from './regions.ts'
import type { HospitalRow } from './rows.ts'

// One synthetic hospital: its units, a page per unit, an annual-figures page per unit and year, news articles, and
// every fact quoting a sentence of one of those pages. A hospital depends only on the region's options and its index,
// never on how many hospitals the region has, so a region of 20 begins with the region of 10.

/** The last year with figures: the last full year before the generator was written (2026-12-07). */
export const lastFigureYear = 2025

export interface RegionPlan {
  seed: number
  years: number
  unitsPerHospital: number
  metricsPerUnit: number
  /** Namespace of every identifier: a region made with other options shares none with this one. */
  key: string
  slots: typeof hospitalSlots
}

export function planRegion (options: { seed: number, years: number, unitsPerHospital: number, metricsPerUnit: number }): RegionPlan {
  return {
    ...options,
    key: `synthetic/${options.seed}/${options.years}y/${options.unitsPerHospital}u/${options.metricsPerUnit}m`,
    // The order of (place, kind) pairs depends on the seed alone.
    slots: new Random(`synthetic/${options.seed}/slots`).shuffle(hospitalSlots)
  }
}

/** The slug and id of the region's hospital at this index. */
export function hospitalIdentity (plan: RegionPlan, index: number): { slug: string, id: string } {
  const slot = plan.slots[index]
  if (slot === undefined) throw new RangeError(`A region has at most ${plan.slots.length} hospitals`)
  const slug = `${slugify(slot.place.label)}-${slot.kind.slug}`
  return { slug, id: nameUuid(`${plan.key}/hospital/${slug}`) }
}

export interface References {
  /** Metric definition ids by code (the real seed's definitions). */
  metricIds: Map<string, string>
  /** Condition ids and names by slug (the real seed's catalogue). */
  conditions: Map<string, { id: string, name: string }>
  /** Region ids by slug (regions.ts ensureRegions). */
  regionIds: Map<string, string>
}

const gradeWords: Record<HospitalRow['grade'], string> = {
  tertiary_a: 'tertiary class A', tertiary_b: 'tertiary class B', secondary_a: 'secondary class A', secondary_b: 'secondary class B'
}

/**
 * A hospital's grade and type, as such hospitals have them: the big city hospitals mostly tertiary class A, district
 * hospitals mostly secondary, county hospitals secondary. Drawn from a stream of their own, so the rest of the hospital
 * is what it was before hospitals had grades. Every kind of hospital the region has is public in China.
 */
function attributesOf (plan: RegionPlan, index: number, place: Place, kindSlug: string): Pick<HospitalRow, 'grade' | 'type' | 'ownership'> {
  const random = new Random(`${plan.key}/hospital/${index}/attributes`)
  const type = kindSlug === 'mch' || kindSlug === 'wch' ? 'maternal_child_health' : kindSlug === 'tcm' ? 'tcm' : 'general'
  const flagship = ['first-ph', 'central', 'wch'].includes(kindSlug)
  const draw = random.next()
  const grade: HospitalRow['grade'] = place.level === 'city'
    ? (draw < (flagship ? 0.85 : 0.45) ? 'tertiary_a' : draw < 0.9 ? 'tertiary_b' : 'secondary_a')
    : place.level === 'district'
      ? (draw < 0.1 ? 'tertiary_a' : draw < 0.3 ? 'tertiary_b' : draw < 0.8 ? 'secondary_a' : 'secondary_b')
      : (draw < 0.1 ? 'tertiary_b' : draw < 0.7 ? 'secondary_a' : 'secondary_b')
  return { grade, type, ownership: 'public' }
}

function sha256 (text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

function location (place: Place): string {
  const region = regionName(place.province)
  if (place.province === 'Chongqing') return `${place.label}, Chongqing`
  return place.label === place.city ? `${place.city}, ${region}` : `${place.label}, ${place.city}, ${region}`
}

/** "the Obstetrics Department" / "the department". */
function wordingOf (entry: CatalogueUnit): UnitWording {
  const name = /(Department|Center|Division|Unit|Clinic)$/.test(entry.name) ? entry.name : `${entry.name} Department`
  return { full: `the ${name}`, short: `the ${entry.kind}` }
}

const equipment = ['3.0T magnetic resonance imaging scanner', '256-slice computed tomography scanner', 'da Vinci surgical robot',
  'neonatal transport incubator', 'digital breast tomosynthesis system', 'hyperbaric oxygen chamber', 'intraoperative ultrasound system']
const partners = ['West China Second University Hospital of Sichuan University', "Children's Hospital of Chongqing Medical University",
  'Tongji Hospital of Huazhong University of Science and Technology', 'Xiangya Hospital of Central South University',
  'First Affiliated Hospital of Chongqing Medical University', "Shanghai Children's Medical Center", 'Peking Union Medical College Hospital']
const audiences = ['pregnant women', 'children under six', 'elderly residents', 'women over 35', 'newborns and their parents', 'rural residents']

/** Adds the rows of the region's hospital at this index. */
export function generateHospital (plan: RegionPlan, index: number, references: References, rows: RegionRows): void {
  const { place, kind } = plan.slots[index]!
  const random = new Random(`${plan.key}/hospital/${index}`)
  const uuid = (name: string): string => nameUuid(`${plan.key}/${name}`)
  const { slug: hospitalSlug, id: hospitalId } = hospitalIdentity(plan, index)
  const hospitalName = kind.name(place.label)
  const size = kind.size * (place.level === 'city' ? 1.25 : place.level === 'county' ? 0.7 : 0.9) * random.between(0.8, 1.25)
  const founded = random.int(1939, 1995)
  const firstYear = lastFigureYear - plan.years + 1
  const commission = healthCommission(place.province)
  const region = regionName(place.province)
  const forWhom = kind.family === 'maternal-child' ? 'women and children' : 'patients'

  const addSource = (fileName: string, title: string, sourceKind: SourceDocumentRow['kind'], statedOn: string | null,
    breadcrumb: string, page: Page): void => {
    const fullText = page.text
    rows.source_document.push({
      id: uuid(`source/${fileName}`),
      file_name: fileName,
      title,
      kind: sourceKind,
      stated_on: statedOn,
      breadcrumb,
      full_text: fullText,
      sha256: sha256(fullText),
      synthetic: true
    })
  }

  // ── Units, with a page each ──────────────────────────────────────────────────────────────────────────────────────
  const catalogue = catalogues[kind.family]
  const chosen = catalogue
    .map((entry, position) => ({ entry, position, rank: entry.core ? -1 : random.next() }))
    .sort((a, b) => a.rank - b.rank || a.position - b.position)
    .slice(0, plan.unitsPerHospital)
    .sort((a, b) => a.position - b.position)
    .map(({ entry }) => entry)
  const chosenDivisions = new Set(chosen.filter((entry) => entry.kind === 'division').map((entry) => entry.name))
  const units: Array<{ entry: CatalogueUnit, id: string, slug: string, wording: UnitWording }> = []
  const unitIdsBySlug = new Map<string, string>()
  let hospitalIntroduced = false

  for (const entry of chosen) {
    const unitSlug = `${hospitalSlug}-${entry.slug}`
    const unitId = uuid(`unit/${unitSlug}`)
    const wording = wordingOf(entry)
    const parent = entry.division !== null && chosenDivisions.has(entry.division) ? entry.division : null
    units.push({ entry, id: unitId, slug: unitSlug, wording })
    unitIdsBySlug.set(entry.slug, unitId)

    const fileName = `synthetic/${hospitalSlug}/${entry.slug}.txt`
    const sourceId = uuid(`source/${fileName}`)
    const statedOn = isoDate(lastFigureYear + 1, random.int(1, 11), random.int(1, 28))
    const breadcrumb = parent === null ? 'Home>Departments' : `Home>${parent}`
    const page = new Page()
    page.line(breadcrumb)
    const title = wording.full.slice(4)
    page.line(title)
    page.line(`Updated: ${statedOn}`)

    const members = entry.kind === 'division' ? chosen.filter((member) => member.division === entry.name).length : 0
    const intro = page.say(entry.kind === 'division'
      ? `${capitalize(wording.full)} of ${hospitalName} ${members === 0 ? 'is a clinical division of the hospital' : `brings together ${members === 1 ? 'one department' : `${members} departments and centers`}`}.`
      : `${capitalize(wording.full)} of ${hospitalName} is ${random.pick(['a key', 'a leading', 'an important'])} ${entry.profile === 'technical' ? 'medical technology' : 'clinical'} ${entry.kind} of the hospital.`)
    if (!hospitalIntroduced) {
      hospitalIntroduced = true
      const attributes = attributesOf(plan, index, place, kind.slug)
      const regionId = references.regionIds.get(regionOf(place).slug)
      if (regionId === undefined) throw new Error(`the region of ${place.label} is missing: ensureRegions makes it`)
      const quote = page.say(`${hospitalName} is a ${gradeWords[attributes.grade]} public ${kind.family === 'maternal-child' ? 'maternal and child health hospital' : 'general hospital'} in ${location(place)}, founded in ${founded}.`)
      rows.hospital.push({
        id: hospitalId,
        slug: hospitalSlug,
        name: hospitalName,
        short_name: null,
        city: place.city,
        province: place.province,
        country: 'CN',
        region_id: regionId,
        ...attributes,
        source_id: sourceId,
        quote
      })
      rows.event.push({
        id: uuid(`event/${hospitalSlug}/founded`),
        hospital_id: hospitalId,
        unit_id: null,
        slug: 'hospital-founded',
        title: `${hospitalName} founded`,
        description: null,
        kind: 'founding',
        year: founded,
        occurred_on: `${founded}-01-01`,
        date_precision: 'year',
        source_id: sourceId,
        quote
      })
    }

    let establishedYear: number | null = null
    if (random.chance(0.6)) {
      establishedYear = random.int(Math.max(founded, 1960), 2020)
      const quote = page.say(`It was established in ${establishedYear}.`)
      rows.event.push({
        id: uuid(`event/${unitSlug}/established`),
        hospital_id: hospitalId,
        unit_id: unitId,
        slug: `${entry.slug}-established`,
        title: `${title} established`,
        description: null,
        kind: 'founding',
        year: establishedYear,
        occurred_on: `${establishedYear}-01-01`,
        date_precision: 'year',
        source_id: sourceId,
        quote
      })
    }
    for (const alias of entry.aliases) {
      const aliasSlug = `${hospitalSlug}-${slugify(alias)}`
      rows.unit_alias.push({
        id: uuid(`alias/${aliasSlug}`),
        unit_id: unitId,
        name: alias,
        slug: aliasSlug,
        source_id: sourceId,
        quote: page.say(`It is also known as the ${alias}.`)
      })
    }
    if (entry.focus !== null) page.say(`Its work focuses on ${entry.focus.charAt(0).toLowerCase()}${entry.focus.slice(1)}`)

    page.paragraph()
    for (const relation of ['treated', 'managed', 'screened'] as const) {
      const links = entry.conditions.filter((link) => link.relation === relation)
      if (links.length === 0) continue
      const names = links.map((link) => references.conditions.get(link.slug)?.name.toLowerCase() ?? link.slug)
      const verb = { treated: 'mainly treats', managed: 'manages', screened: 'screens for' }[relation]
      const quote = page.say(`${capitalize(wording.short)} ${verb} ${listOf(names)}.`)
      for (const link of links) {
        const condition = references.conditions.get(link.slug)
        if (condition === undefined) continue
        rows.unit_condition.push({
          id: uuid(`unit-condition/${unitSlug}/${link.slug}`), unit_id: unitId, condition_id: condition.id, relation, source_id: sourceId, quote
        })
      }
    }

    // Honors a unit page states: designations by the health commission, training bases, alliances.
    page.paragraph()
    const honor = (slugTail: string, fields: Omit<RegionRows['honor'][number], 'id' | 'hospital_id' | 'unit_id' | 'slug' | 'stated_on' | 'source_id' | 'quote'>, sentence: string): void => {
      const honorSlug = `${entry.slug}-${slugTail}`
      rows.honor.push({
        id: uuid(`honor/${hospitalSlug}/${honorSlug}`), hospital_id: hospitalId, unit_id: unitId, slug: honorSlug, stated_on: statedOn,
        source_id: sourceId, quote: page.say(sentence), ...fields
      })
    }
    if (entry.profile !== 'division') {
      if (random.chance(0.22)) {
        const year = random.int(2008, 2023)
        const level = regionalLevel(place.province)
        honor('key-specialty', { title: `${capitalize(level)}-level key medical specialty`, kind: 'designation', issuer: commission, level, year },
          `In ${year}, it was approved as a ${level}-level key medical specialty by the ${commission}.`)
      }
      if (random.chance(0.04)) {
        const year = random.int(2012, 2023)
        honor('national-key-specialty', { title: 'National key clinical specialty construction project', kind: 'designation', issuer: 'National Health Commission', level: 'national', year },
          `In ${year}, it was selected for the national key clinical specialty construction project of the National Health Commission.`)
      }
      if (entry.profile !== 'technical' && random.chance(0.1)) {
        honor('training-base', { title: `Standardized training base for resident physicians in ${region}`, kind: 'designation', issuer: null, level: regionalLevel(place.province), year: null },
          `It is a standardized training base for resident physicians in ${region}.`)
      }
      if (random.chance(0.06)) {
        const alliance = kind.family === 'maternal-child' ? 'Southwest Maternal and Child Health Specialty Alliance' : 'Southwest Regional Medical Alliance'
        honor('alliance-member', { title: `Member of the ${alliance}`, kind: 'membership', issuer: alliance, level: 'regional', year: null },
          `It is a member of the ${alliance}.`)
      }
    }

    // "Scope of diagnosis and treatment", one service per line as the real pages list them.
    if (entry.services.length > 0) {
      page.line('Scope of diagnosis and treatment')
      for (const service of entry.services) {
        const quote = page.line(`${service.name};`)
        rows.service.push({
          id: uuid(`service/${unitSlug}/${slugify(service.name)}`), unit_id: unitId, slug: slugify(service.name), name: service.name,
          kind: service.kind, description: null, source_id: sourceId, quote
        })
      }
    }

    rows.unit.push({
      id: unitId,
      hospital_id: hospitalId,
      parent_id: parent === null ? null : uuid(`unit/${hospitalSlug}-${slugify(parent)}`),
      kind: entry.kind,
      slug: unitSlug,
      name: entry.name,
      summary: intro,
      focus: entry.focus,
      established_year: establishedYear,
      source_id: sourceId,
      quote: intro
    })
    addSource(fileName, title, entry.kind === 'center' ? 'center_page' : 'department_page', statedOn, breadcrumb, page)
  }

  // ── Annual figures: a page per unit and year ─────────────────────────────────────────────────────────────────────
  for (const unit of units) {
    const codes = profileMetrics[unit.entry.profile].slice(0, plan.metricsPerUnit)
    const unitSize = size * random.between(0.6, 1.6)
    const base = baseFigures(random, unit.entry.profile, unitSize)
    const growth = new Map(codes.map((code) => [code, random.between(-0.01, 0.07)]))
    for (let year = firstYear; year <= lastFigureYear; year++) {
      const title = `${capitalize(unit.wording.full.slice(4))} — annual figures ${year}`
      const fileName = `synthetic/${hospitalSlug}/${unit.entry.slug}/figures-${year}.txt`
      const sourceId = uuid(`source/${fileName}`)
      const statedOn = isoDate(year + 1, random.int(1, 3), random.int(1, 28))
      const breadcrumb = `Home>${unit.wording.full.slice(4)}>Annual figures`
      const page = new Page()
      page.line(breadcrumb)
      page.line(title)
      page.line(`Updated: ${statedOn}`)
      const elapsed = year - firstYear
      for (const code of codes) {
        const count = base[code as MetricCode] * (1 + (growth.get(code) ?? 0)) ** elapsed * random.between(0.97, 1.03)
        const figure = writeFigure(random, code, count, unit.wording, year)
        const metricId = references.metricIds.get(code)
        if (metricId === undefined) throw new Error(`No metric definition "${code}"`)
        rows.metric_observation.push({
          id: uuid(`observation/${unit.slug}/${code}/${year}`),
          unit_id: unit.id,
          metric_id: metricId,
          value: String(figure.value),
          comparator: figure.comparator,
          approximate: figure.approximate,
          stated_value: figure.statedValue,
          period_kind: figure.period.kind,
          period_duration: figure.period.duration,
          period_start: figure.period.start,
          period_end: figure.period.end,
          period_label: figure.period.label,
          stated_on: statedOn,
          note: null,
          source_id: sourceId,
          quote: page.say(figure.sentence)
        })
      }
      addSource(fileName, title, unit.entry.kind === 'center' ? 'center_page' : 'department_page', statedOn, breadcrumb, page)
    }
  }

  // ── News: two articles a year, each its own page ─────────────────────────────────────────────────────────────────
  const grade = place.level === 'city' ? 'Grade III Class A' : 'Grade II Class A'
  const hospitalHonors = random.shuffle([
    { slug: 'hospital-grade', title: `${grade} hospital`, kind: 'accreditation' as const, issuer: commission, level: regionalLevel(place.province), verb: `was rated a ${grade} hospital by the ${commission}` },
    { slug: 'civilized-unit', title: `${capitalize(regionalLevel(place.province))}-level civilized unit`, kind: 'recognition' as const, issuer: null, level: regionalLevel(place.province), verb: `was named a ${regionalLevel(place.province)}-level civilized unit` },
    ...(kind.family === 'maternal-child'
      ? [{ slug: 'baby-friendly', title: 'Baby-friendly hospital', kind: 'designation' as const, issuer: 'National Health Commission', level: 'national' as const, verb: 'was re-assessed as a national baby-friendly hospital' }]
      : [{ slug: 'chest-pain-center', title: 'Certified chest pain center', kind: 'accreditation' as const, issuer: 'China Chest Pain Center Alliance', level: 'national' as const, verb: 'was certified as a standard chest pain center by the China Chest Pain Center Alliance' }])
  ])
  const equipmentLeft = random.shuffle(equipment)
  for (let year = firstYear; year <= lastFigureYear; year++) {
    for (let number = 1; number <= 2; number++) {
      const month = number === 1 ? random.int(1, 6) : random.int(7, 12)
      const day = random.int(1, 28)
      const publishedOn = isoDate(year, month, day)
      const when = `In ${monthNames[month - 1]} ${year}`
      const page = new Page()
      const linked: string[] = []
      const topic = random.pick(['honor', 'equipment', 'partnership', 'ward', 'clinic'] as const)
      const articleSlug = `${hospitalSlug}-news-${year}-${number}`
      const fileName = `synthetic/${hospitalSlug}/news/${year}-${number}.txt`
      const sourceId = uuid(`source/${fileName}`)
      const event = (eventKind: RegionRows['event'][number]['kind'], title: string, unitId: string | null, quote: string): void => {
        rows.event.push({
          id: uuid(`event/${articleSlug}`), hospital_id: hospitalId, unit_id: unitId, slug: `news-${year}-${number}`, title, description: null,
          kind: eventKind, year, occurred_on: isoDate(year, month, 1), date_precision: 'month', source_id: sourceId, quote
        })
      }
      let title: string
      let lead: string
      const hospitalHonor = topic === 'honor' ? hospitalHonors.shift() : undefined
      const equipmentItem = topic === 'equipment' ? equipmentLeft.shift() : undefined
      const clinicalUnits = units.filter((unit) => unit.entry.profile === 'surgical' || unit.entry.profile === 'medical')
      if (hospitalHonor !== undefined) {
        title = `${hospitalName} ${hospitalHonor.verb.replace(/^was /, 'is ')}`
        lead = `${when}, ${hospitalName} ${hospitalHonor.verb}.`
        rows.honor.push({
          id: uuid(`honor/${hospitalSlug}/${hospitalHonor.slug}`), hospital_id: hospitalId, unit_id: null, slug: hospitalHonor.slug,
          title: hospitalHonor.title, kind: hospitalHonor.kind, issuer: hospitalHonor.issuer, level: hospitalHonor.level, year,
          stated_on: publishedOn, source_id: sourceId, quote: lead
        })
        event(hospitalHonor.kind === 'recognition' ? 'recognition' : 'designation', `${hospitalHonor.title}`, null, lead)
      } else if (equipmentItem !== undefined) {
        title = `${hospitalName} puts a new ${equipmentItem} into use`
        lead = `${when}, ${hospitalName} put a new ${equipmentItem} into use.`
        event('equipment', `New ${equipmentItem} in use`, null, lead)
      } else if (topic === 'partnership') {
        const partner = random.pick(partners)
        title = `${hospitalName} joins a medical alliance with ${partner}`
        lead = `${when}, ${hospitalName} signed a medical alliance agreement with ${partner}.`
        event('partnership', `Medical alliance with ${partner}`, null, lead)
      } else if (topic === 'ward' && clinicalUnits.length > 0) {
        const unit = random.pick(clinicalUnits)
        const beds = random.int(2, 8) * 5
        title = `${capitalize(unit.wording.full.slice(4))} opens a new ward`
        lead = `${when}, ${unit.wording.full} of ${hospitalName} opened a new ward with ${beds} beds.`
        event('milestone', `${capitalize(unit.wording.full.slice(4))} opens a new ward`, unit.id, lead)
        linked.push(unit.id)
      } else {
        const audience = random.pick(audiences)
        const unit = random.pick(units.filter((candidate) => candidate.entry.kind !== 'division'))
        title = `${hospitalName} holds a free clinic for ${audience}`
        lead = `${when}, ${unit.wording.full} of ${hospitalName} held a free clinic for ${audience}.`
        linked.push(unit.id)
      }
      page.line('Home>News')
      page.line(title)
      page.line(`Updated: ${publishedOn}`)
      const paragraphs = [
        lead,
        `Staff from several departments took part, and residents of ${place.city} were invited to learn more about the hospital's services.`,
        `${hospitalName} will continue to improve its services for ${forWhom} in ${place.label}.`
      ]
      for (const paragraph of paragraphs) {
        page.paragraph()
        page.say(paragraph)
      }
      rows.news_article.push({
        id: uuid(`news/${articleSlug}`), hospital_id: hospitalId, slug: articleSlug, title, published_on: publishedOn, summary: lead,
        body: paragraphs.join('\n\n'), image_file: null, image_caption: null, source_id: sourceId, quote: lead
      })
      for (const unitId of linked) rows.news_article_unit.push({ article_id: uuid(`news/${articleSlug}`), unit_id: unitId })
      addSource(fileName, title, 'news_article', publishedOn, 'Home>News', page)
    }
  }
}
