// Curated seed facts for the Chongqing Health Center for Women and Children (CQHCWC).
// Every `source.quote` is copied verbatim from the named document in ./documents/ (the source text
// contains non-breaking spaces, written here as \u00a0 so they stay visible).

import type { SeedData, SeedPeriod } from './types.ts'

const doc000 = '000_5a20198f4fdda1e4.txt' as const // General Gynecology Department, updated 2021-03-03
const doc001 = '001_57199530afde975d.txt' as const // News: twins department recognized, updated 2021-04-27
const doc002 = '002_d22dcd341c396f53.txt' as const // Medical Examination Center and Cancer Screening Center, no date

// A state as of the page date (staff, beds, floor area, stated rates).
const point = (label: string | null = null): SeedPeriod => ({ kind: 'point', duration: null, start: null, end: null, label })

// Doc 000 (stated 2021-03-03): "In the past three years".
const pastThreeYears = (): SeedPeriod => ({
  kind: 'span',
  duration: 'P3Y',
  start: '2018-03-03',
  end: '2021-03-03',
  label: 'in the past three years',
})

export const seedData: SeedData = {
  // ── Source documents ────────────────────────────────────────────────────────────────────────────
  documents: [
    {
      fileName: doc000,
      title: 'General Gynecology Department',
      kind: 'department_page',
      statedOn: '2021-03-03',
      breadcrumb: 'Home>Women Health Care Division',
    },
    {
      fileName: doc001,
      title: "CQHCWC's specialized department for twins recognized nationally",
      kind: 'news_article',
      statedOn: '2021-04-27',
      breadcrumb: 'Home>Related News',
    },
    {
      fileName: doc002,
      title: 'Medical Examination Center and Cancer Screening Center',
      kind: 'center_page',
      statedOn: null,
      breadcrumb: null,
    },
  ],

  // ── Regions ─────────────────────────────────────────────────────────────────────────────────────
  // The documents place the hospital in Chongqing (its name) and state no district, so it sits in the municipality.
  regions: [
    { slug: 'china', name: 'China', level: 'country', parent: null, code: null },
    { slug: 'chongqing', name: 'Chongqing', level: 'municipality', parent: 'china', code: '500000' },
  ],

  // ── Hospitals ───────────────────────────────────────────────────────────────────────────────────
  hospitals: [
    {
      slug: 'cqhcwc',
      name: 'Chongqing Health Center for Women and Children',
      shortName: 'CQHCWC',
      city: 'Chongqing',
      province: 'Chongqing', // a municipality directly under the central government
      country: 'CN',
      region: 'chongqing',
      // Its name, in the quote below, says what it is: a health center for women and children. Its grade and ownership
      // appear in none of the three documents, so they are left unknown; an editor enters them with a PATCH and a note.
      grade: null,
      type: 'maternal_child_health',
      ownership: null,
      source: {
        document: doc000,
        quote: 'The General Gynecology Department of Chongqing Health Center for Women and Children (CQHCWC) is a key department of the hospital.',
      },
    },
  ],

  // ── Organisational units ────────────────────────────────────────────────────────────────────────
  units: [
    {
      slug: 'women-health-care-division',
      hospital: 'cqhcwc',
      parent: null,
      kind: 'division',
      name: 'Women Health Care Division',
      summary: null,
      focus: null,
      establishedYear: null,
      aliases: [],
      source: { document: doc000, quote: 'Home>Women Health Care Division' },
    },
    {
      slug: 'general-gynecology',
      hospital: 'cqhcwc',
      parent: 'women-health-care-division', // known from the page breadcrumb
      kind: 'department',
      name: 'General Gynecology Department',
      summary:
        'A key department of CQHCWC with 61 staff and 88 beds, treating benign and malignant gynecological tumors, heterotopic and cesarean scar pregnancy and intrauterine adhesion.',
      focus: 'Minimally invasive and individualized diagnosis and treatment; hysteroscopy technology.',
      establishedYear: null, // 2009 is the municipal specialty approval, not the founding
      aliases: [],
      source: {
        document: doc000,
        quote: 'The General Gynecology Department of Chongqing Health Center for Women and Children (CQHCWC) is a key department of the hospital.',
      },
    },
    {
      slug: 'twins-department',
      hospital: 'cqhcwc',
      parent: null,
      kind: 'department',
      name: 'Specialized Department for Twins',
      summary:
        'Set up in 2016 to carry out systematic specialist treatment and management for twins; recognized by the China Maternal and Child Health Association as a standardized outpatient department for twin pregnancy.',
      focus: 'Systematic specialist treatment and management for twins.',
      establishedYear: 2016,
      aliases: [
        {
          name: 'Obstetrics Second Department',
          slug: 'obstetrics-second-department',
          source: {
            document: doc001,
            quote: 'In 2016, CQHCWC set up the specialized department for twins (the obstetrics second department)\u00a0to carry\u00a0out systematic specialist treatment and management for twins.',
          },
        },
      ],
      source: {
        document: doc001,
        quote: 'In 2016, CQHCWC set up the specialized department for twins (the obstetrics second department)\u00a0to carry\u00a0out systematic specialist treatment and management for twins.',
      },
    },
    {
      slug: 'perinatal-medical-center',
      hospital: 'cqhcwc',
      parent: null,
      kind: 'center',
      name: 'Perinatal Medical Center',
      summary:
        'Established in 2018 with the University of Magdeburg in Germany; meets the German Class I standard (the highest level).',
      focus: 'One-stop perinatal full-process management for twin babies and fetal intrauterine surgery.',
      establishedYear: 2018,
      aliases: [],
      source: {
        document: doc001,
        quote: 'In 2018, CQHCWC joined hands with the University of Magdeburg in Germany to establish the Perinatal Medical Center, which meets the\u00a0German Class I standard (the highest level) and can offer "one-stop" perinatal full-process management for twin babies.',
      },
    },
    {
      slug: 'medical-examination-center',
      hospital: 'cqhcwc',
      parent: null,
      kind: 'center',
      name: 'Medical Examination Center and Cancer Screening Center',
      summary:
        'Professional medical examination institution combining general medical examination and tumor screening in Chongqing, established in 2007 and covering about 3000 square meters.',
      focus: 'Cancer risk screening.',
      establishedYear: 2007,
      aliases: [],
      source: {
        document: doc002,
        quote: 'Established in 2007, the Medical Examination Center and Cancer Screening Center covers an area of about 3000 square meters.',
      },
    },
  ],

  // ── Metric definitions (UCUM units) ─────────────────────────────────────────────────────────────
  metricDefinitions: [
    // staffing
    { code: 'staff.total', name: 'Total staff', description: 'Number of staff members in the unit.', unit: '{person}', unitLabel: 'persons', category: 'staffing', additive: true },
    { code: 'staff.doctors', name: 'Doctors', description: 'Number of doctors in the unit.', unit: '{person}', unitLabel: 'persons', category: 'staffing', additive: true },
    { code: 'staff.nurses', name: 'Nurses', description: 'Number of nurses in the unit.', unit: '{person}', unitLabel: 'persons', category: 'staffing', additive: true },
    { code: 'staff.senior_title', name: 'Staff with senior titles', description: 'Number of staff members holding a senior professional title.', unit: '{person}', unitLabel: 'persons', category: 'staffing', additive: true },
    { code: 'staff.associate_senior_title', name: 'Staff with associate senior titles', description: 'Number of staff members holding an associate senior (deputy senior) professional title.', unit: '{person}', unitLabel: 'persons', category: 'staffing', additive: true },
    { code: 'staff.md_degree', name: 'Doctors of medicine', description: 'Number of staff members holding a doctoral degree in medicine.', unit: '{person}', unitLabel: 'persons', category: 'staffing', additive: true },
    // capacity
    { code: 'beds', name: 'Beds', description: 'Number of inpatient beds in the unit.', unit: '{bed}', unitLabel: 'beds', category: 'capacity', additive: true },
    // activity
    { code: 'outpatient_visits.annual', name: 'Annual outpatient visits', description: 'Number of outpatient visits the unit handles per year.', unit: '{visit}', unitLabel: 'visits', category: 'activity', additive: true },
    { code: 'discharges.annual', name: 'Annual discharges', description: 'Number of patients discharged from the unit per year.', unit: '{patient}', unitLabel: 'patients', category: 'activity', additive: true },
    { code: 'surgeries.annual', name: 'Annual surgeries', description: 'Number of surgeries the unit performs per year.', unit: '{surgery}', unitLabel: 'surgeries', category: 'activity', additive: true },
    { code: 'hysteroscopy_surgeries.cumulative', name: 'Hysteroscopy surgeries to date', description: 'Cumulative number of hysteroscopy surgeries the unit has carried out.', unit: '{surgery}', unitLabel: 'surgeries', category: 'activity', additive: true },
    // research
    { code: 'research.papers', name: 'Published papers', description: 'Number of research papers the unit has published in the period.', unit: '{paper}', unitLabel: 'papers', category: 'research', additive: true },
    { code: 'research.sci_papers', name: 'SCI-indexed papers', description: 'Number of published papers collected by the Science Citation Index (SCI) in the period.', unit: '{paper}', unitLabel: 'papers', category: 'research', additive: true },
    { code: 'research.patents', name: 'Patents', description: 'Number of patents the unit has obtained in the period.', unit: '{patent}', unitLabel: 'patents', category: 'research', additive: true },
    { code: 'research.projects', name: 'Research projects', description: 'Number of scientific research projects the unit has presided over in the period.', unit: '{project}', unitLabel: 'projects', category: 'research', additive: true },
    // training
    { code: 'training.hysteroscopy_courses', name: 'Hysteroscopy training courses', description: 'Number of training courses on practical hysteroscopy technology the unit has organized.', unit: '{course}', unitLabel: 'courses', category: 'training', additive: true },
    { code: 'training.hysteroscopy_trainees', name: 'Hysteroscopy trainees', description: 'Number of hysteroscopy students the unit has trained.', unit: '{person}', unitLabel: 'persons', category: 'training', additive: true },
    // outcome
    { code: 'outcome.twin_gestational_age_mean', name: 'Mean gestational age of twins', description: 'Average gestational week at delivery for twins.', unit: 'wk', unitLabel: 'weeks', category: 'outcome', additive: false },
    { code: 'outcome.twin_preterm_survival_under_32w', name: 'Survival of premature twins under 32 weeks', description: 'Survival rate of premature twin babies born at less than 32 weeks of gestation.', unit: '%', unitLabel: 'percent', category: 'outcome', additive: false },
    // facility
    { code: 'facility.floor_area', name: 'Floor area', description: 'Area the unit covers.', unit: 'm2', unitLabel: 'square meters', category: 'facility', additive: true },
  ],

  // ── Observations (one per figure in the documents) ──────────────────────────────────────────────
  observations: [
    // General Gynecology — staffing (doc 000)
    {
      unit: 'general-gynecology', metric: 'staff.total', value: '61', comparator: null, approximate: false, statedValue: '61',
      period: point(), note: null,
      source: { document: doc000, quote: 'It boasts a highly skilled medical team of 61 staff members, including 21 doctors and 36 nurses.' },
    },
    {
      unit: 'general-gynecology', metric: 'staff.doctors', value: '21', comparator: null, approximate: false, statedValue: '21',
      period: point(), note: null,
      source: { document: doc000, quote: 'It boasts a highly skilled medical team of 61 staff members, including 21 doctors and 36 nurses.' },
    },
    {
      unit: 'general-gynecology', metric: 'staff.nurses', value: '36', comparator: null, approximate: false, statedValue: '36',
      period: point(), note: null,
      source: { document: doc000, quote: 'It boasts a highly skilled medical team of 61 staff members, including 21 doctors and 36 nurses.' },
    },
    {
      unit: 'general-gynecology', metric: 'staff.senior_title', value: '3', comparator: null, approximate: false, statedValue: 'Three',
      period: point(), note: null,
      source: { document: doc000, quote: 'Three have senior titles, three have senior associate titles, and three are doctors of medicine.' },
    },
    {
      unit: 'general-gynecology', metric: 'staff.associate_senior_title', value: '3', comparator: null, approximate: false, statedValue: 'three',
      period: point(), note: null,
      source: { document: doc000, quote: 'Three have senior titles, three have senior associate titles, and three are doctors of medicine.' },
    },
    {
      unit: 'general-gynecology', metric: 'staff.md_degree', value: '3', comparator: null, approximate: false, statedValue: 'three',
      period: point(), note: null,
      source: { document: doc000, quote: 'Three have senior titles, three have senior associate titles, and three are doctors of medicine.' },
    },
    // General Gynecology — capacity and annual activity (doc 000)
    {
      unit: 'general-gynecology', metric: 'beds', value: '88', comparator: null, approximate: false, statedValue: '88',
      period: point('currently'), note: null,
      source: { document: doc000, quote: 'The department currently has 88 beds, with an average annual outpatient capacity of more than 30,000, and the number of discharged patients is more than 6,000 annually.' },
    },
    {
      unit: 'general-gynecology', metric: 'outpatient_visits.annual', value: '30000', comparator: '>', approximate: false, statedValue: 'more than 30,000',
      period: { kind: 'annual', duration: 'P1Y', start: null, end: null, label: 'average annual' },
      note: 'Stated as "average annual outpatient capacity".',
      source: { document: doc000, quote: 'The department currently has 88 beds, with an average annual outpatient capacity of more than 30,000, and the number of discharged patients is more than 6,000 annually.' },
    },
    {
      unit: 'general-gynecology', metric: 'discharges.annual', value: '6000', comparator: '>', approximate: false, statedValue: 'more than 6,000',
      period: { kind: 'annual', duration: 'P1Y', start: null, end: null, label: 'annually' },
      note: null,
      source: { document: doc000, quote: 'The department currently has 88 beds, with an average annual outpatient capacity of more than 30,000, and the number of discharged patients is more than 6,000 annually.' },
    },
    {
      unit: 'general-gynecology', metric: 'surgeries.annual', value: '5000', comparator: '>', approximate: false, statedValue: 'more than 5,000',
      period: { kind: 'annual', duration: 'P1Y', start: null, end: null, label: 'each year' },
      note: null,
      source: { document: doc000, quote: 'It performs more than 5,000 surgeries each year.' },
    },
    // General Gynecology — research in the past three years (doc 000)
    {
      unit: 'general-gynecology', metric: 'research.papers', value: '40', comparator: '>', approximate: false, statedValue: 'more than 40',
      period: pastThreeYears(), note: null,
      source: { document: doc000, quote: 'In the past three years, the department has published more than 40 papers, of which seven have been collected by the Science Citation Index (SCI).' },
    },
    {
      unit: 'general-gynecology', metric: 'research.sci_papers', value: '7', comparator: null, approximate: false, statedValue: 'seven',
      period: pastThreeYears(), note: 'Of the more than 40 papers.',
      source: { document: doc000, quote: 'In the past three years, the department has published more than 40 papers, of which seven have been collected by the Science Citation Index (SCI).' },
    },
    {
      unit: 'general-gynecology', metric: 'research.patents', value: '3', comparator: null, approximate: false, statedValue: 'three',
      period: pastThreeYears(), note: null,
      source: { document: doc000, quote: 'It has also obtained three patents and presided over seven scientific research projects at the\u00a0Bureau-Director level, Provincial-Ministerial level\u00a0or above.' },
    },
    {
      unit: 'general-gynecology', metric: 'research.projects', value: '7', comparator: null, approximate: false, statedValue: 'seven',
      period: pastThreeYears(), note: 'At the Bureau-Director level, Provincial-Ministerial level or above; presided over.',
      source: { document: doc000, quote: 'It has also obtained three patents and presided over seven scientific research projects at the\u00a0Bureau-Director level, Provincial-Ministerial level\u00a0or above.' },
    },
    // General Gynecology — hysteroscopy training and surgeries (doc 000)
    {
      unit: 'general-gynecology', metric: 'training.hysteroscopy_courses', value: '6', comparator: null, approximate: false, statedValue: 'six',
      period: { kind: 'span', duration: null, start: null, end: null, label: 'in recent years' },
      note: 'Training courses on practical hysteroscopy technology at CQHCWC.',
      source: { document: doc000, quote: 'It has organized six training courses on practical hysteroscopy technology at CQHCWC and trained 300 hysteroscopy students.' },
    },
    {
      unit: 'general-gynecology', metric: 'training.hysteroscopy_trainees', value: '300', comparator: null, approximate: false, statedValue: '300',
      period: { kind: 'span', duration: null, start: null, end: null, label: 'in recent years' },
      note: null,
      source: { document: doc000, quote: 'It has organized six training courses on practical hysteroscopy technology at CQHCWC and trained 300 hysteroscopy students.' },
    },
    {
      unit: 'general-gynecology', metric: 'hysteroscopy_surgeries.cumulative', value: '100000', comparator: '<', approximate: true, statedValue: 'nearly 100,000',
      period: { kind: 'cumulative', duration: null, start: null, end: '2021-03-03', label: null },
      note: 'Total carried out up to the page date (2021-03-03).',
      source: { document: doc000, quote: 'It has carried out nearly 100,000 hysteroscopy surgeries – leading the municipality in both surgery numbers and operating difficulty.' },
    },
    // Twins department — outcomes as stated on 2021-04-27 (doc 001)
    {
      unit: 'twins-department', metric: 'outcome.twin_gestational_age_mean', value: '35.3', comparator: null, approximate: false, statedValue: '35.3',
      period: point(),
      note: 'Stated as higher than the national average levels of both China and the United States.',
      source: { document: doc001, quote: 'The average gestational week for twins is 35.3 weeks at CQHCWC, which is higher than the national average\u00a0levels of both China and the United States.' },
    },
    {
      unit: 'twins-department', metric: 'outcome.twin_preterm_survival_under_32w', value: '84.85', comparator: null, approximate: false, statedValue: '84.85',
      period: point(),
      note: 'Survival rate of premature twin babies born at less than 32 weeks, as stated on 2021-04-27.',
      source: { document: doc001, quote: 'The survival rate of premature twin babies less than 32 weeks is 84.85 percent.' },
    },
    // Medical Examination Center — facility (doc 002, undated)
    {
      unit: 'medical-examination-center', metric: 'facility.floor_area', value: '3000', comparator: null, approximate: true, statedValue: 'about 3000',
      period: point(), note: null,
      source: { document: doc002, quote: 'Established in 2007, the Medical Examination Center and Cancer Screening Center covers an area of about 3000 square meters.' },
    },
  ],

  // ── Honors ──────────────────────────────────────────────────────────────────────────────────────
  honors: [
    // General Gynecology (doc 000)
    {
      slug: 'general-gynecology-key-department', hospital: 'cqhcwc', unit: 'general-gynecology',
      title: 'Key department of the hospital', kind: 'designation', issuer: 'CQHCWC', level: 'institutional', year: null,
      source: { document: doc000, quote: 'The General Gynecology Department of Chongqing Health Center for Women and Children (CQHCWC) is a key department of the hospital.' },
    },
    {
      slug: 'general-gynecology-resident-training-base', hospital: 'cqhcwc', unit: 'general-gynecology',
      title: 'Standardized training base for gynecology and obstetrics resident physicians in Chongqing', kind: 'designation', issuer: null, level: 'municipal', year: null,
      source: { document: doc000, quote: 'It is currently a standardized training base for\u00a0gynecology\u00a0and\u00a0obstetrics\u00a0resident physicians in Chongqing and was approved as a municipal-level medical specialty department in 2009.' },
    },
    {
      slug: 'general-gynecology-municipal-specialty', hospital: 'cqhcwc', unit: 'general-gynecology',
      title: 'Municipal-level medical specialty department', kind: 'designation', issuer: null, level: 'municipal', year: 2009,
      source: { document: doc000, quote: 'It is currently a standardized training base for\u00a0gynecology\u00a0and\u00a0obstetrics\u00a0resident physicians in Chongqing and was approved as a municipal-level medical specialty department in 2009.' },
    },
    {
      slug: 'general-gynecology-hysteroscopy-leader', hospital: 'cqhcwc', unit: 'general-gynecology',
      title: 'Leading the municipality in hysteroscopy surgery numbers and operating difficulty', kind: 'distinction', issuer: null, level: 'municipal', year: null,
      source: { document: doc000, quote: 'It has carried out nearly 100,000 hysteroscopy surgeries – leading the municipality in both surgery numbers and operating difficulty.' },
    },
    // Twins department (doc 001; approved "recently" before 2021-04-27, year not stated)
    {
      slug: 'twins-standardized-outpatient-department', hospital: 'cqhcwc', unit: 'twins-department',
      title: 'Standardized outpatient department for twin pregnancy', kind: 'accreditation', issuer: 'China Maternal and Child Health Association', level: 'national', year: null,
      source: { document: doc001, quote: "Chongqing Health Center for Women and Children (CQHCWC)'s specialized department for twins\u00a0was recently approved by the China Maternal and Child Health Association as a standardized outpatient department for twin pregnancy and a pilot unit for the standardized management improvement project of twin pregnancy." },
    },
    {
      slug: 'twins-standardized-management-pilot-unit', hospital: 'cqhcwc', unit: 'twins-department',
      title: 'Pilot unit for the standardized management improvement project of twin pregnancy', kind: 'designation', issuer: 'China Maternal and Child Health Association', level: 'national', year: null,
      source: { document: doc001, quote: "Chongqing Health Center for Women and Children (CQHCWC)'s specialized department for twins\u00a0was recently approved by the China Maternal and Child Health Association as a standardized outpatient department for twin pregnancy and a pilot unit for the standardized management improvement project of twin pregnancy." },
    },
    {
      slug: 'twins-first-standardized-management-institution-chongqing', hospital: 'cqhcwc', unit: 'twins-department',
      title: "Chongqing's first and only twin pregnancy standardized management institution recognized by the China Maternal and Child Health Association", kind: 'distinction', issuer: null, level: 'municipal', year: null,
      source: { document: doc001, quote: "It is Chongqing's first and only twin pregnancy standardized management institution recognized by the association." },
    },
    // Perinatal Medical Center (doc 001)
    {
      slug: 'perinatal-german-class-i-standard', hospital: 'cqhcwc', unit: 'perinatal-medical-center',
      title: 'Meets the German Class I standard (the highest level)', kind: 'accreditation', issuer: null, level: 'international', year: 2018,
      source: { document: doc001, quote: 'In 2018, CQHCWC joined hands with the University of Magdeburg in Germany to establish the Perinatal Medical Center, which meets the\u00a0German Class I standard (the highest level) and can offer "one-stop" perinatal full-process management for twin babies.' },
    },
    {
      slug: 'perinatal-only-feto-center-china', hospital: 'cqhcwc', unit: 'perinatal-medical-center',
      title: 'Only perinatal center in China that can carry out fetoscopic endoluminal tracheal occlusion (FETO)', kind: 'distinction', issuer: null, level: 'national', year: null,
      source: { document: doc001, quote: 'It is now the only perinatal center in China that can carry out this operation.' },
    },
    {
      slug: 'perinatal-most-fetal-surgical-methods', hospital: 'cqhcwc', unit: 'perinatal-medical-center',
      title: 'One of the fetal medical centers with the most fetal surgical methods and comprehensive coverage of fetal diseases in the country', kind: 'distinction', issuer: null, level: 'national', year: null,
      source: { document: doc001, quote: 'The center can\u00a0carry out all intrauterine surgeries for twin fetuses\u00a0and is one of the fetal medical centers with the most fetal surgical methods and comprehensive coverage of fetal diseases in the country.' },
    },
    // Hospital-wide (doc 001)
    {
      slug: 'cqhcwc-only-giraffe-shuttle-china', hospital: 'cqhcwc', unit: null,
      title: 'Only hospital in China with the Giraffe Shuttle', kind: 'distinction', issuer: null, level: 'national', year: null,
      source: { document: doc001, quote: 'The hospital is also the only one in China that boasts the Giraffe Shuttle, which is a\u00a0piece\u00a0of\u00a0advanced rescue and transport equipment known as the "Rolls Royce" for newborns.' },
    },
    // Medical Examination Center (doc 002)
    {
      slug: 'medical-examination-only-professional-institution-chongqing', hospital: 'cqhcwc', unit: 'medical-examination-center',
      title: 'Only professional medical examination institution with general medical examination and tumor screening in Chongqing', kind: 'distinction', issuer: null, level: 'municipal', year: null,
      source: { document: doc002, quote: 'It is the only professional medical examination institution with the characteristics of general medical examination and tumor screening in Chongqing, covering cancer risk screening, physical examination, health consultation, health care and health management, and integrating scientific research and teaching as well.' },
    },
    {
      slug: 'medical-examination-health-management-demonstration-base', hospital: 'cqhcwc', unit: 'medical-examination-center',
      title: 'National health management demonstration base', kind: 'designation', issuer: null, level: 'national', year: null,
      source: { document: doc002, quote: 'At the same time, it is also the national health management demonstration base, the national collaborative unit of stroke early warning and cerebrovascular health management research, the council members of Southwest Health Management Alliance, and the collaborating unit of the multi-center application research on lung cancer early screening for physical examination population.' },
    },
    {
      slug: 'medical-examination-stroke-collaborative-unit', hospital: 'cqhcwc', unit: 'medical-examination-center',
      title: 'National collaborative unit of stroke early warning and cerebrovascular health management research', kind: 'designation', issuer: null, level: 'national', year: null,
      source: { document: doc002, quote: 'At the same time, it is also the national health management demonstration base, the national collaborative unit of stroke early warning and cerebrovascular health management research, the council members of Southwest Health Management Alliance, and the collaborating unit of the multi-center application research on lung cancer early screening for physical examination population.' },
    },
    {
      slug: 'medical-examination-southwest-alliance-council', hospital: 'cqhcwc', unit: 'medical-examination-center',
      title: 'Council member of the Southwest Health Management Alliance', kind: 'membership', issuer: 'Southwest Health Management Alliance', level: 'regional', year: null,
      source: { document: doc002, quote: 'At the same time, it is also the national health management demonstration base, the national collaborative unit of stroke early warning and cerebrovascular health management research, the council members of Southwest Health Management Alliance, and the collaborating unit of the multi-center application research on lung cancer early screening for physical examination population.' },
    },
    {
      slug: 'medical-examination-lung-cancer-screening-collaborator', hospital: 'cqhcwc', unit: 'medical-examination-center',
      title: 'Collaborating unit of the multi-center application research on lung cancer early screening for physical examination population', kind: 'membership', issuer: null, level: null, year: null,
      source: { document: doc002, quote: 'At the same time, it is also the national health management demonstration base, the national collaborative unit of stroke early warning and cerebrovascular health management research, the council members of Southwest Health Management Alliance, and the collaborating unit of the multi-center application research on lung cancer early screening for physical examination population.' },
    },
  ],

  // ── Services ────────────────────────────────────────────────────────────────────────────────────
  services: [
    // General Gynecology — "Scope of diagnosis and treatment" (doc 000)
    { unit: 'general-gynecology', slug: 'laparoscopic-surgery', name: 'Laparoscopic surgeries', kind: 'procedure', description: null, source: { document: doc000, quote: 'Laparoscopic surgeries;' } },
    { unit: 'general-gynecology', slug: 'hysteroscopic-surgery', name: 'Hysteroscopic surgeries', kind: 'procedure', description: null, source: { document: doc000, quote: 'Hysteroscopic surgeries;' } },
    { unit: 'general-gynecology', slug: 'transvaginal-surgery', name: 'Transvaginal surgeries', kind: 'procedure', description: null, source: { document: doc000, quote: 'Transvaginal surgeries;' } },
    { unit: 'general-gynecology', slug: 'laparotomy', name: 'Laparotomies', kind: 'procedure', description: null, source: { document: doc000, quote: 'Laparotomies;' } },
    { unit: 'general-gynecology', slug: 'conservative-treatment', name: 'Conservative treatment', kind: 'treatment', description: null, source: { document: doc000, quote: 'Conservative treatment;' } },
    // Twins department (doc 001)
    {
      unit: 'twins-department', slug: 'twin-pregnancy-outpatient-clinic', name: 'Standardized outpatient clinic for twin pregnancy', kind: 'clinic',
      description: 'Approved by the China Maternal and Child Health Association as a standardized outpatient department for twin pregnancy.',
      source: { document: doc001, quote: "Chongqing Health Center for Women and Children (CQHCWC)'s specialized department for twins\u00a0was recently approved by the China Maternal and Child Health Association as a standardized outpatient department for twin pregnancy and a pilot unit for the standardized management improvement project of twin pregnancy." },
    },
    {
      unit: 'twins-department', slug: 'twin-specialist-management', name: 'Systematic specialist treatment and management for twins', kind: 'management',
      description: null,
      source: { document: doc001, quote: 'In 2016, CQHCWC set up the specialized department for twins (the obstetrics second department)\u00a0to carry\u00a0out systematic specialist treatment and management for twins.' },
    },
    // Perinatal Medical Center (doc 001)
    {
      unit: 'perinatal-medical-center', slug: 'one-stop-perinatal-management', name: 'One-stop perinatal full-process management for twin babies', kind: 'management',
      description: null,
      source: { document: doc001, quote: 'In 2018, CQHCWC joined hands with the University of Magdeburg in Germany to establish the Perinatal Medical Center, which meets the\u00a0German Class I standard (the highest level) and can offer "one-stop" perinatal full-process management for twin babies.' },
    },
    {
      unit: 'perinatal-medical-center', slug: 'feto', name: 'Fetoscopic endoluminal tracheal occlusion (FETO)', kind: 'procedure',
      description: 'Regarded as the most difficult surgery in fetal intrauterine treatment; completed at the center in 2020.',
      source: { document: doc001, quote: 'In 2020, the center completed the fetoscopic endoluminal tracheal occlusion (FETO), which is regarded as the most difficult surgery in fetal intrauterine treatment.' },
    },
    {
      unit: 'perinatal-medical-center', slug: 'twin-fetal-intrauterine-surgery', name: 'Intrauterine surgery for twin fetuses', kind: 'procedure',
      description: 'The center can carry out all intrauterine surgeries for twin fetuses.',
      source: { document: doc001, quote: 'The center can\u00a0carry out all intrauterine surgeries for twin fetuses\u00a0and is one of the fetal medical centers with the most fetal surgical methods and comprehensive coverage of fetal diseases in the country.' },
    },
    {
      unit: 'perinatal-medical-center', slug: 'giraffe-shuttle-newborn-transport', name: 'Newborn rescue transport with the Giraffe Shuttle', kind: 'transport',
      description: 'Advanced rescue and transport equipment for newborns, known as the "Rolls Royce" for newborns; the source attributes it to the hospital.',
      source: { document: doc001, quote: 'The hospital is also the only one in China that boasts the Giraffe Shuttle, which is a\u00a0piece\u00a0of\u00a0advanced rescue and transport equipment known as the "Rolls Royce" for newborns.' },
    },
    // Medical Examination Center (doc 002)
    {
      unit: 'medical-examination-center', slug: 'cancer-risk-screening', name: 'Cancer risk screening', kind: 'screening', description: null,
      source: { document: doc002, quote: 'It is the only professional medical examination institution with the characteristics of general medical examination and tumor screening in Chongqing, covering cancer risk screening, physical examination, health consultation, health care and health management, and integrating scientific research and teaching as well.' },
    },
    {
      unit: 'medical-examination-center', slug: 'physical-examination', name: 'Physical examination', kind: 'screening', description: null,
      source: { document: doc002, quote: 'It is the only professional medical examination institution with the characteristics of general medical examination and tumor screening in Chongqing, covering cancer risk screening, physical examination, health consultation, health care and health management, and integrating scientific research and teaching as well.' },
    },
    {
      unit: 'medical-examination-center', slug: 'health-consultation', name: 'Health consultation', kind: 'consultation', description: null,
      source: { document: doc002, quote: 'It is the only professional medical examination institution with the characteristics of general medical examination and tumor screening in Chongqing, covering cancer risk screening, physical examination, health consultation, health care and health management, and integrating scientific research and teaching as well.' },
    },
    {
      unit: 'medical-examination-center', slug: 'health-care', name: 'Health care', kind: 'management', description: null,
      source: { document: doc002, quote: 'It is the only professional medical examination institution with the characteristics of general medical examination and tumor screening in Chongqing, covering cancer risk screening, physical examination, health consultation, health care and health management, and integrating scientific research and teaching as well.' },
    },
    {
      unit: 'medical-examination-center', slug: 'health-management', name: 'Health management', kind: 'management', description: null,
      source: { document: doc002, quote: 'It is the only professional medical examination institution with the characteristics of general medical examination and tumor screening in Chongqing, covering cancer risk screening, physical examination, health consultation, health care and health management, and integrating scientific research and teaching as well.' },
    },
    {
      unit: 'medical-examination-center', slug: 'personalized-tumor-risk-screening', name: 'Personalized tumor risk screening programs', kind: 'screening',
      description: 'Designed by experienced clinicians based on examinees’ age, needs, occupations, living habits and family history.',
      source: { document: doc002, quote: 'Based on the differences on examinees’ age, needs, occupations, living habits and family history, experts with rich clinical experience in our center carefully design personalized tumor risk screening programs, make health situation analysis and provide scientific guidance.' },
    },
    {
      unit: 'medical-examination-center', slug: 'chronic-disease-management', name: 'Post-examination chronic disease management', kind: 'management', description: null,
      source: { document: doc002, quote: 'The center is characterized by cancer risk screening; in the screening process, it focuses on pre-examination risk assessment, in-process quality management and post-examination chronic disease management; the center aims at "professional and personalized" services.' },
    },
    {
      unit: 'medical-examination-center', slug: 'long-term-follow-up-archives', name: 'Long-term follow-up archives', kind: 'management',
      description: 'Intervening in the poor lifestyles and living habits of the subjects through health management.',
      source: { document: doc002, quote: 'Establishing long-term follow-up archives: By intervening in the poor lifestyles and living habits of the subjects through health management, the center is to improve national health literacy, to increase awareness of regular health checkups and tumor screening, and to achieve tertiary prevention for people with high risk in cancer.' },
    },
  ],

  // ── Conditions (shared catalogue) ───────────────────────────────────────────────────────────────
  conditions: [
    { slug: 'gynecological-benign-tumor', name: 'Gynecological benign tumor' },
    { slug: 'gynecological-malignant-tumor', name: 'Gynecological malignant tumor' },
    { slug: 'heterotopic-pregnancy', name: 'Heterotopic pregnancy' },
    { slug: 'cesarean-scar-pregnancy', name: 'Cesarean scar pregnancy' },
    { slug: 'intrauterine-adhesion', name: 'Intrauterine adhesion' },
    { slug: 'twin-pregnancy', name: 'Twin pregnancy' },
    { slug: 'fetal-disease', name: 'Fetal disease' },
    { slug: 'cancer', name: 'Cancer' },
    { slug: 'lung-cancer', name: 'Lung cancer' },
    { slug: 'stroke', name: 'Stroke' },
  ],

  // ── Which unit treats, manages or screens which condition ───────────────────────────────────────
  unitConditions: [
    // General Gynecology (doc 000)
    { unit: 'general-gynecology', condition: 'gynecological-benign-tumor', relation: 'treated', source: { document: doc000, quote: 'The department mainly treats diseases, including various gynecological benign and malignant tumors, heterotopic pregnancy, cesarean scar pregnancy and intrauterine adhesion.' } },
    { unit: 'general-gynecology', condition: 'gynecological-malignant-tumor', relation: 'treated', source: { document: doc000, quote: 'The department mainly treats diseases, including various gynecological benign and malignant tumors, heterotopic pregnancy, cesarean scar pregnancy and intrauterine adhesion.' } },
    { unit: 'general-gynecology', condition: 'heterotopic-pregnancy', relation: 'treated', source: { document: doc000, quote: 'The department mainly treats diseases, including various gynecological benign and malignant tumors, heterotopic pregnancy, cesarean scar pregnancy and intrauterine adhesion.' } },
    { unit: 'general-gynecology', condition: 'cesarean-scar-pregnancy', relation: 'treated', source: { document: doc000, quote: 'The department mainly treats diseases, including various gynecological benign and malignant tumors, heterotopic pregnancy, cesarean scar pregnancy and intrauterine adhesion.' } },
    { unit: 'general-gynecology', condition: 'intrauterine-adhesion', relation: 'treated', source: { document: doc000, quote: 'The department mainly treats diseases, including various gynecological benign and malignant tumors, heterotopic pregnancy, cesarean scar pregnancy and intrauterine adhesion.' } },
    // Twins department (doc 001)
    { unit: 'twins-department', condition: 'twin-pregnancy', relation: 'managed', source: { document: doc001, quote: "It is Chongqing's first and only twin pregnancy standardized management institution recognized by the association." } },
    // Perinatal Medical Center (doc 001)
    { unit: 'perinatal-medical-center', condition: 'fetal-disease', relation: 'treated', source: { document: doc001, quote: 'The center can\u00a0carry out all intrauterine surgeries for twin fetuses\u00a0and is one of the fetal medical centers with the most fetal surgical methods and comprehensive coverage of fetal diseases in the country.' } },
    // Medical Examination Center (doc 002)
    { unit: 'medical-examination-center', condition: 'cancer', relation: 'screened', source: { document: doc002, quote: 'The center is characterized by cancer risk screening; in the screening process, it focuses on pre-examination risk assessment, in-process quality management and post-examination chronic disease management; the center aims at "professional and personalized" services.' } },
    { unit: 'medical-examination-center', condition: 'lung-cancer', relation: 'screened', source: { document: doc002, quote: 'At the same time, it is also the national health management demonstration base, the national collaborative unit of stroke early warning and cerebrovascular health management research, the council members of Southwest Health Management Alliance, and the collaborating unit of the multi-center application research on lung cancer early screening for physical examination population.' } },
    { unit: 'medical-examination-center', condition: 'stroke', relation: 'screened', source: { document: doc002, quote: 'At the same time, it is also the national health management demonstration base, the national collaborative unit of stroke early warning and cerebrovascular health management research, the council members of Southwest Health Management Alliance, and the collaborating unit of the multi-center application research on lung cancer early screening for physical examination population.' } },
  ],

  // ── Timeline (chronological; undated events last) ───────────────────────────────────────────────
  events: [
    {
      slug: 'medical-examination-center-established', hospital: 'cqhcwc', unit: 'medical-examination-center',
      title: 'Medical Examination Center and Cancer Screening Center established', description: null,
      kind: 'founding', year: 2007, occurredOn: '2007-01-01', datePrecision: 'year',
      source: { document: doc002, quote: 'Established in 2007, the Medical Examination Center and Cancer Screening Center covers an area of about 3000 square meters.' },
    },
    {
      slug: 'general-gynecology-municipal-specialty-approved', hospital: 'cqhcwc', unit: 'general-gynecology',
      title: 'General Gynecology approved as a municipal-level medical specialty department', description: null,
      kind: 'designation', year: 2009, occurredOn: '2009-01-01', datePrecision: 'year',
      source: { document: doc000, quote: 'It is currently a standardized training base for\u00a0gynecology\u00a0and\u00a0obstetrics\u00a0resident physicians in Chongqing and was approved as a municipal-level medical specialty department in 2009.' },
    },
    {
      slug: 'twins-department-set-up', hospital: 'cqhcwc', unit: 'twins-department',
      title: 'Specialized department for twins set up', description: 'Set up as the obstetrics second department to carry out systematic specialist treatment and management for twins.',
      kind: 'founding', year: 2016, occurredOn: '2016-01-01', datePrecision: 'year',
      source: { document: doc001, quote: 'In 2016, CQHCWC set up the specialized department for twins (the obstetrics second department)\u00a0to carry\u00a0out systematic specialist treatment and management for twins.' },
    },
    {
      slug: 'perinatal-medical-center-established', hospital: 'cqhcwc', unit: 'perinatal-medical-center',
      title: 'Perinatal Medical Center established with the University of Magdeburg, Germany', description: 'Established jointly with the University of Magdeburg in Germany; meets the German Class I standard (the highest level).',
      kind: 'partnership', year: 2018, occurredOn: '2018-01-01', datePrecision: 'year',
      source: { document: doc001, quote: 'In 2018, CQHCWC joined hands with the University of Magdeburg in Germany to establish the Perinatal Medical Center, which meets the\u00a0German Class I standard (the highest level) and can offer "one-stop" perinatal full-process management for twin babies.' },
    },
    {
      slug: 'perinatal-feto-completed', hospital: 'cqhcwc', unit: 'perinatal-medical-center',
      title: 'Fetoscopic endoluminal tracheal occlusion (FETO) completed', description: 'Regarded as the most difficult surgery in fetal intrauterine treatment.',
      kind: 'milestone', year: 2020, occurredOn: '2020-01-01', datePrecision: 'year',
      source: { document: doc001, quote: 'In 2020, the center completed the fetoscopic endoluminal tracheal occlusion (FETO), which is regarded as the most difficult surgery in fetal intrauterine treatment.' },
    },
    {
      slug: 'twins-department-recognized-by-cmcha', hospital: 'cqhcwc', unit: 'twins-department',
      title: 'Twins department recognized by the China Maternal and Child Health Association',
      description: 'Reported on 2021-04-27 as recent: approved as a standardized outpatient department for twin pregnancy and a pilot unit for the standardized management improvement project of twin pregnancy.',
      kind: 'recognition', year: null, occurredOn: null, datePrecision: 'unknown',
      source: { document: doc001, quote: "Chongqing Health Center for Women and Children (CQHCWC)'s specialized department for twins\u00a0was recently approved by the China Maternal and Child Health Association as a standardized outpatient department for twin pregnancy and a pilot unit for the standardized management improvement project of twin pregnancy." },
    },
    {
      slug: 'giraffe-shuttle', hospital: 'cqhcwc', unit: null,
      title: 'Only hospital in China with the Giraffe Shuttle', description: 'Advanced rescue and transport equipment known as the "Rolls Royce" for newborns; date of acquisition not stated.',
      kind: 'equipment', year: null, occurredOn: null, datePrecision: 'unknown',
      source: { document: doc001, quote: 'The hospital is also the only one in China that boasts the Giraffe Shuttle, which is a\u00a0piece\u00a0of\u00a0advanced rescue and transport equipment known as the "Rolls Royce" for newborns.' },
    },
  ],

  // ── News ────────────────────────────────────────────────────────────────────────────────────────
  newsArticles: [
    {
      slug: 'twins-department-recognized-nationally',
      hospital: 'cqhcwc',
      title: "CQHCWC's specialized department for twins recognized nationally",
      publishedOn: '2021-04-27',
      summary:
        "Chongqing Health Center for Women and Children (CQHCWC)'s specialized department for twins\u00a0was recently approved by the China Maternal and Child Health Association as a standardized outpatient department for twin pregnancy and a pilot unit for the standardized management improvement project of twin pregnancy.",
      body: [
        "Chongqing Health Center for Women and Children (CQHCWC)'s specialized department for twins\u00a0was recently approved by the China Maternal and Child Health Association as a standardized outpatient department for twin pregnancy and a pilot unit for the standardized management improvement project of twin pregnancy.",
        "It is Chongqing's first and only twin pregnancy standardized management institution recognized by the association.",
        'In 2016, CQHCWC set up the specialized department for twins (the obstetrics second department)\u00a0to carry\u00a0out systematic specialist treatment and management for twins.',
        'The average gestational week for twins is 35.3 weeks at CQHCWC, which is higher than the national average\u00a0levels of both China and the United States. The survival rate of premature twin babies less than 32 weeks is 84.85 percent.',
        'In 2018, CQHCWC joined hands with the University of Magdeburg in Germany to establish the Perinatal Medical Center, which meets the\u00a0German Class I standard (the highest level) and can offer "one-stop" perinatal full-process management for twin babies.',
        'The hospital is also the only one in China that boasts the Giraffe Shuttle, which is a\u00a0piece\u00a0of\u00a0advanced rescue and transport equipment known as the "Rolls Royce" for newborns.',
        'In 2020, the center completed the fetoscopic endoluminal tracheal occlusion (FETO), which is regarded as the most difficult surgery in fetal intrauterine treatment. It is now the only perinatal center in China that can carry out this operation.',
        'The center can\u00a0carry out all intrauterine surgeries for twin fetuses\u00a0and is one of the fetal medical centers with the most fetal surgical methods and comprehensive coverage of fetal diseases in the country.',
        'The specialized department\u00a0for twins\u00a0and the Perinatal Medical Center of CQHCWC will continue to offer compassionate services for mothers undergoing a twin pregnancy and twin babies.',
      ].join('\n\n'),
      imageFile: '妇幼 双胎.jpg',
      imageCaption: "Honors received by CQHCWC's specialized department for twins\u00a0from the China Maternal and Child Health Association\u00a0[Photo/CQHCWC]",
      units: ['twins-department', 'perinatal-medical-center'],
      source: {
        document: doc001,
        quote: "Chongqing Health Center for Women and Children (CQHCWC)'s specialized department for twins\u00a0was recently approved by the China Maternal and Child Health Association as a standardized outpatient department for twin pregnancy and a pilot unit for the standardized management improvement project of twin pregnancy.",
      },
    },
  ],
}
