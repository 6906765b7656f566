import type { ResultRow } from './competition.scoring.js';

/** A supplier as the shortlist froze it. */
export interface SnapshotSupplier {
  id: string;
  name: string;
  legalName: string;
  companiesHouseNumber: string;
  odsCode: string | null;
}

/**
 * What finaliseCompetition freezes and hashes: JSON only, money in pence and points as decimal
 * strings (never floating point), every score and moderation version in the order recorded.
 */
export interface CompetitionSnapshot {
  competitionId: string;
  owner: { id: string; odsCode: string; name: string };
  shortlist: { id: string; hash: string | null };
  specification: {
    id: string;
    version: number;
    title: string;
    frameworkCodes: string[];
    contractStart: string;
    termMonths: number;
    serviceRecipientIds: string[];
    quantities: Record<string, number>;
  };
  createdBy: string;
  priceWeight: number;
  criteria: { code: string; title: string; weight: number; requirementCode: string | null }[];
  contestants: { supplier: SnapshotSupplier; solution: { id: string; name: string } }[];
  costs: {
    solutionId: string;
    totalPence: string | null;
    unpricedReason: string | null;
    lines: {
      priceId: string; item: string; unit: string; calculation: string; tieredRule: string | null; billingPeriod: string;
      quantity: string | null; periods: number; perPeriodPence: string | null; subtotalPence: string | null; unpricedReason: string | null;
    }[];
  }[];
  scores: { seq: number; solutionId: string; criterionCode: string; evaluator: string; version: number; score: number; justification: string; scoredAt: string }[];
  moderations: { seq: number; solutionId: string; criterionCode: string; moderator: string; version: number; score: number; justification: string; moderatedAt: string }[];
  results: ResultRow[];
  award: { outcome: string | null; solutionId: string | null; reason: string | null; awardedAt: string | null; awardedBy: string | null };
  finalisedAt: string;
  finalisedBy: string;
}
