import type { ReferenceSnapshot } from '../reference/reference-cache.js';
import type { Shortlist } from './shortlist.entity.js';

/**
 * A finalised shortlist as an OCDS 1.1 release package, built from its frozen snapshot only (so the
 * export says exactly what was decided): the tender as a call-off under the framework agreements in
 * scope (techniques and lots extensions), the requirements as criteria (requirements extension), and
 * each supplier's bid with its responses and whether it was shortlisted (bids extension).
 */
export const OCID_PREFIX = 'ocds-gpitac';

const EXTENSIONS = [
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/master/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_requirements_extension/master/extension.json',
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/master/extension.json',
];

interface SnapshotEntry {
  supplier: { id: string; name: string; legalName: string; companiesHouseNumber: string; odsCode: string | null };
  solution: { id: string; name: string };
  included: boolean;
  rationale: string | null;
  eligible: boolean;
  score: number;
  outcomes: { requirement: string; status: string; reason: string; evidence: { kind: string; id: string; description: string; version: number | null }[] }[];
}

interface Snapshot {
  shortlistId: string;
  owner: { odsCode: string; name: string };
  asOf: string;
  notes: string | null;
  finalisedAt: string;
  specification: {
    id: string;
    title: string;
    frameworkCodes: string[];
    contractStart: string;
    contractEnd: string;
    requirements: { code: string; title: string; priority: string; weight: number; criterion: { type: string } }[];
  };
  entries: SnapshotEntry[];
}

const day = (date: string, end = false) => `${date}T${end ? '23:59:59' : '00:00:00'}Z`;

export function shortlistOcds(shortlist: Shortlist, reference: ReferenceSnapshot, baseUri: string): Record<string, unknown> {
  const s = shortlist.snapshot as unknown as Snapshot;
  const ocid = `${OCID_PREFIX}-${s.specification.id}`;
  const buyerId = `GB-NHS-${s.owner.odsCode}`;
  const partyId = (e: SnapshotEntry) => `GB-COH-${e.supplier.companiesHouseNumber}`;
  const suppliers = [...new Map(s.entries.map((e) => [partyId(e), e])).values()];
  const frameworks = [...reference.frameworks.values()].filter((f) => s.specification.frameworkCodes.includes(f.code));
  const lots = [...reference.lots.values()]
    .filter((l) => frameworks.some((f) => f.id === l.framework.id))
    .map((l) => {
      const framework = frameworks.find((f) => f.id === l.framework.id)!;
      return { id: `${framework.code}-${l.number}`, title: `${framework.name}, lot ${l.number}: ${l.name}`, status: 'active' };
    })
    .sort((a, b) => a.id.localeCompare(b.id));

  const release = {
    ocid,
    id: `${ocid}-shortlist-${shortlist.sequence}`,
    date: s.finalisedAt,
    tag: ['tender'],
    initiationType: 'tender',
    language: 'en',
    parties: [
      {
        id: buyerId,
        name: s.owner.name,
        identifier: { scheme: 'GB-NHS', id: s.owner.odsCode, legalName: s.owner.name },
        roles: ['buyer', 'procuringEntity'],
      },
      ...suppliers.map((e) => ({
        id: partyId(e),
        name: e.supplier.name,
        identifier: { scheme: 'GB-COH', id: e.supplier.companiesHouseNumber, legalName: e.supplier.legalName },
        additionalIdentifiers: e.supplier.odsCode ? [{ scheme: 'GB-NHS', id: e.supplier.odsCode }] : [],
        roles: ['tenderer'],
      })),
    ],
    buyer: { id: buyerId, name: s.owner.name },
    tender: {
      id: shortlist.id,
      title: s.specification.title,
      description: s.notes ?? undefined,
      status: 'complete',
      procurementMethod: 'selective',
      procurementMethodDetails: `Call-off from framework agreement${frameworks.length > 1 ? 's' : ''} ${frameworks.map((f) => `${f.code} (${f.name})`).join(', ')}`,
      techniques: { hasFrameworkAgreement: true, frameworkAgreement: { method: 'withReopeningCompetition' } },
      lots,
      contractPeriod: { startDate: day(s.specification.contractStart), endDate: day(s.specification.contractEnd, true) },
      numberOfTenderers: suppliers.length,
      tenderers: suppliers.map((e) => ({ id: partyId(e), name: e.supplier.name })),
      criteria: s.specification.requirements.map((r) => ({
        id: r.code,
        title: r.title,
        description: `${r.priority}${r.priority === 'SHOULD' ? `, weight ${r.weight}` : ''}: ${r.criterion.type}`,
        source: 'procuringEntity',
        relatesTo: 'tenderer',
        requirementGroups: [{ id: `${r.code}-1`, requirements: [{ id: r.code, title: r.title, dataType: 'boolean', expectedValue: true }] }],
      })),
    },
    bids: {
      details: s.entries.map((e) => ({
        id: e.solution.id,
        date: s.finalisedAt,
        status: e.included ? 'valid' : 'disqualified',
        tenderers: [{ id: partyId(e), name: e.supplier.name }],
        description: `${e.solution.name}: ${e.included ? 'shortlisted' : 'not shortlisted'}; ${e.eligible ? 'eligible' : 'not eligible'}, score ${e.score}${e.rationale ? `. Rationale: ${e.rationale}` : ''}`,
        requirementResponses: e.outcomes.map((o) => ({
          id: `${e.solution.id}-${o.requirement}`,
          title: o.status,
          description: o.reason,
          value: o.status === 'MET',
          requirement: { id: o.requirement },
          evidences: o.evidence.map((ev) => ({ id: `${ev.kind}-${ev.id}-v${ev.version ?? 0}`, title: ev.kind, description: ev.description })),
        })),
      })),
    },
  };

  return {
    uri: `${baseUri}/ocds/shortlists/${shortlist.id}`,
    version: '1.1',
    extensions: EXTENSIONS,
    publishedDate: s.finalisedAt,
    publisher: { name: 'NHS GP IT supplier assurance catalogue' },
    releases: [JSON.parse(JSON.stringify(release))],
  };
}
