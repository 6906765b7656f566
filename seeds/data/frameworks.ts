import { FrameworkStatus, FundingType } from '../../src/modules/framework/framework.entity.js';

export interface FrameworkSeed {
  code: string;
  name: string;
  owner: string;
  status: FrameworkStatus;
  activeFrom: string;
  expiresOn: string | null;
  maximumTermMonths: number;
  practicesMayBuyDirectly: boolean;
  fundingTypes: FundingType[];
  description: string;
  lots: { number: number; name: string }[];
}

// Codes, names, owners, the 36-month term and practices' direct access are from DOMAIN.md.
// Dates and the HSSF lot names other than "Local Health and Care Record" and "Patient empowerment
// and activation" are illustrative.
export const frameworks: FrameworkSeed[] = [
  {
    code: 'HSSF',
    name: 'Health Systems Support Framework',
    owner: 'NHS England',
    status: FrameworkStatus.LIVE,
    activeFrom: '2021-04-01',
    expiresOn: '2027-03-31',
    maximumTermMonths: 36,
    practicesMayBuyDirectly: true,
    fundingTypes: [FundingType.GPIT_FUNDING, FundingType.LOCAL_FUNDING],
    description: 'Services and systems that support integrated care, from shared care records to GP IT enabling services.',
    lots: [
      { number: 1, name: 'Local Health and Care Record' },
      { number: 2, name: 'Patient empowerment and activation' },
      { number: 3, name: 'Population health management' },
      { number: 4, name: 'Integrated care and shared care planning' },
      { number: 5, name: 'Digital transformation and advisory services' },
      { number: 6, name: 'Infrastructure and hosting services' },
      { number: 7, name: 'GP IT enabling and support services' },
      { number: 8, name: 'Cyber security services' },
      { number: 9, name: 'Data and analytics platforms' },
      { number: 10, name: 'Clinical and digital workforce services' },
    ],
  },
  {
    code: 'DCS',
    name: 'Digital Care Services catalogue',
    owner: 'NHS England',
    status: FrameworkStatus.LIVE,
    activeFrom: '2023-04-01',
    expiresOn: '2027-03-31',
    maximumTermMonths: 36,
    practicesMayBuyDirectly: true,
    fundingTypes: [FundingType.GPIT_FUNDING, FundingType.LOCAL_FUNDING],
    description: 'The default route for GP IT catalogue solutions since GP IT Futures expired on 31 March 2023.',
    lots: [{ number: 1, name: 'Catalogue Solutions' }],
  },
  {
    code: 'NHSDGP001',
    name: 'GP IT Futures Framework 1',
    owner: 'NHS Digital',
    status: FrameworkStatus.EXPIRED,
    activeFrom: '2020-01-06',
    expiresOn: '2023-03-31',
    maximumTermMonths: 36,
    practicesMayBuyDirectly: false,
    fundingTypes: [FundingType.GPIT_FUNDING],
    description: 'The GP IT Futures framework for foundation and catalogue solutions; replaced by the DCS catalogue.',
    lots: [{ number: 1, name: 'Catalogue Solutions' }],
  },
  {
    code: 'TIF001',
    name: 'Tech Innovation Framework',
    owner: 'NHS England',
    status: FrameworkStatus.LIVE,
    activeFrom: '2023-10-01',
    expiresOn: '2027-09-30',
    maximumTermMonths: 36,
    practicesMayBuyDirectly: false,
    fundingTypes: [FundingType.GPIT_FUNDING, FundingType.LOCAL_FUNDING],
    description: 'Innovative digital products for primary care.',
    lots: [{ number: 1, name: 'Technology innovation solutions' }],
  },
  {
    code: 'ATP001',
    name: 'Advanced Telephony',
    owner: 'NHS England',
    status: FrameworkStatus.LIVE,
    activeFrom: '2023-06-01',
    expiresOn: '2027-05-31',
    maximumTermMonths: 36,
    practicesMayBuyDirectly: false,
    fundingTypes: [FundingType.GPIT_FUNDING],
    description: 'Cloud-based advanced telephony for general practice.',
    lots: [{ number: 1, name: 'Advanced Telephony' }],
  },
  {
    code: 'DFOCVC001',
    name: 'Digital First Online Consultation and Video Consultation',
    owner: 'NHS England',
    status: FrameworkStatus.EXPIRED,
    activeFrom: '2020-09-01',
    expiresOn: '2024-08-31',
    maximumTermMonths: 36,
    practicesMayBuyDirectly: false,
    fundingTypes: [FundingType.GPIT_FUNDING],
    description: 'Online consultation and video consultation solutions for general practice.',
    lots: [{ number: 1, name: 'Online Consultation and Video Consultation' }],
  },
];
