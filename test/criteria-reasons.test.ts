import { describe, expect, it } from 'vitest';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { DsptStatus } from '../src/modules/dspt/dspt.entity.js';
import { certification } from '../src/modules/matching/criteria/certification.js';
import { dspt } from '../src/modules/matching/criteria/dspt.js';
import { framework } from '../src/modules/matching/criteria/framework.js';
import { standard } from '../src/modules/matching/criteria/standard.js';
import type { MatchParameters } from '../src/modules/matching/criteria/rule.js';
import { OutcomeStatus } from '../src/modules/matching/outcome-status.js';
import { CriterionType } from '../src/modules/matching/criteria/index.js';

/**
 * Reason sentences for evidence that falls short of the day it must hold from: judged before (or on)
 * the contract start, and re-judged during the term (the alerts re-judge running contracts daily).
 */
const criterion = { type: CriterionType.DSPT, minimumDsptStatus: DsptStatus.STANDARDS_MET };
const publication: Record<string, unknown> = { id: '6f1c2a8e-1111-4111-8111-111111111111', cycle: '2025-26', status: 'STANDARDS_MET', published_on: '2026-06-01', current_until: '2027-06-30' };
const judged = { col: (name: string) => publication[name], row: {} };
const params = (over: Partial<MatchParameters>) => ({ requirements: [], frameworkCodes: [], end: '2028-12-31', kpis: [], current: false, reference: undefined as never, ...over }) as MatchParameters;

describe('the DSPT criterion’s reason for a lapsed publication', () => {
  it('before the contract starts: the publication lapses before the start', () => {
    const p = params({ start: '2027-09-01', contractStart: '2027-09-01', asOf: '2027-05-01' });
    expect(dspt.explain(criterion, OutcomeStatus.NOT_MET, judged, p).reason).toBe(
      'DSPT 2025-26 publication of 2026-06-01 is current only until 2027-06-30, before the contract starts on 2027-09-01.',
    );
  });

  it('on the start day itself: still the contract that starts', () => {
    const p = params({ start: '2027-09-01', contractStart: '2027-09-01', asOf: '2027-09-01' });
    expect(dspt.explain(criterion, OutcomeStatus.NOT_MET, judged, p).reason).toContain('before the contract starts on 2027-09-01.');
  });

  it('during the term: the contract is running, and the sentence says since when and the day judged', () => {
    const p = params({ start: '2027-07-01', contractStart: '2027-01-01', asOf: '2027-07-01' });
    const { reason, evidence } = dspt.explain(criterion, OutcomeStatus.NOT_MET, judged, p);
    expect(reason).toBe('DSPT 2025-26 publication of 2026-06-01 is current only until 2027-06-30, which has passed: the contract has been running since 2027-01-01 (judged on 2027-07-01).');
    expect(reason).not.toContain('before the contract starts');
    expect(evidence).toEqual([{ kind: 'DSPT_ASSESSMENT', id: publication.id, description: 'DSPT 2025-26 publication of 2026-06-01: STANDARDS_MET, current until 2027-06-30' }]);
  });

  it('a status below the minimum is worded the same either way', () => {
    const low: Record<string, unknown> = { ...publication, status: 'APPROACHING_STANDARDS', current_until: '2028-06-30' };
    const lowJudged = { col: (name: string) => low[name], row: {} };
    for (const p of [params({ start: '2027-09-01', contractStart: '2027-09-01', asOf: '2027-05-01' }), params({ start: '2027-07-01', contractStart: '2027-01-01', asOf: '2027-07-01' })]) {
      expect(dspt.explain(criterion, OutcomeStatus.NOT_MET, lowJudged, p).reason).toBe('DSPT 2025-26 publication of 2026-06-01 is APPROACHING_STANDARDS, below the required STANDARDS_MET.');
    }
  });
});

describe('the same wording for certificates and framework awards', () => {
  const before = params({ start: '2027-09-01', contractStart: '2027-09-01', asOf: '2027-05-01' });
  const during = params({ start: '2027-07-01', contractStart: '2027-01-01', asOf: '2027-07-01' });

  it('a certificate not valid on the day: when the contract starts, or while it has been running', () => {
    const row: Record<string, unknown> = { id: 'c1', certificate_number: 'IS-1', certifying_body: 'BSI', valid_from: '2024-07-01', valid_until: '2027-06-30' };
    const judgedCert = { col: (name: string) => row[name], row: {} };
    const c = { type: CriterionType.CERTIFICATION, certification: CertificationType.ISO_27001 };
    expect(certification.explain(c as never, OutcomeStatus.NOT_MET, judgedCert, before).reason).toBe(
      'ISO/IEC 27001 certificate IS-1 is not valid when the contract starts on 2027-09-01 (valid 2024-07-01 to 2027-06-30).',
    );
    expect(certification.explain(c as never, OutcomeStatus.NOT_MET, judgedCert, during).reason).toBe(
      'ISO/IEC 27001 certificate IS-1 is not valid on 2027-07-01, while the contract has been running since 2027-01-01 (valid 2024-07-01 to 2027-06-30).',
    );
  });

  it('an award that expired: before the contract starts, or passed while it has been running', () => {
    const row: Record<string, unknown> = { id: 'a1', expires_on: '2027-06-30', lot_id: 'lot-1' };
    const judgedAward = { col: (name: string) => row[name], row: {} };
    const reference = { lots: new Map([['lot-1', { number: 1, framework: { id: 'fw-1' } }]]), frameworks: new Map([['fw-1', { code: 'DCS' }]]) } as never;
    const c = { type: CriterionType.FRAMEWORK, frameworks: ['DCS'] };
    expect(framework.explain(c as never, OutcomeStatus.NOT_MET, judgedAward, { ...before, reference }).reason).toBe('DCS lot 1 award expired on 2027-06-30, before the contract starts on 2027-09-01.');
    expect(framework.explain(c as never, OutcomeStatus.NOT_MET, judgedAward, { ...during, reference }).reason).toBe(
      'DCS lot 1 award expired on 2027-06-30, which has passed: the contract has been running since 2027-01-01 (judged on 2027-07-01).',
    );
  });

  it('a standard’s remediation plan: due before or after the contract starts, or the day judged while it runs', () => {
    const row: Record<string, unknown> = { id: 's1', status: 'NOT_MET', remediation_due_on: '2027-08-01' };
    const judgedStandard = { col: (name: string) => row[name], row: {} };
    const c = { type: CriterionType.STANDARD, standard: 'DCB0129', allowRemediationPlan: true };
    expect(standard.explain(c as never, OutcomeStatus.MET, judgedStandard, before).reason).toBe(
      'DCB0129 is not yet met; its remediation plan is due on 2027-08-01, before the contract starts on 2027-09-01.',
    );
    const later = params({ start: '2027-07-01', contractStart: '2027-01-01', asOf: '2027-07-01' });
    expect(standard.explain(c as never, OutcomeStatus.NOT_MET, judgedStandard, later).reason).toBe(
      'DCB0129 is not met and its remediation plan is due on 2027-08-01, after 2027-07-01, the day judged (the contract has been running since 2027-01-01).',
    );
    expect(standard.explain(c as never, OutcomeStatus.NOT_MET, judgedStandard, later).reason).not.toContain('contract starts');
  });
});
