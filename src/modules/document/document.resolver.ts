import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { Certification } from '../certification/certification.entity.js';
import { DsptAssessment } from '../dspt/dspt.entity.js';
import { EvidenceKind } from '../evidence/evidence.inputs.js';
import { EvidenceItem } from '../evidence/evidence.types.js';
import { KpiReport } from '../evidence/kpi-report.entity.js';
import { Role } from '../identity/identity.viewer.js';
import { CapabilityAssessment, EpicAssessment, StandardCompliance } from '../solution/solution.entity.js';
import { documentKey } from './document.loader.js';
import { DocumentService, toDocument } from './document.service.js';
import { DOCUMENT_KINDS, EvidenceDocument, EvidenceDocumentChange, MAX_DOCUMENTS_PER_EVIDENCE } from './document.types.js';

const DESCRIPTION = `The files attached to this version (at most ${MAX_DOCUMENTS_PER_EVIDENCE}), oldest first: for the supplier itself and the assurance team only; null for anyone else.`;

/** The documents of one piece of evidence, if the viewer may see them: one batched statement per response. */
async function documentsFor(ctx: Context, kind: EvidenceKind, id: string): Promise<EvidenceDocument[] | null> {
  const viewer = ctx.viewer;
  // The public and buyers never see documents: no statement is spent finding out.
  if (viewer.kind !== 'assurance' && viewer.kind !== 'supplier') return null;
  if (!DOCUMENT_KINDS.includes(kind)) return viewer.kind === 'assurance' ? [] : null;
  const found = await ctx.loaders.documentsByEvidence.load(documentKey(kind, id));
  if (!found) return null;
  if (viewer.kind === 'supplier' && found.owner !== viewer.supplierId) return null;
  return found.documents.map(toDocument);
}

/** `documents` on an evidence type of one kind. */
function documentsField<T extends { id: string }>(type: abstract new () => T, kind: EvidenceKind) {
  @Resolver(() => type)
  class EvidenceDocumentsResolver {
    @FieldResolver(() => [EvidenceDocument], { nullable: true, description: DESCRIPTION })
    documents(@Root() evidence: T, @Ctx() ctx: Context): Promise<EvidenceDocument[] | null> {
      return documentsFor(ctx, kind, evidence.id);
    }
  }
  return EvidenceDocumentsResolver;
}

export const CertificationDocumentsResolver = documentsField(Certification, EvidenceKind.CERTIFICATION);
export const DsptDocumentsResolver = documentsField(DsptAssessment, EvidenceKind.DSPT_ASSESSMENT);
export const CapabilityAssessmentDocumentsResolver = documentsField(CapabilityAssessment, EvidenceKind.CAPABILITY_ASSESSMENT);
export const EpicAssessmentDocumentsResolver = documentsField(EpicAssessment, EvidenceKind.EPIC_ASSESSMENT);
export const StandardComplianceDocumentsResolver = documentsField(StandardCompliance, EvidenceKind.STANDARD_COMPLIANCE);
export const KpiReportDocumentsResolver = documentsField(KpiReport, EvidenceKind.KPI_REPORT);

@Resolver(() => EvidenceItem)
export class EvidenceItemDocumentsResolver {
  @FieldResolver(() => [EvidenceDocument], { nullable: true, description: `${DESCRIPTION} None for a PROFILE_CHANGE.` })
  documents(@Root() item: EvidenceItem, @Ctx() ctx: Context): Promise<EvidenceDocument[] | null> {
    return documentsFor(ctx, item.kind, item.id);
  }
}

@Resolver()
export class EvidenceDocumentResolver {
  @Authorized(Role.SUPPLIER)
  @Mutation(() => EvidenceDocumentChange, {
    description:
      'Removes a document from your evidence; quote the evidence’s version (it moves, and the evidence goes back to SUBMITTED). Documents are uploaded by multipart POST to /evidence/{kind}/{id}/documents?version=N (see the README).',
  })
  async removeEvidenceDocument(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('version', () => Int, { description: 'The evidence’s version you saw.' }) version: number): Promise<EvidenceDocumentChange> {
    const { document, evidence } = await new DocumentService(ctx).remove(id, version);
    return { document, evidenceKind: evidence.kind, evidenceId: evidence.id, evidenceVersion: evidence.version, evidenceStatus: evidence.verificationStatus };
  }
}
