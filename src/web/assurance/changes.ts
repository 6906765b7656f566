/**
 * How the pages show an audit row: the fields whose values differ between its before and after
 * (presentation only: the audit rows themselves are the API's).
 */
export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

/** Readable names for the fields records carry; others are shown as their own name, split into words. */
const LABELS: Record<string, string> = {
  type: 'Type', certificateNumber: 'Certificate number', certifyingBody: 'Certifying body', scope: 'Scope', scopeExclusions: 'Scope exclusions',
  validFrom: 'Valid from', validUntil: 'Valid until', verificationStatus: 'Verification status', rejectionReason: 'Rejection reason',
  submittedAt: 'Submitted', reviewedAt: 'Reviewed', reviewedBy: 'Reviewed by', version: 'Version', cycle: 'Cycle', status: 'Status',
  publishedOn: 'Published on', odsCode: 'ODS code', recordedStatus: 'Status', suspensionReason: 'Suspension reason', kpiCode: 'KPI code',
  period: 'Period', value: 'Value', result: 'Result', assessedOn: 'Assessed on', remediationPlan: 'Remediation plan',
  remediationDueOn: 'Remediation due on', awardedOn: 'Awarded on', expiresOn: 'Expires on', legalName: 'Legal name', name: 'Name',
  companiesHouseNumber: 'Companies House number', website: 'Website', summary: 'Summary', updatedAt: 'Updated',
};

export const labelOf = (field: string): string =>
  LABELS[field] ?? field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()).replace(/ [A-Z](?=[a-z])/g, (c) => c.toLowerCase());

/** A JSON value as text: empty for none, relations by id, lists joined. */
export function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value)) return value.map(shown).join(', ');
  if (typeof value === 'object') return 'id' in (value as object) ? String((value as { id: unknown }).id) : JSON.stringify(value);
  return String(value);
}

/** Bookkeeping that changes on every write and says nothing of its own. */
const QUIET = new Set(['updatedAt', 'searchVector']);

/** The fields whose values differ, in the order the record lists them (a created record: every field it has). */
export function fieldChanges(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined): FieldChange[] {
  const keys = [...new Set([...Object.keys(after ?? {}), ...Object.keys(before ?? {})])].filter((k) => !QUIET.has(k));
  return keys
    .map((field) => ({ field, label: labelOf(field), before: shown(before?.[field]), after: shown(after?.[field]) }))
    .filter((c) => c.before !== c.after);
}
