import { badInput } from '../../common/errors.js';
import { findByReference } from '../reference/reference-cache.js';
import type { Context } from '../../graphql/context.js';
import { today } from '../../graphql/scalars.js';
import { certificationValidOn, CertificationType } from '../certification/certification.entity.js';
import { DSPT_ORDER, dsptCurrentOn, DsptStatus } from '../dspt/dspt.entity.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { Organisation, OrganisationRole } from '../organisation/organisation.entity.js';
import { normaliseOdsCode } from '../organisation/organisation.service.js';
import { SpecificationService } from '../specification/specification.service.js';
import { directOptions } from './practice.store.js';
import { ChecklistItem, type ChecklistLine, type DirectProcurementOption } from './practice.types.js';

export class PracticeService {
  constructor(private readonly ctx: Context) {}

  /**
   * What a practice may buy directly today: published solutions offering every capability asked for,
   * from suppliers with an active award on a live framework open to practices (HSSF, DCS), each checked
   * against the local procurement checklist. Passing options first, then by supplier and solution name.
   */
  async options(practiceOdsCode: string, capabilities: string[], first: number): Promise<DirectProcurementOption[]> {
    const odsCode = normaliseOdsCode(practiceOdsCode, 'practiceOdsCode');
    const refs = [...new Set(capabilities.map((c) => c.trim().toUpperCase()))];
    if (refs.length === 0 || refs.length > 20 || refs.some((r) => !/^C\d{1,4}$/.test(r))) {
      throw badInput('capabilities', 'INVALID_CAPABILITIES', refs.length === 0 ? 'Choose at least one capability.' : 'capabilities must be 1 to 20 references such as C5.');
    }
    const unknown = refs.filter((r) => !findByReference(this.ctx.reference.capabilities, r));
    if (unknown.length) {
      throw badInput('capabilities', 'UNKNOWN_CAPABILITY', `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a capability' : 'are not capabilities'} in the catalogue.`);
    }
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first', 'INVALID_PAGE_SIZE', 'first must be 1 to 100.');
    const practice = await this.ctx.em.findOne(Organisation, { odsCode });
    if (!practice || practice.role !== OrganisationRole.GP_PRACTICE) {
      throw badInput('practiceOdsCode', 'NOT_A_PRACTICE', `${odsCode} is not a GP practice in the catalogue.`);
    }
    const { ids } = await new SpecificationService(this.ctx).buyerScope();
    if (!ids.has(practice.id)) throw IdentityErrors.notYours('practice');

    const on = today();
    const rows = await directOptions(this.ctx.em, refs, on);
    const options = await Promise.all(
      rows.map(async (row) => {
        const [certs, dspt] = await Promise.all([
          this.ctx.loaders.certificationsBySupplier.load(row.supplier_id),
          row.ods_code ? this.ctx.loaders.dsptByOdsCode.load(row.ods_code) : Promise.resolve([]),
        ]);
        const framework = this.ctx.reference.frameworks.get(row.framework_id)!;
        const verified = certs.filter((c) => c.verificationStatus === 'VERIFIED');
        const current = (type: CertificationType) =>
          verified.filter((c) => c.type === type && certificationValidOn(c, on)).sort((a, b) => (a.validUntil < b.validUntil ? 1 : -1))[0];
        const dsptNow = dspt.find((d) => d.verificationStatus === 'VERIFIED' && dsptCurrentOn(d, on));
        const expires = String(row.expires_on);
        const checks: ChecklistLine[] = [
          {
            check: ChecklistItem.SUPPORTED_AND_PUBLISHED,
            passed: true,
            reason: `Published on ${framework.code}, with an active award until ${expires}.`,
          },
          dsptNow && DSPT_ORDER.indexOf(dsptNow.status) >= DSPT_ORDER.indexOf(DsptStatus.STANDARDS_MET)
            ? { check: ChecklistItem.DSPT_STANDARDS_MET, passed: true, reason: `DSPT ${dsptNow.cycle} is ${dsptNow.status}, current until ${dsptNow.currentUntil}.` }
            : {
                check: ChecklistItem.DSPT_STANDARDS_MET,
                passed: false,
                reason: dsptNow ? `DSPT ${dsptNow.cycle} is ${dsptNow.status}, below STANDARDS_MET.` : 'No current verified DSPT publication.',
              },
          row.dpa
            ? { check: ChecklistItem.DATA_PROCESSING_AGREEMENT, passed: true, reason: `A data processing agreement is published at ${row.dpa}.` }
            : { check: ChecklistItem.DATA_PROCESSING_AGREEMENT, passed: false, reason: 'No data processing agreement is published for this solution.' },
          ...([
            [ChecklistItem.ISO_27001_CURRENT, CertificationType.ISO_27001, 'ISO/IEC 27001'],
            [ChecklistItem.CYBER_ESSENTIALS_PLUS_CURRENT, CertificationType.CYBER_ESSENTIALS_PLUS, 'Cyber Essentials Plus'],
          ] as const).map(([check, type, label]) => {
            const cert = current(type);
            return cert
              ? { check, passed: true, reason: `${label} certificate ${cert.certificateNumber} is valid until ${cert.validUntil}.` }
              : { check, passed: false, reason: `No verified ${label} certificate is valid today.` };
          }),
        ];
        return { framework, supplierId: row.supplier_id, solutionId: row.solution_id, passesChecklist: checks.every((c) => c.passed), checks };
      }),
    );
    // Stable sort: passing first, keeping the name order within each group.
    return [...options.filter((o) => o.passesChecklist), ...options.filter((o) => !o.passesChecklist)].slice(0, first);
  }
}
