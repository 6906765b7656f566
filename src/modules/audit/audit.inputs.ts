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
  /** A solution's price item. */
  PRICE = 'PRICE',
  SPECIFICATION = 'SPECIFICATION',
  SHORTLIST = 'SHORTLIST',
  /** A further competition: its creation, scores, moderation, award and finalisation. */
  COMPETITION = 'COMPETITION',
  /** A person's account: their notification email preferences. */
  USER = 'USER',
  /** A person's notification, marked as read. */
  NOTIFICATION = 'NOTIFICATION',
  /** An organisation's or supplier's webhook. */
  WEBHOOK = 'WEBHOOK',
  /** One delivery of an event to a webhook (replayed from the dead letters). */
  WEBHOOK_DELIVERY = 'WEBHOOK_DELIVERY',
}
registerEnumType(AuditEntity, { name: 'AuditEntity' });
