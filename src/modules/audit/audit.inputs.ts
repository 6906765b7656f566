import { registerEnumType } from 'type-graphql';

/** The kinds of record whose changes are audited. */
export enum AuditEntity {
  SUPPLIER = 'SUPPLIER',
  FRAMEWORK_AWARD = 'FRAMEWORK_AWARD',
  CERTIFICATION = 'CERTIFICATION',
  DSPT_ASSESSMENT = 'DSPT_ASSESSMENT',
  CAPABILITY_ASSESSMENT = 'CAPABILITY_ASSESSMENT',
  EPIC_ASSESSMENT = 'EPIC_ASSESSMENT',
  STANDARD_COMPLIANCE = 'STANDARD_COMPLIANCE',
  KPI_REPORT = 'KPI_REPORT',
  /** A supplier's request to change its names, Companies House number or website. */
  PROFILE_CHANGE = 'PROFILE_CHANGE',
  SPECIFICATION = 'SPECIFICATION',
  SHORTLIST = 'SHORTLIST',
}
registerEnumType(AuditEntity, { name: 'AuditEntity' });
