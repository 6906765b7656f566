import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { expectVersion, mutate } from '../../graphql/mutation.js';
import type { Context } from '../../graphql/context.js';
import { today } from '../../graphql/scalars.js';
import { AuditEntity } from '../audit/audit.inputs.js';
import { snapshot as auditSnapshot } from '../audit/audit.service.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { MatchingService } from '../matching/matching.service.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Solution } from '../solution/solution.entity.js';
import { contractEndOf, ServiceSpecification } from '../specification/specification.entity.js';
import { SpecificationService } from '../specification/specification.service.js';
import { Supplier } from '../supplier/supplier.entity.js';
import { UUID } from '../../common/ids.js';
import { Shortlist, ShortlistEntry, ShortlistStatus } from './shortlist.entity.js';
import { ShortlistErrors } from './shortlist.errors.js';
import { evidenceVersions } from './shortlist.store.js';
import { attachedHashes } from '../evidence/evidence.store.js';
import { DocumentService } from '../document/document.service.js';
import { DOCUMENT_KINDS } from '../document/document.types.js';
import { canonicalJson, chainHash, lockOrganisationChain, nextLink, verifyChain } from '../decision/decision.chain.js';
import { shortlistOcds } from './shortlist.ocds.js';
import type { CreateShortlistInput, ShortlistEntryInput, ShortlistVerification, UpdateShortlistInput } from './shortlist.inputs.js';

// The chain's hashing lives with the organisation's chain of decisions; re-exported for existing callers.
export { canonicalJson, chainHash };

export class ShortlistService {
  constructor(private readonly ctx: Context) {}

  private get sub(): string {
    return (this.ctx.viewer as { sub: string }).sub;
  }

  /**
   * A shortlist of the buyer's organisation tree; another organisation's answers FORBIDDEN. `lock`
   * (inside a mutation's transaction) reads it FOR UPDATE, so concurrent writers to one shortlist take
   * turns and each checks status and version against what the one before it committed.
   */
  async get(id: string, em: EntityManager = this.ctx.em, lock = false): Promise<Shortlist> {
    const shortlist = UUID.test(id) ? await em.findOne(Shortlist, { id }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {}) : null;
    if (!shortlist) throw ShortlistErrors.notFound();
    const { ids } = await new SpecificationService(this.ctx).buyerScope(em);
    if (!ids.has(shortlist.owner.id)) throw IdentityErrors.notYours('shortlist');
    return shortlist;
  }

  /** A locked shortlist's specification, which must still be the viewer's and the shortlist owner's. */
  private async specificationOf(shortlist: Shortlist): Promise<ServiceSpecification> {
    const spec = await new SpecificationService(this.ctx).get(shortlist.specification.id);
    if (spec.owner.id !== shortlist.owner.id) throw ShortlistErrors.specificationMoved(shortlist.version);
    return spec;
  }

  /**
   * Judges the entries' solutions and checks each decision's rationale rule. An entry that is not a
   * candidate is the caller's mistake (notACandidate) unless `missing` says otherwise.
   */
  private async judgeEntries(spec: ServiceSpecification, asOf: string, entries: ShortlistEntryInput[], missing: (i: number, solutionId: string) => Error = ShortlistErrors.notACandidate) {
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      if (seen.has(e.solutionId)) throw ShortlistErrors.duplicate(i);
      seen.add(e.solutionId);
    });
    const matching = new MatchingService(this.ctx);
    const p = await matching.parameters(spec, asOf);
    const judged = await matching.judge(p, { solutionIds: entries.map((e) => e.solutionId) });
    const bySolution = new Map(judged.map((m) => [m.solutionId, m]));
    return {
      p,
      decisions: entries.map((e, i) => {
        const match = bySolution.get(e.solutionId);
        if (!match) throw missing(i, e.solutionId);
        const rationale = e.rationale?.trim() || null;
        if (!e.included && match.eligible && !rationale) throw ShortlistErrors.rationaleRequired(i, 'exclude an eligible supplier');
        if (e.included && !match.eligible && !rationale) throw ShortlistErrors.rationaleRequired(i, 'include a supplier that is not eligible');
        return { entry: e, rationale, match };
      }),
    };
  }

  private writeEntries(em: EntityManager, shortlist: Shortlist, decisions: Awaited<ReturnType<ShortlistService['judgeEntries']>>['decisions']) {
    for (const { entry, rationale, match } of decisions) {
      em.create(ShortlistEntry, {
        shortlist,
        supplier: em.getReference(Supplier, match.supplierId),
        solution: em.getReference(Solution, match.solutionId),
        included: entry.included,
        rationale,
        eligible: match.eligible,
        score: match.score,
      });
    }
  }

  create(input: CreateShortlistInput): Promise<Shortlist> {
    return mutate(this.ctx, 'shortlist', async ({ em, audit }) => {
      // FOR SHARE: the specification cannot move to another organisation while this shortlist is made.
      const spec = await new SpecificationService(this.ctx).get(input.specificationId, { lock: true });
      const asOf = input.asOf ?? today();
      const { decisions } = await this.judgeEntries(spec, asOf, input.entries);
      const shortlist = em.create(Shortlist, {
        specification: em.getReference(ServiceSpecification, spec.id),
        owner: em.getReference(Organisation, spec.owner.id),
        asOf,
        notes: input.notes?.trim() || null,
        createdBy: this.sub,
      });
      this.writeEntries(em, shortlist, decisions);
      await em.flush();
      audit.record({ action: 'shortlist.create', entityType: AuditEntity.SHORTLIST, entityId: shortlist.id, supplierId: null, before: null, after: { ...auditSnapshot(shortlist), entries: input.entries } });
      return shortlist;
    });
  }

  update(id: string, version: number, input: UpdateShortlistInput): Promise<Shortlist> {
    return mutate(
      this.ctx,
      'shortlist',
      async ({ em, audit }) => {
        const shortlist = await this.get(id, em, true);
        if (shortlist.status === ShortlistStatus.FINALISED) throw ShortlistErrors.finalised(shortlist.version);
        expectVersion(shortlist, version, 'shortlist');
        const spec = await this.specificationOf(shortlist);
        const { decisions } = await this.judgeEntries(spec, shortlist.asOf, input.entries);
        const before = auditSnapshot(shortlist);
        await em.nativeDelete(ShortlistEntry, { shortlist: shortlist.id });
        this.writeEntries(em, shortlist, decisions);
        shortlist.notes = input.notes?.trim() || null;
        shortlist.updatedAt = new Date(); // always a change, so the version moves even when only entries did
        await em.flush();
        audit.record({ action: 'shortlist.update', entityType: AuditEntity.SHORTLIST, entityId: shortlist.id, supplierId: null, before, after: { ...auditSnapshot(shortlist), entries: input.entries } });
        return shortlist;
      },
      async () => (await this.ctx.em.fork().findOne(Shortlist, { id }))?.version ?? null,
    );
  }

  /**
   * Freezes the decision: re-judges every entry on the shortlist's day, snapshots the outcomes and the
   * version of every record they rest on, and chains its SHA-256 to the organisation's previous one.
   */
  finalise(id: string, version: number): Promise<Shortlist> {
    return mutate(
      this.ctx,
      'shortlist',
      async ({ em, audit }) => {
        const shortlist = await this.get(id, em, true);
        if (shortlist.status === ShortlistStatus.FINALISED) throw ShortlistErrors.finalised(shortlist.version);
        expectVersion(shortlist, version, 'shortlist');
        await lockOrganisationChain(em, shortlist.owner.id);
        const spec = await this.specificationOf(shortlist);
        const entries = await em.find(ShortlistEntry, { shortlist }, { orderBy: { solution: 'asc' } });
        const { p, decisions } = await this.judgeEntries(
          spec,
          shortlist.asOf,
          entries.map((e) => ({ solutionId: e.solution.id, included: e.included, rationale: e.rationale })),
          // The buyer chose these when they were candidates; one has left the catalogue since.
          (_i, solutionId) => ShortlistErrors.noLongerCandidate(solutionId, shortlist.version),
        );
        const cited = decisions.flatMap((d) => d.match.outcomes.flatMap((o) => o.evidence));
        const versions = await evidenceVersions(em, cited);
        // The documents each piece of evidence rested on, by hash: verify checks the stored bytes still hash to them.
        const takesDocuments = (kind: string) => (DOCUMENT_KINDS as readonly string[]).includes(kind);
        const documents = await attachedHashes(em, cited.filter((e) => takesDocuments(e.kind)));
        const suppliers = new Map((await em.find(Supplier, { id: { $in: decisions.map((d) => d.match.supplierId) } })).map((s) => [s.id, s]));
        // The next link of the organisation's one chain of decisions (shortlists and competitions).
        const link = await nextLink(em, shortlist.owner.id);
        const owner = await em.findOneOrFail(Organisation, { id: shortlist.owner.id });
        const finalisedAt = new Date();
        const snapshot = {
          shortlistId: shortlist.id,
          owner: { odsCode: owner.odsCode, name: owner.name },
          asOf: shortlist.asOf,
          notes: shortlist.notes ?? null,
          finalisedAt: finalisedAt.toISOString(),
          finalisedBy: this.sub,
          specification: {
            id: spec.id,
            version: spec.version,
            title: spec.title,
            frameworkCodes: spec.frameworkCodes,
            contractStart: spec.contractStart,
            contractEnd: contractEndOf(spec),
            kpis: spec.kpis,
            serviceRecipientIds: spec.serviceRecipientIds,
            quantities: spec.quantities,
            requirements: p.requirements.map((r) => ({ code: r.code, title: r.title, priority: r.priority, weight: r.weight, criterion: r.criterion })),
          },
          entries: decisions.map(({ entry, rationale, match }) => {
            const supplier = suppliers.get(match.supplierId)!;
            return {
              supplier: { id: supplier.id, name: supplier.name, legalName: supplier.legalName, companiesHouseNumber: supplier.companiesHouseNumber, odsCode: supplier.odsCode ?? null },
              solution: { id: match.solutionId, name: String(match.row.solution_name) },
              included: entry.included,
              rationale,
              eligible: match.eligible,
              score: match.score,
              outcomes: match.outcomes.map((o) => ({
                requirement: o.requirement.code,
                status: o.status,
                reason: o.reason,
                evidence: o.evidence.map((e) => ({
                  ...e,
                  version: versions.get(e.id) ?? null,
                  ...(takesDocuments(e.kind) ? { documents: documents.get(`${e.kind}:${e.id}`) ?? [] } : {}),
                })),
              })),
            };
          }),
        };
        // Entries as judged now: what the snapshot says is what the rows say.
        for (const e of entries) {
          const d = decisions.find((x) => x.match.solutionId === e.solution.id)!;
          e.eligible = d.match.eligible;
          e.score = d.match.score;
        }
        await em.flush(); // entries first: once the shortlist is FINALISED the database refuses changes to them
        Object.assign(shortlist, {
          status: ShortlistStatus.FINALISED,
          finalisedAt,
          finalisedBy: this.sub,
          sequence: link.sequence,
          previousHash: link.previousHash,
          snapshot,
          hash: chainHash(link.previousHash, snapshot),
        });
        await em.flush();
        audit.record({ action: 'shortlist.finalise', entityType: AuditEntity.SHORTLIST, entityId: shortlist.id, supplierId: null, before: null, after: { hash: shortlist.hash, previousHash: shortlist.previousHash, sequence: shortlist.sequence, ownerId: shortlist.owner.id } });
        return shortlist;
      },
      async () => (await this.ctx.em.fork().findOne(Shortlist, { id }))?.version ?? null,
    );
  }

  /** The finalised shortlist as an OCDS release package. */
  async ocds(id: string, baseUri: string): Promise<Record<string, unknown>> {
    const shortlist = await this.get(id);
    if (shortlist.status !== ShortlistStatus.FINALISED || !shortlist.snapshot) throw ShortlistErrors.notFinalised();
    return shortlistOcds(shortlist, this.ctx.reference, baseUri);
  }

  /** Recomputes the hash of this shortlist and of every earlier link of its chain, and checks the entry rows. */
  async verify(id: string): Promise<ShortlistVerification> {
    const shortlist = await this.get(id);
    const problems: string[] = [];
    if (shortlist.status !== ShortlistStatus.FINALISED || !shortlist.snapshot) {
      return { shortlistId: id, valid: false, storedHash: null, recomputedHash: null, problems: ['The shortlist is not finalised, so there is nothing to verify yet.'] };
    }
    // The organisation's whole chain up to this shortlist, competitions included, and the audit trail's record of it.
    const chain = await verifyChain(this.ctx.em, shortlist.owner.id, { id: shortlist.id, sequence: shortlist.sequence! });
    problems.push(...chain.problems);
    const recomputed = chain.recomputedHash;
    // Every field a reader sees must be the frozen one: the shortlist's own columns and every entry.
    const snap = shortlist.snapshot as {
      asOf: string; notes: string | null; finalisedAt: string; finalisedBy: string; specification: { id: string };
      entries: { supplier: { id: string }; solution: { id: string }; included: boolean; rationale: string | null; eligible: boolean; score: number }[];
    };
    const shown = { asOf: shortlist.asOf, notes: shortlist.notes ?? null, finalisedAt: shortlist.finalisedAt?.toISOString(), finalisedBy: shortlist.finalisedBy, specification: shortlist.specification.id };
    const frozenHead = { asOf: snap.asOf, notes: snap.notes ?? null, finalisedAt: snap.finalisedAt, finalisedBy: snap.finalisedBy, specification: snap.specification.id };
    if (canonicalJson(shown) !== canonicalJson(frozenHead)) problems.push('The shortlist row differs from the finalised snapshot.');
    const entries = await this.ctx.em.find(ShortlistEntry, { shortlist }, { orderBy: { solution: 'asc' } });
    const row = (e: { supplier: string; solution: string; included: boolean; rationale: string | null; eligible: boolean; score: number }) => e;
    const rows = entries
      .map((e) => row({ supplier: e.supplier.id, solution: e.solution.id, included: e.included, rationale: e.rationale ?? null, eligible: e.eligible, score: e.score }))
      .sort((a, b) => a.solution.localeCompare(b.solution));
    const expected = (snap.entries ?? [])
      .map((e) => row({ supplier: e.supplier.id, solution: e.solution.id, included: e.included, rationale: e.rationale ?? null, eligible: e.eligible, score: e.score }))
      .sort((a, b) => a.solution.localeCompare(b.solution));
    if (canonicalJson(rows) !== canonicalJson(expected)) problems.push('The entry rows differ from the finalised snapshot.');

    // Each document the evidence rested on must still be the bytes it was: recomputed from the store.
    const rested = new Map<string, string[]>();
    for (const entry of (snap as { entries: { outcomes?: { evidence?: { kind: string; id: string; documents?: string[] }[] }[] }[] }).entries ?? []) {
      for (const outcome of entry.outcomes ?? []) {
        for (const e of outcome.evidence ?? []) for (const sha of e.documents ?? []) rested.set(sha, [...new Set([...(rested.get(sha) ?? []), `${e.kind} ${e.id}`])]);
      }
    }
    for (const sha of await new DocumentService(this.ctx).mismatched([...rested.keys()])) {
      for (const evidence of rested.get(sha)!) problems.push(`Document ${sha} of ${evidence} no longer matches its hash.`);
    }

    return { shortlistId: id, valid: problems.length === 0, storedHash: shortlist.hash ?? null, recomputedHash: recomputed, problems };
  }
}
