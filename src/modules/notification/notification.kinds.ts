import { registerEnumType } from 'type-graphql';

/**
 * Every kind of notification, as a closed set. Each is raised by one job, reaches one audience (a
 * supplier's people, or an organisation's) in the catalogue, by email (unless the person turned that
 * kind off) and by the audience's webhooks. A new kind (as SHORTLISTED_SOLUTION_LAPSED, raised by the alerts
 * job in src/modules/alerts/) is one more member here, one more job that inserts
 * events with `insertEvents`, and one more line in the preferences page: delivery needs nothing new.
 */
export enum NotificationKind {
  CERTIFICATE_EXPIRING = 'CERTIFICATE_EXPIRING',
  DSPT_PUBLICATION_DUE = 'DSPT_PUBLICATION_DUE',
  KPI_REPORT_OVERDUE = 'KPI_REPORT_OVERDUE',
  EVIDENCE_NOT_RESUBMITTED = 'EVIDENCE_NOT_RESUBMITTED',
  SHORTLISTED_SOLUTION_LAPSED = 'SHORTLISTED_SOLUTION_LAPSED',
}
registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: 'What a notification is about; each person chooses which kinds also come by email.',
  valuesConfig: {
    CERTIFICATE_EXPIRING: { description: 'To a supplier: a certificate (submitted or verified) expires in 90, 30 or 7 days (each once), and no later one of its type follows.' },
    DSPT_PUBLICATION_DUE: { description: 'To a supplier: the DSPT publication for the new cycle is due by 30 June and none is verified (from 1 May, and again from 16 June).' },
    KPI_REPORT_OVERDUE: { description: "To a supplier: last month's figure for a KPI it reported in the year before has not been submitted by the 10th." },
    EVIDENCE_NOT_RESUBMITTED: { description: 'To a supplier: evidence the assurance team rejected has not been resubmitted 14 days later.' },
    SHORTLISTED_SOLUTION_LAPSED: {
      description:
        "To a buyer organisation: a solution included on one of its shortlists (open, or finalised and its contract term not yet ended) no longer meets a MUST requirement it met (a certificate lapsed or was withdrawn, a DSPT publication lapsed or was downgraded, an award was suspended or expired, the solution was unpublished): which requirement, the status before and after, and why. Once per lapse.",
    },
  },
});

export type Audience = 'SUPPLIER' | 'ORGANISATION';

export interface KindInfo {
  /** What the preferences page calls it. */
  label: string;
  /** Who is told. */
  audience: Audience;
}

export const NOTIFICATION_KINDS: Record<NotificationKind, KindInfo> = {
  CERTIFICATE_EXPIRING: { label: 'Certificates about to expire', audience: 'SUPPLIER' },
  DSPT_PUBLICATION_DUE: { label: 'DSPT publication due', audience: 'SUPPLIER' },
  KPI_REPORT_OVERDUE: { label: 'KPI report not submitted', audience: 'SUPPLIER' },
  EVIDENCE_NOT_RESUBMITTED: { label: 'Rejected evidence not resubmitted', audience: 'SUPPLIER' },
  SHORTLISTED_SOLUTION_LAPSED: { label: 'A shortlisted solution no longer meets a requirement', audience: 'ORGANISATION' },
};

export const ALL_KINDS = Object.values(NotificationKind);
