// The derived indicators: each divides one metric by another. A ratio is given for a unit only where both inputs
// exist; its value carries the inputs' qualifiers (lib/qualified.ts).

export interface RatioDefinition {
  code: string
  name: string
  numerator: string
  denominator: string
  unit: string
}

export const ratioDefinitions: RatioDefinition[] = [
  { code: 'beds_per_nurse', name: 'Beds per nurse', numerator: 'beds', denominator: 'staff.nurses', unit: '{bed}/{nurse}' },
  { code: 'nurses_per_doctor', name: 'Nurses per doctor', numerator: 'staff.nurses', denominator: 'staff.doctors', unit: '{nurse}/{doctor}' },
  { code: 'surgeries_per_bed', name: 'Annual surgeries per bed', numerator: 'surgeries.annual', denominator: 'beds', unit: '{surgery}/{bed}/a' },
  { code: 'bed_turnover', name: 'Annual discharges per bed (bed turnover)', numerator: 'discharges.annual', denominator: 'beds', unit: '{discharge}/{bed}/a' },
  { code: 'outpatients_per_doctor', name: 'Annual outpatient visits per doctor', numerator: 'outpatient_visits.annual', denominator: 'staff.doctors', unit: '{visit}/{doctor}/a' },
  { code: 'senior_title_share', name: 'Share of staff with senior titles', numerator: 'staff.senior_title', denominator: 'staff.total', unit: '1' }
]

export const ratioCodes = ratioDefinitions.map((definition) => definition.code)
