import type { SeedService, SeedUnitCondition } from '../types.ts'
import type { HospitalFamily } from './places.ts'
import { slugify } from './random.ts'

// The organisational units a synthetic hospital picks from: divisions, and the departments and centers a maternal and
// child health hospital or a general hospital in China lists on its site, with the services each lists under "Scope
// of diagnosis and treatment", other names they go by, and conditions of the real seed's catalogue they treat.

/** Which figures a unit reports (seed/synthetic/figures.ts). */
export type Profile = 'surgical' | 'medical' | 'technical' | 'division'

export interface CatalogueUnit {
  name: string
  slug: string
  kind: 'division' | 'department' | 'center'
  profile: Profile
  /** The division it belongs to when the hospital has that division; null for one that stands alone. */
  division: string | null
  aliases: string[]
  services: Array<{ name: string, kind: SeedService['kind'] }>
  conditions: Array<{ slug: string, relation: SeedUnitCondition['relation'] }>
  focus: string | null
  /** Every hospital of the family has it (the rest are picked at random). */
  core: boolean
}

interface Options {
  aliases?: string[]
  services?: Array<[string, SeedService['kind']]>
  conditions?: Array<[string, SeedUnitCondition['relation']]>
  focus?: string
  core?: boolean
}

function unit (name: string, profile: Profile, division: string | null, options: Options = {}): CatalogueUnit {
  return {
    name,
    slug: slugify(name),
    kind: profile === 'division' ? 'division' : name.endsWith('Center') ? 'center' : 'department',
    profile,
    division,
    aliases: options.aliases ?? [],
    services: (options.services ?? []).map(([serviceName, kind]) => ({ name: serviceName, kind })),
    conditions: (options.conditions ?? []).map(([slug, relation]) => ({ slug, relation })),
    focus: options.focus ?? null,
    core: options.core ?? profile === 'division'
  }
}

function division (name: string, members: Array<[string, Profile, Options?]>): CatalogueUnit[] {
  return [unit(name, 'division', null), ...members.map(([memberName, profile, options]) => unit(memberName, profile, name, options))]
}

function standalone (members: Array<[string, Profile, Options?]>): CatalogueUnit[] {
  return members.map(([name, profile, options]) => unit(name, profile, null, options))
}

const maternalChild: CatalogueUnit[] = [
  ...division('Women Health Care Division', [
    ['Obstetrics', 'surgical', {
      core: true,
      aliases: ['Obstetrics First Department'],
      services: [['Painless delivery', 'treatment'], ['Cesarean section', 'procedure'], ['High-risk pregnancy management', 'management'], ['Prenatal care clinic', 'clinic']],
      focus: 'Management of high-risk pregnancy and painless delivery.'
    }],
    ['Obstetrics Second Department', 'surgical', {
      aliases: ['Specialized Department for Twins'],
      services: [['Twin pregnancy management', 'management'], ['Pregnancy-induced hypertension treatment', 'treatment']],
      conditions: [['twin-pregnancy', 'managed']]
    }],
    ['General Gynecology', 'surgical', {
      core: true,
      services: [['Laparoscopic surgery', 'procedure'], ['Hysteroscopic surgery', 'procedure'], ['Transvaginal surgery', 'procedure']],
      conditions: [['gynecological-benign-tumor', 'treated'], ['intrauterine-adhesion', 'treated'], ['cesarean-scar-pregnancy', 'treated']],
      focus: 'Minimally invasive gynecological surgery.'
    }],
    ['Gynecologic Oncology', 'surgical', {
      services: [['Radical hysterectomy', 'procedure'], ['Chemotherapy for gynecological cancers', 'treatment']],
      conditions: [['gynecological-malignant-tumor', 'treated']]
    }],
    ['Gynecologic Endocrinology', 'medical', { services: [['Menopause clinic', 'clinic'], ['Polycystic ovary syndrome clinic', 'clinic']] }],
    ['Breast Surgery', 'surgical', { services: [['Breast cancer screening', 'screening'], ['Minimally invasive breast biopsy', 'procedure']], conditions: [['cancer', 'screened']] }],
    ['Maternal-Fetal Medicine Center', 'surgical', {
      services: [['Fetal intrauterine therapy', 'procedure'], ['Twin-to-twin transfusion treatment', 'treatment']],
      conditions: [['fetal-disease', 'treated'], ['twin-pregnancy', 'managed']]
    }],
    ['Prenatal Diagnosis Center', 'technical', {
      services: [['Amniocentesis', 'procedure'], ['Noninvasive prenatal testing', 'screening'], ['Fetal echocardiography', 'screening']],
      conditions: [['fetal-disease', 'screened']]
    }],
    ["Women's Health Care Department", 'technical', {
      core: true,
      services: [['Cervical cancer screening', 'screening'], ['Premarital health examination', 'screening']],
      conditions: [['cancer', 'screened']]
    }],
    ['Pelvic Floor Rehabilitation Center', 'medical', { services: [['Postpartum pelvic floor rehabilitation', 'treatment'], ['Pelvic floor muscle training', 'treatment']] }]
  ]),
  ...division('Children Health Care Division', [
    ['Pediatrics', 'medical', { core: true, services: [['General pediatric clinic', 'clinic'], ['Pediatric asthma clinic', 'clinic']] }],
    ['Neonatology', 'medical', {
      core: true,
      aliases: ['Newborn Department'],
      services: [['Neonatal resuscitation', 'treatment'], ['Neonatal jaundice treatment', 'treatment'], ['Newborn transport', 'transport']]
    }],
    ['Neonatal Intensive Care Unit', 'medical', { aliases: ['NICU'], services: [['Care of very low birth weight infants', 'treatment'], ['Neonatal mechanical ventilation', 'treatment']] }],
    ['Pediatric Surgery', 'surgical', { services: [['Laparoscopic hernia repair in children', 'procedure'], ['Hypospadias repair', 'procedure']] }],
    ['Pediatric Respiratory Medicine', 'medical', { services: [['Pediatric bronchoscopy', 'procedure']] }],
    ['Pediatric Gastroenterology', 'medical', { services: [['Pediatric gastroscopy', 'procedure']] }],
    ['Pediatric Neurology', 'medical', { services: [['Epilepsy clinic', 'clinic'], ['Video electroencephalography', 'screening']] }],
    ['Pediatric Intensive Care Unit', 'medical', { aliases: ['PICU'] }],
    ['Child Health Care Department', 'technical', {
      core: true,
      aliases: ['Child Care Clinic'],
      services: [['Growth and development assessment', 'screening'], ['Vaccination clinic', 'clinic']]
    }],
    ['Child Development and Behavior Center', 'technical', { services: [['Autism screening', 'screening'], ['Language development training', 'treatment']] }],
    ['Pediatric Rehabilitation', 'medical', { services: [['Cerebral palsy rehabilitation', 'treatment']] }],
    ['Pediatric Stomatology', 'technical', { aliases: ["Children's Dental Clinic"], services: [['Pit and fissure sealing', 'procedure'], ['Fluoride varnish application', 'procedure']] }],
    ['Pediatric Ophthalmology', 'technical', { services: [['Amblyopia treatment', 'treatment'], ['Vision screening for children', 'screening']] }],
    ['Pediatric Orthopedics', 'surgical', { services: [['Developmental dysplasia of the hip treatment', 'treatment']] }],
    ['Pediatric Cardiology', 'medical', { services: [['Congenital heart disease follow-up clinic', 'clinic']] }],
    ['Pediatric Hematology and Oncology', 'medical', { services: [['Childhood leukemia chemotherapy', 'treatment']], conditions: [['cancer', 'treated']] }],
    ['Pediatric Nephrology', 'medical'],
    ['Pediatric Endocrinology', 'medical', { services: [['Short stature clinic', 'clinic']] }],
    ['Pediatric Otorhinolaryngology', 'surgical', { aliases: ['Pediatric ENT Department'], services: [['Adenoidectomy', 'procedure']] }],
    ['Neonatal Screening Center', 'technical', { services: [['Newborn hearing screening', 'screening'], ['Newborn metabolic disease screening', 'screening']] }]
  ]),
  ...division('Reproductive Health Division', [
    ['Reproductive Medicine Center', 'medical', {
      core: true,
      aliases: ['IVF Center'],
      services: [['In vitro fertilization', 'procedure'], ['Intracytoplasmic sperm injection', 'procedure'], ['Frozen embryo transfer', 'procedure']]
    }],
    ['Andrology', 'medical', { services: [['Male infertility clinic', 'clinic']] }],
    ['Family Planning Department', 'surgical', { services: [['Contraception counseling', 'consultation'], ['Painless abortion', 'procedure']] }],
    ['Medical Genetics Department', 'technical', { services: [['Genetic counseling', 'consultation'], ['Chromosome karyotyping', 'screening']] }],
    ['Reproductive Endocrinology', 'medical']
  ]),
  ...division('Medical Technology Division', [
    ['Clinical Laboratory', 'technical', { core: true }],
    ['Ultrasound Medicine', 'technical', { core: true, aliases: ['Ultrasound Department'], services: [['Obstetric ultrasound', 'screening'], ['Color Doppler ultrasound', 'screening']] }],
    ['Radiology', 'technical', { core: true, services: [['Digital radiography', 'screening'], ['Magnetic resonance imaging', 'screening']] }],
    ['Pathology', 'technical'],
    ['Pharmacy', 'technical', { core: true, services: [['Medication consultation', 'consultation']] }],
    ['Blood Transfusion Department', 'technical'],
    ['Health Management Center', 'technical', {
      aliases: ['Medical Examination Center'],
      services: [['Health examination', 'screening'], ['Cancer risk screening', 'screening'], ['Health management', 'management']],
      conditions: [['cancer', 'screened']]
    }]
  ]),
  ...division('Clinical Support Division', [
    ['Anesthesiology', 'technical', { core: true, services: [['Labor analgesia', 'treatment'], ['Painless gastroscopy', 'procedure']] }],
    ['Intensive Care Unit', 'medical', { aliases: ['ICU'] }],
    ['Emergency Department', 'medical', { core: true, services: [['Maternal critical care transfer', 'transport']] }],
    ['Nutrition Department', 'technical', { services: [['Nutrition clinic for pregnant women', 'clinic']] }],
    ['Rehabilitation Medicine', 'medical', { services: [['Postpartum rehabilitation', 'treatment']] }]
  ]),
  ...standalone([
    ['Traditional Chinese Medicine Department', 'medical', { aliases: ['TCM Department'], services: [['Acupuncture', 'treatment']] }],
    ['Psychological Clinic', 'technical', { services: [['Perinatal depression screening', 'screening']] }],
    ['Stomatology', 'technical', { aliases: ['Dental Department'] }],
    ['Dermatology', 'medical'],
    ['Ophthalmology', 'surgical'],
    ['Otorhinolaryngology', 'surgical', { aliases: ['ENT Department'] }],
    ['Breastfeeding Consultation Clinic', 'technical', { services: [['Lactation consultation', 'consultation']] }]
  ])
]

const general: CatalogueUnit[] = [
  ...division('Internal Medicine Division', [
    ['Cardiology', 'medical', { core: true, services: [['Coronary angiography', 'procedure'], ['Percutaneous coronary intervention', 'procedure']] }],
    ['Respiratory and Critical Care Medicine', 'medical', {
      core: true,
      aliases: ['Respiratory Department'],
      services: [['Bronchoscopy', 'procedure'], ['Pulmonary function testing', 'screening']],
      conditions: [['lung-cancer', 'screened']]
    }],
    ['Gastroenterology', 'medical', { core: true, services: [['Gastroscopy', 'procedure'], ['Colonoscopy', 'procedure'], ['Endoscopic submucosal dissection', 'procedure']] }],
    ['Nephrology', 'medical', { services: [['Hemodialysis', 'treatment']] }],
    ['Endocrinology', 'medical', { core: true, services: [['Diabetes clinic', 'clinic']] }],
    ['Neurology', 'medical', { core: true, services: [['Intravenous thrombolysis', 'treatment']], conditions: [['stroke', 'treated']] }],
    ['Hematology', 'medical'],
    ['Rheumatology and Immunology', 'medical'],
    ['Geriatrics', 'medical', { services: [['Comprehensive geriatric assessment', 'screening']] }],
    ['Infectious Diseases', 'medical', { services: [['Fever clinic', 'clinic']] }],
    ['Oncology', 'medical', { services: [['Chemotherapy', 'treatment'], ['Radiotherapy', 'treatment']], conditions: [['cancer', 'treated'], ['lung-cancer', 'treated']] }],
    ['General Practice', 'medical']
  ]),
  ...division('Surgery Division', [
    ['General Surgery', 'surgical', { core: true, services: [['Laparoscopic cholecystectomy', 'procedure'], ['Hernia repair', 'procedure']] }],
    ['Hepatobiliary Surgery', 'surgical', { services: [['Hepatectomy', 'procedure']] }],
    ['Gastrointestinal Surgery', 'surgical', { services: [['Laparoscopic radical gastrectomy', 'procedure']], conditions: [['cancer', 'treated']] }],
    ['Orthopedics', 'surgical', { core: true, services: [['Joint replacement', 'procedure'], ['Spinal surgery', 'procedure']] }],
    ['Neurosurgery', 'surgical', { services: [['Craniotomy', 'procedure']], conditions: [['stroke', 'treated']] }],
    ['Thoracic Surgery', 'surgical', { services: [['Video-assisted thoracoscopic lobectomy', 'procedure']], conditions: [['lung-cancer', 'treated']] }],
    ['Cardiovascular Surgery', 'surgical'],
    ['Urology', 'surgical', { core: true, services: [['Ureteroscopic lithotripsy', 'procedure'], ['Transurethral resection of the prostate', 'procedure']] }],
    ['Burns and Plastic Surgery', 'surgical'],
    ['Vascular Surgery', 'surgical'],
    ['Breast and Thyroid Surgery', 'surgical', { services: [['Thyroidectomy', 'procedure'], ['Breast cancer screening', 'screening']], conditions: [['cancer', 'screened']] }],
    ['Anorectal Surgery', 'surgical']
  ]),
  ...division('Women and Children Division', [
    ['Obstetrics', 'surgical', { core: true, services: [['Painless delivery', 'treatment'], ['Cesarean section', 'procedure']] }],
    ['Gynecology', 'surgical', {
      core: true,
      services: [['Laparoscopic surgery', 'procedure'], ['Hysteroscopic surgery', 'procedure']],
      conditions: [['gynecological-benign-tumor', 'treated'], ['gynecological-malignant-tumor', 'treated']]
    }],
    ['Neonatology', 'medical', { aliases: ['Newborn Department'] }],
    ['Pediatrics', 'medical', { core: true, services: [['General pediatric clinic', 'clinic']] }],
    ['Pediatric Surgery', 'surgical'],
    ['Reproductive Medicine Center', 'medical', { aliases: ['IVF Center'], services: [['In vitro fertilization', 'procedure']] }]
  ]),
  ...division('Emergency and Critical Care Division', [
    ['Emergency Department', 'medical', { core: true, services: [['Pre-hospital emergency transport', 'transport']] }],
    ['Intensive Care Unit', 'medical', { core: true, aliases: ['ICU'] }],
    ['Anesthesiology', 'technical', { core: true, services: [['Painless gastroscopy', 'procedure']] }],
    ['Chest Pain Center', 'medical', { services: [['Emergency percutaneous coronary intervention', 'procedure']] }],
    ['Stroke Center', 'medical', { services: [['Mechanical thrombectomy', 'procedure']], conditions: [['stroke', 'treated']] }],
    ['Trauma Center', 'surgical']
  ]),
  ...division('Medical Technology Division', [
    ['Clinical Laboratory', 'technical', { core: true }],
    ['Radiology', 'technical', { core: true, services: [['Computed tomography', 'screening'], ['Magnetic resonance imaging', 'screening']] }],
    ['Ultrasound Medicine', 'technical', { core: true, aliases: ['Ultrasound Department'], services: [['Color Doppler ultrasound', 'screening']] }],
    ['Pathology', 'technical'],
    ['Pharmacy', 'technical', { core: true, services: [['Medication consultation', 'consultation']] }],
    ['Nuclear Medicine', 'technical'],
    ['Blood Transfusion Department', 'technical'],
    ['Health Management Center', 'technical', {
      aliases: ['Medical Examination Center'],
      services: [['Health examination', 'screening'], ['Cancer risk screening', 'screening']],
      conditions: [['cancer', 'screened'], ['lung-cancer', 'screened']]
    }]
  ]),
  ...standalone([
    ['Ophthalmology', 'surgical', { services: [['Cataract surgery', 'procedure']] }],
    ['Otorhinolaryngology', 'surgical', { aliases: ['ENT Department'], services: [['Nasal endoscopic surgery', 'procedure']] }],
    ['Stomatology', 'technical', { aliases: ['Dental Department'], services: [['Dental implants', 'procedure']] }],
    ['Dermatology', 'medical'],
    ['Rehabilitation Medicine', 'medical', { services: [['Stroke rehabilitation', 'treatment']] }],
    ['Traditional Chinese Medicine Department', 'medical', { aliases: ['TCM Department'], services: [['Acupuncture', 'treatment'], ['Tuina massage', 'treatment']] }],
    ['Psychological Medicine', 'medical', { aliases: ['Psychiatry Department'], services: [['Psychological counseling', 'consultation']] }],
    ['Pain Management', 'medical'],
    ['Nutrition Department', 'technical']
  ])
]

export const catalogues: Record<HospitalFamily, CatalogueUnit[]> = { 'maternal-child': maternalChild, general }

/** The most units a hospital can have: the smaller catalogue's size. */
export const maxUnitsPerHospital = Math.min(...Object.values(catalogues).map((catalogue) => catalogue.length))

// A slug names one unit or alias within a hospital; a catalogue that broke that would fail at the first insert.
for (const [family, catalogue] of Object.entries(catalogues)) {
  const slugs = catalogue.flatMap((entry) => [entry.slug, ...entry.aliases.map(slugify)])
  const repeated = slugs.filter((slug, index) => slugs.indexOf(slug) !== index)
  if (repeated.length > 0) throw new Error(`Synthetic ${family} catalogue repeats slugs: ${repeated.join(', ')}`)
}
