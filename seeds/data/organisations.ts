import { OrganisationRole } from '../../src/modules/organisation/organisation.entity.js';

export interface OrganisationSeed {
  odsCode: string;
  name: string;
  role: OrganisationRole;
  postcode: string | null;
  parent: string | null;
  /** A practice's registered patients and the date of the figure (null for others). */
  registeredPatients?: number | null;
  registeredPatientsOn?: string | null;
}

/** The date of the sample practices' list sizes (NHS Digital publishes them monthly). */
export const REGISTERED_PATIENTS_ON = '2026-10-01';

/**
 * A plausible list size for a practice, 2,500 to 19,999, fixed by its ODS code (the same on every
 * seed): English practices average about 10,000 registered patients.
 */
export function plausibleListSize(odsCode: string): number {
  let hash = 2166136261;
  for (const c of odsCode) hash = Math.imul(hash ^ c.charCodeAt(0), 16777619) >>> 0;
  return 2_500 + (hash % 17_500);
}

const icb = (odsCode: string, name: string, postcode: string): OrganisationSeed => ({
  odsCode, name, role: OrganisationRole.ICB, postcode, parent: null,
});
const subIcb = (odsCode: string, name: string, parent: string, postcode: string): OrganisationSeed => ({
  odsCode, name, role: OrganisationRole.SUB_ICB_LOCATION, postcode, parent,
});
const practice = (odsCode: string, name: string, parent: string, postcode: string): OrganisationSeed => ({
  odsCode, name, role: OrganisationRole.GP_PRACTICE, postcode, parent,
  registeredPatients: plausibleListSize(odsCode), registeredPatientsOn: REGISTERED_PATIENTS_ON,
});

// ICB and sub-ICB location codes are real ODS codes. Practice B84001 Station Road Surgery is from
// DOMAIN.md; the other practices' codes follow their commissioner's ODS prefix but their names and
// postcodes are illustrative.
export const organisations: OrganisationSeed[] = [
  icb('QWO', 'NHS West Yorkshire Integrated Care Board', 'WF1 1LT'),
  subIcb('02T', 'NHS West Yorkshire ICB - 02T (Calderdale)', 'QWO', 'HX1 1UJ'),
  subIcb('15F', 'NHS West Yorkshire ICB - 15F (Leeds)', 'QWO', 'LS1 4HR'),
  subIcb('36J', 'NHS West Yorkshire ICB - 36J (Bradford District and Craven)', 'QWO', 'BD1 4AS'),
  subIcb('03R', 'NHS West Yorkshire ICB - 03R (Wakefield)', 'QWO', 'WF1 1LT'),
  icb('QOP', 'NHS Greater Manchester Integrated Care Board', 'M1 3BN'),
  subIcb('14L', 'NHS Greater Manchester ICB - 14L (Manchester)', 'QOP', 'M60 7RA'),
  subIcb('00T', 'NHS Greater Manchester ICB - 00T (Bolton)', 'QOP', 'BL3 6SY'),
  subIcb('01W', 'NHS Greater Manchester ICB - 01W (Stockport)', 'QOP', 'SK1 3XE'),
  {
    odsCode: '0DF', name: 'North of England Commissioning Support Unit (illustrative)', role: OrganisationRole.CSU,
    postcode: 'SR5 3XB', parent: null,
  },

  practice('B84001', 'Station Road Surgery', '02T', 'HX6 3AB'),
  practice('B84002', 'Horton Bank Medical Centre', '02T', 'HX3 0AN'),
  practice('B84003', 'Calder Valley Health Centre', '02T', 'HX7 8AD'),
  practice('B84004', 'Brighouse Family Practice', '02T', 'HD6 1RT'),
  practice('B84005', 'Todmorden Group Practice', '02T', 'OL14 5RN'),
  practice('B84006', 'Elland Medical Practice', '02T', 'HX5 0BB'),
  practice('B84007', 'Sowerby Bridge Surgery', '02T', 'HX6 2AT'),
  practice('B86001', 'Armley Moor Health Centre', '15F', 'LS12 3HD'),
  practice('B86002', 'Chapel Allerton Surgery', '15F', 'LS7 4SA'),
  practice('B86003', 'Headingley Medical Practice', '15F', 'LS6 3EH'),
  practice('B86004', 'Kirkstall Lane Surgery', '15F', 'LS5 3BE'),
  practice('B83001', 'Shipley Medical Practice', '36J', 'BD18 3EG'),
  practice('B83002', 'Skipton Road Surgery', '36J', 'BD20 6DX'),
  practice('B87001', 'Wakefield Westgate Surgery', '03R', 'WF1 2QY'),
  practice('B87002', 'Ossett Health Centre', '03R', 'WF5 8DP'),
  practice('P84001', 'Ardwick Medical Practice', '14L', 'M12 6HR'),
  practice('P84002', 'Didsbury Village Surgery', '14L', 'M20 6RT'),
  practice('P84003', 'Levenshulme Health Centre', '14L', 'M19 3BX'),
  practice('P82001', 'Bolton Central Surgery', '00T', 'BL1 1PP'),
  practice('P82002', 'Farnworth Family Practice', '00T', 'BL4 7AL'),
  practice('P88001', 'Bramhall Medical Centre', '01W', 'SK7 2AA'),
  practice('P88002', 'Hazel Grove Surgery', '01W', 'SK7 4EL'),
];
