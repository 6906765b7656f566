import { toCsv } from '../../common/csv.js';
import { money } from '../price/price.entity.js';
import { OCID_PREFIX } from '../shortlist/shortlist.ocds.js';
import type { Competition } from './competition.entity.js';
import type { CompetitionSnapshot } from './competition.snapshot.js';

const EXTENSIONS = ['https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/master/extension.json'];

/** The award criteria in words: price and each criterion with its weight, and how points are worked out. */
export function awardCriteriaDetails(s: Pick<CompetitionSnapshot, 'priceWeight' | 'criteria'>): string {
  const quality = s.criteria.map((k) => `${k.code} ${k.title} ${k.weight}%${k.requirementCode ? ` (requirement ${k.requirementCode})` : ''}`).join('; ');
  return (
    `Price ${s.priceWeight}%: lowest total cost over the term ÷ the solution's total × ${s.priceWeight}. ` +
    `Quality ${100 - s.priceWeight}%: ${quality}. Each criterion is scored 1 to 5 by the evaluators and moderated; points = agreed score ÷ 5 × weight. ` +
    'Highest total wins; ties go to higher quality points, then lower cost.'
  );
}

/**
 * A finalised competition as an OCDS 1.1 release package, built from its frozen snapshot only: the
 * same contracting process (ocid) as its shortlist, the tender's award criteria (ratedCriteria, with
 * the weights in awardCriteriaDetails), and the award: active with its value (GBP) and supplier, or
 * unsuccessful with the reason for no award.
 */
export function competitionOcds(c: Competition, baseUri: string): Record<string, unknown> {
  const s = c.snapshot as unknown as CompetitionSnapshot;
  const ocid = `${OCID_PREFIX}-${s.specification.id}`;
  const buyerId = `GB-NHS-${s.owner.odsCode}`;
  const partyId = (companiesHouseNumber: string) => `GB-COH-${companiesHouseNumber}`;
  const awarded = s.award.solutionId ? s.contestants.find((x) => x.solution.id === s.award.solutionId) : undefined;
  const awardedCost = awarded ? s.costs.find((x) => x.solutionId === awarded.solution.id)?.totalPence : null;
  const tenderers = [...new Map(s.contestants.map((x) => [partyId(x.supplier.companiesHouseNumber), x.supplier])).values()];
  const release = {
    ocid,
    id: `${ocid}-competition-${c.sequence}`,
    date: s.finalisedAt,
    tag: ['tender', 'award'],
    initiationType: 'tender',
    language: 'en',
    parties: [
      { id: buyerId, name: s.owner.name, identifier: { scheme: 'GB-NHS', id: s.owner.odsCode, legalName: s.owner.name }, roles: ['buyer', 'procuringEntity'] },
      ...tenderers.map((sup) => ({
        id: partyId(sup.companiesHouseNumber),
        name: sup.name,
        identifier: { scheme: 'GB-COH', id: sup.companiesHouseNumber, legalName: sup.legalName },
        additionalIdentifiers: sup.odsCode ? [{ scheme: 'GB-NHS', id: sup.odsCode }] : [],
        roles: awarded?.supplier.id === sup.id ? ['tenderer', 'supplier'] : ['tenderer'],
      })),
    ],
    buyer: { id: buyerId, name: s.owner.name },
    tender: {
      id: s.competitionId,
      title: `${s.specification.title}: further competition`,
      status: awarded ? 'complete' : 'unsuccessful',
      procurementMethod: 'selective',
      procurementMethodDetails: `Further competition under framework agreement${s.specification.frameworkCodes.length > 1 ? 's' : ''} ${s.specification.frameworkCodes.join(', ')} among the shortlisted solutions`,
      techniques: { hasFrameworkAgreement: true, frameworkAgreement: { method: 'withReopeningCompetition' } },
      awardCriteria: 'ratedCriteria',
      awardCriteriaDetails: awardCriteriaDetails(s),
      numberOfTenderers: tenderers.length,
      tenderers: tenderers.map((sup) => ({ id: partyId(sup.companiesHouseNumber), name: sup.name })),
    },
    awards: [
      awarded
        ? {
            id: `${s.competitionId}-award`,
            title: `${awarded.solution.name} (${awarded.supplier.name})`,
            description: s.award.outcome === 'DIRECT_AWARD' ? 'Direct award: the only solution the shortlist included.' : 'The top-ranked solution of the further competition.',
            status: 'active',
            date: s.award.awardedAt,
            value: awardedCost ? { amount: Number(money(BigInt(awardedCost)).pounds), currency: 'GBP' } : undefined,
            suppliers: [{ id: partyId(awarded.supplier.companiesHouseNumber), name: awarded.supplier.name }],
          }
        : { id: `${s.competitionId}-award`, title: 'No award', description: s.award.reason ?? undefined, status: 'unsuccessful', date: s.award.awardedAt },
    ],
  };
  return {
    uri: `${baseUri}/ocds/competitions/${c.id}`,
    version: '1.1',
    extensions: EXTENSIONS,
    publishedDate: s.finalisedAt,
    publisher: { name: 'NHS GP IT supplier assurance catalogue' },
    releases: [JSON.parse(JSON.stringify(release))],
  };
}

/** The results as CSV: one line per included solution, ranked first, each criterion's agreed score and points, then the award. */
export function competitionCsv(s: CompetitionSnapshot): string {
  const header = ['Rank', 'Supplier', 'Solution', 'Total cost (£)', 'Unpriced reason', 'Price score', `Price points (of ${s.priceWeight})`, `Quality points (of ${100 - s.priceWeight})`, 'Total score', ...s.criteria.flatMap((k) => [`${k.code} agreed score`, `${k.code} points (of ${k.weight})`]), 'Awarded'];
  const rows = s.results.map((r) => [
    r.rank === null ? '' : String(r.rank),
    r.supplierName,
    r.solutionName,
    r.totalPence === null ? '' : money(BigInt(r.totalPence)).pounds,
    r.unpricedReason ?? '',
    r.priceScore ?? '',
    r.pricePoints ?? '',
    r.qualityPoints ?? '',
    r.totalScore ?? '',
    ...r.criteria.flatMap((k) => [k.agreedScore === null ? '' : String(k.agreedScore), k.points ?? '']),
    s.award.solutionId === r.solutionId ? (s.award.outcome === 'DIRECT_AWARD' ? 'Direct award' : 'Winner') : '',
  ]);
  const award = s.award.outcome === 'NO_AWARD' ? [[`No award: ${s.award.reason ?? ''}`]] : [];
  return toCsv([header, ...rows, ...award]);
}
