import { badInput } from '../../common/errors.js';
import { queryRows } from '../../common/sql.js';
import { useWorkClass } from '../../common/request-scope.js';
import { decodeTypedCursor, toConnection, type Connection, type PageArgs } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { today } from '../../graphql/scalars.js';
import { CERTIFICATION_LABELS } from '../certification/certification.entity.js';
import { contractEndOf, CriterionType, Requirement, type ServiceSpecification } from '../specification/specification.entity.js';
import { SpecificationService } from '../specification/specification.service.js';
import { candidateCountQuery, matchQuery, rankingQuery, type MatchPageOptions, type MatchParameters } from './matching.sql.js';

type MatchKey = [boolean, number, string, string, string];
import { OutcomeStatus, type EvidenceRef, type RequirementOutcome, type SupplierMatch } from './matching.types.js';

type Row = Record<string, unknown>;

const d = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value));

/** The sentence and the records behind one outcome, from the columns the match query carried. */
export function explain(requirement: Requirement, status: OutcomeStatus, row: Row, i: number, p: MatchParameters): { reason: string; evidence: EvidenceRef[] } {
  const c = requirement.criterion;
  const col = (name: string) => row[`r${i}_${name}`];
  const term = `the contract term ${p.start} to ${p.end}`;
  switch (c.type) {
    case CriterionType.CERTIFICATION: {
      const label = CERTIFICATION_LABELS[c.certification!];
      if (status === OutcomeStatus.NO_EVIDENCE) return { reason: `No verified ${label} certificate.`, evidence: [] };
      const what = `${label} certificate ${col('certificate_number')}`;
      const evidence = [{ kind: 'CERTIFICATION', id: String(col('id')), description: `${what} from ${col('certifying_body')}, valid ${d(col('valid_from'))} to ${d(col('valid_until'))}` }];
      if (status === OutcomeStatus.MET) return { reason: `${what} is valid from ${d(col('valid_from'))} to ${d(col('valid_until'))}, covering ${term}.`, evidence };
      if (status === OutcomeStatus.LAPSES_DURING_TERM) {
        return { reason: `${what} expires on ${d(col('valid_until'))}, before the contract ends on ${p.end}.`, evidence };
      }
      return { reason: `${what} is not valid when the contract starts on ${p.start} (valid ${d(col('valid_from'))} to ${d(col('valid_until'))}).`, evidence };
    }
    case CriterionType.DSPT: {
      if (status === OutcomeStatus.NO_EVIDENCE) return { reason: `No verified DSPT publication as of ${p.asOf}.`, evidence: [] };
      const what = `DSPT ${col('cycle')} publication of ${d(col('published_on'))}`;
      const evidence = [{ kind: 'DSPT_ASSESSMENT', id: String(col('id')), description: `${what}: ${col('status')}, current until ${d(col('current_until'))}` }];
      if (status === OutcomeStatus.MET) {
        return { reason: `${what} is ${col('status')} (at least ${c.minimumDsptStatus}), current until ${d(col('current_until'))}; it must be renewed each June through ${p.end}.`, evidence };
      }
      if (d(col('current_until')) < p.start) return { reason: `${what} is current only until ${d(col('current_until'))}, before the contract starts on ${p.start}.`, evidence };
      return { reason: `${what} is ${col('status')}, below the required ${c.minimumDsptStatus}.`, evidence };
    }
    case CriterionType.CAPABILITY: {
      if (status === OutcomeStatus.NO_EVIDENCE) return { reason: `No verified assessment of ${c.capability} for this solution.`, evidence: [] };
      const evidence = [{ kind: 'CAPABILITY_ASSESSMENT', id: String(col('id')), description: `${c.capability} assessed ${col('result')} on ${d(col('assessed_on'))}` }];
      const minimum = c.minimumAssessment ?? 'PASSED_PARTIAL';
      if (status === OutcomeStatus.MET) return { reason: `${c.capability} assessed ${col('result')} on ${d(col('assessed_on'))} (at least ${minimum}).`, evidence };
      return { reason: `${c.capability} assessed ${col('result')} on ${d(col('assessed_on'))}; ${minimum} is required.`, evidence };
    }
    case CriterionType.EPIC: {
      if (!col('id')) return { reason: `No verified result for epic ${c.epic}.`, evidence: [] };
      return { reason: `Epic ${c.epic}: ${col('result')}.`, evidence: [{ kind: 'EPIC_ASSESSMENT', id: String(col('id')), description: `${c.epic} ${col('result')}` }] };
    }
    case CriterionType.STANDARD: {
      if (status === OutcomeStatus.NO_EVIDENCE) return { reason: `No verified compliance with ${c.standard}.`, evidence: [] };
      const evidence = [{ kind: 'STANDARD_COMPLIANCE', id: String(col('id')), description: `${c.standard} ${col('status')}${col('remediation_due_on') ? `, remediation due ${d(col('remediation_due_on'))}` : ''}` }];
      if (col('status') === 'MET') return { reason: `${c.standard} is met.`, evidence };
      if (!col('remediation_due_on')) return { reason: `${c.standard} is not met, and its remediation plan has no due date.`, evidence };
      const due = d(col('remediation_due_on'));
      if (status === OutcomeStatus.MET) return { reason: `${c.standard} is not yet met; its remediation plan is due on ${due}, before the contract starts on ${p.start}.`, evidence };
      if (!c.allowRemediationPlan) return { reason: `${c.standard} is not met (remediation plan due ${due}); this requirement does not accept a plan.`, evidence };
      // Overdue on the day judged and still not met: the plan has not delivered, so it counts for nothing.
      if (due < p.asOf) return { reason: `${c.standard} is not met and its remediation plan is overdue: it was due on ${due}, before ${p.asOf}.`, evidence };
      return { reason: `${c.standard} is not met and its remediation plan is due on ${due}, after the contract starts on ${p.start}.`, evidence };
    }
    case CriterionType.FRAMEWORK: {
      if (!col('id')) return { reason: 'No active award on the required frameworks or lots.', evidence: [] };
      // The lot by id from the reference snapshot (a lot newer than the snapshot is named by id).
      const lot = p.reference.lots.get(String(col('lot_id')));
      const framework = lot && p.reference.frameworks.get(lot.framework.id);
      const what = lot && framework ? `${framework.code} lot ${lot.number} award` : `award on lot ${col('lot_id')}`;
      const evidence = [{ kind: 'FRAMEWORK_AWARD', id: String(col('id')), description: `${what}, expires ${d(col('expires_on'))}` }];
      if (status === OutcomeStatus.MET) return { reason: `${what} runs until ${d(col('expires_on'))}, covering ${term}.`, evidence };
      if (status === OutcomeStatus.LAPSES_DURING_TERM) return { reason: `${what} expires on ${d(col('expires_on'))}, before the contract ends on ${p.end}.`, evidence };
      return { reason: `${what} expired on ${d(col('expires_on'))}, before the contract starts on ${p.start}.`, evidence };
    }
    case CriterionType.INTEGRATION: {
      const offered = (row.integrations as string[]) ?? [];
      const missing = c.integrations!.filter((x) => !offered.includes(x));
      const evidence = [{ kind: 'SOLUTION', id: String(row.solution_id), description: `integrations: ${offered.join(', ') || 'none'}` }];
      return { reason: missing.length ? `Does not offer ${missing.join(', ')}.` : `Offers ${c.integrations!.join(', ')}.`, evidence };
    }
    case CriterionType.HOSTING: {
      const offered = (row.hosting_types as string[]) ?? [];
      const evidence = [{ kind: 'SOLUTION', id: String(row.solution_id), description: `hosting: ${offered.join(', ') || 'none'}` }];
      return { reason: status === OutcomeStatus.MET ? `Hosted as ${offered.join(', ')}.` : `Hosted as ${offered.join(', ') || 'nothing stated'}, not ${c.hostingTypes!.join(' or ')}.`, evidence };
    }
    case CriterionType.KPI: {
      const kpi = p.kpis.find((k) => k.code === c.kpiCode)!;
      const periods = c.periods ?? 3;
      const reports = (col('reports') as { id: string; period: string; value: number }[] | null) ?? [];
      const evidence = reports.map((r) => ({ kind: 'KPI_REPORT', id: r.id, description: `${c.kpiCode} ${r.period}: ${r.value}${kpi.unit}` }));
      const figures = reports.map((r) => `${r.period} ${r.value}${kpi.unit}`).join(', ');
      const target = `${kpi.direction === 'AT_LEAST' ? 'at least' : 'at most'} ${kpi.target}${kpi.unit}`;
      if (status === OutcomeStatus.NO_EVIDENCE) return { reason: `${reports.length} of the ${periods} verified ${c.kpiCode} reports needed${figures ? ` (${figures})` : ''}.`, evidence };
      if (status === OutcomeStatus.MET) return { reason: `The last ${periods} ${c.kpiCode} reports (${figures}) all meet the target of ${target}.`, evidence };
      return { reason: `Not every one of the last ${periods} ${c.kpiCode} reports (${figures}) meets the target of ${target}.`, evidence };
    }
  }
}

export class MatchingService {
  constructor(private readonly ctx: Context) {}


  /** What a match is judged on: the requirements in force, the term, and the day. */
  async parameters(spec: ServiceSpecification, asOf: string): Promise<MatchParameters> {
    if (asOf > today()) throw badInput('asOf', 'IN_FUTURE', 'asOf cannot be in the future: the data of a future day is not known yet.');
    return {
      requirements: await new SpecificationService(this.ctx).requirementsOf(spec),
      frameworkCodes: spec.frameworkCodes,
      start: spec.contractStart,
      end: contractEndOf(spec),
      asOf,
      kpis: spec.kpis,
      reference: this.ctx.reference,
      current: asOf === today(),
    };
  }

  /** Runs the match query and explains each row's outcomes. */
  async judge(p: MatchParameters, options: MatchPageOptions): Promise<(SupplierMatch & { key: MatchKey; row: Row })[]> {
    useWorkClass('matching');
    const rows = await queryRows<Row>(this.ctx.em, matchQuery(p, options));
    return rows.map((row) => {
      const outcomes: RequirementOutcome[] = p.requirements.map((requirement, i) => {
        const status = row[`s${i}`] as OutcomeStatus;
        return { requirement, status, ...explain(requirement, status, row, i, p) };
      });
      const score = Number(row.score);
      return {
        supplierId: String(row.supplier_id),
        solutionId: String(row.solution_id),
        eligible: Boolean(row.eligible),
        score,
        outcomes,
        row,
        key: [!row.eligible, -score, String(row.supplier_name), String(row.solution_name), String(row.solution_id)] as MatchKey,
      };
    });
  }

  async match(specificationId: string, asOf: string | null | undefined, page: PageArgs): Promise<Connection<SupplierMatch>> {
    // Matching reads the whole catalogue: it gets the longer statement timeout.
    useWorkClass('matching');
    const spec = await new SpecificationService(this.ctx).get(specificationId);
    const p = await this.parameters(spec, asOf ?? today());
    let after: MatchKey | undefined;
    if (page.after) {
      after = decodeTypedCursor<MatchKey>(page.after, ['boolean', 'number', 'string', 'string', 'uuid']);
    }
    // Rank every candidate from MET sets, then judge in full (statuses, reasons, evidence) only the page.
    const ranked = await queryRows<{ solution_id: string }>(this.ctx.em, rankingQuery(p, { first: page.first, after }));
    const order = new Map(ranked.map((r, i) => [String(r.solution_id), i]));
    const judged = ranked.length ? await this.judge(p, { solutionIds: [...order.keys()] }) : [];
    const matches = judged.sort((a, b) => order.get(a.solutionId)! - order.get(b.solutionId)!);
    return toConnection(matches, page, (m) => m.key, async () => {
      const [{ total }] = await queryRows<{ total: string }>(this.ctx.em, candidateCountQuery(p));
      return Number(total);
    });
  }
}
