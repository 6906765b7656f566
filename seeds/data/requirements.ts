import { CertificationType } from '../../src/modules/certification/certification.entity.js';
import { DsptStatus } from '../../src/modules/dspt/dspt.entity.js';
import { CriterionType, type TypedCriterion } from '../../src/modules/matching/criteria/index.js';
import { RequirementPriority } from '../../src/modules/specification/specification.entity.js';

export interface RequirementSeed {
  code: string;
  title: string;
  priority: RequirementPriority;
  weight: number;
  criterion: TypedCriterion;
}

const { MUST, SHOULD } = RequirementPriority;

/**
 * The core and mandated requirements of a GP IT delivery partner, from the GP Digital Services
 * Operating Model (see DOMAIN.md), each tied to the evidence that shows it.
 */
export const OPERATING_MODEL_SET = {
  name: 'Operating Model core and mandated requirements',
  edition: '2021',
  description:
    'Core and mandated requirements of a GP IT delivery partner under the GP Digital Services Operating Model: DSPT, information security, business continuity, clinical safety, data protection, supported software on NHS infrastructure, and service management.',
  requirements: [
    { code: 'OM-01', title: 'DSPT published at Standards Met or better, current throughout the term', priority: MUST, weight: 10, criterion: { type: CriterionType.DSPT, minimumDsptStatus: DsptStatus.STANDARDS_MET } },
    { code: 'OM-02', title: 'ISO/IEC 27001 certification covering the services, valid for the whole term', priority: MUST, weight: 10, criterion: { type: CriterionType.CERTIFICATION, certification: CertificationType.ISO_27001 } },
    { code: 'OM-03', title: 'Business continuity and disaster recovery standard met', priority: MUST, weight: 10, criterion: { type: CriterionType.STANDARD, standard: 'S24', allowRemediationPlan: false } },
    { code: 'OM-04', title: 'Clinical safety (DCB0129 for manufacturers, DCB0160 for deployers) met', priority: MUST, weight: 10, criterion: { type: CriterionType.STANDARD, standard: 'S25', allowRemediationPlan: false } },
    { code: 'OM-05', title: 'Information governance, with a GDPR data processing agreement in place', priority: MUST, weight: 10, criterion: { type: CriterionType.STANDARD, standard: 'S30', allowRemediationPlan: false } },
    { code: 'OM-06', title: 'Supported, maintained software hosted on NHS-assured infrastructure', priority: MUST, weight: 10, criterion: { type: CriterionType.STANDARD, standard: 'S29', allowRemediationPlan: true } },
    { code: 'OM-07', title: 'Business continuity certification (ISO 22301 or equivalent)', priority: SHOULD, weight: 20, criterion: { type: CriterionType.CERTIFICATION, certification: CertificationType.ISO_22301 } },
    { code: 'OM-08', title: 'Service management standard met', priority: SHOULD, weight: 20, criterion: { type: CriterionType.STANDARD, standard: 'S65', allowRemediationPlan: true } },
    { code: 'OM-09', title: 'Cyber Essentials Plus, valid for the whole term', priority: SHOULD, weight: 30, criterion: { type: CriterionType.CERTIFICATION, certification: CertificationType.CYBER_ESSENTIALS_PLUS } },
    { code: 'OM-10', title: 'Service management certification (ISO/IEC 20000-1)', priority: SHOULD, weight: 10, criterion: { type: CriterionType.CERTIFICATION, certification: CertificationType.ISO_20000_1 } },
  ] satisfies RequirementSeed[],
};
