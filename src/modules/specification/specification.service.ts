import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { expectVersion, mutate } from '../../graphql/mutation.js';
import { growSize } from '../reference/reference-cache.js';
import { keysetPage, type Connection, type PageArgs } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { AuditEntity } from '../audit/audit.inputs.js';
import { snapshot } from '../audit/audit.service.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { Organisation, OrganisationRole } from '../organisation/organisation.entity.js';
import { PriceUnit, quantityKey } from '../price/price.entity.js';
import { MAX_UNITS } from '../price/price.inputs.js';
import { UUID } from '../../common/ids.js';
import { hasVisibleText } from '../../common/text.js';
import { SpecificationErrors } from './specification.errors.js';
import { organisationTreeIds, shortlistCount } from './specification.store.js';
import type { RequirementInput, SpecificationInput } from './specification.inputs.js';
import type { Criterion } from '../matching/criteria/criterion.input.js';
import { fieldsOf, ruleFor, type TypedCriterion } from '../matching/criteria/index.js';
import { Requirement, RequirementSet, ServiceSpecification, type SpecificationKpi, type SpecificationQuantity } from './specification.entity.js';

/** The most values a criterion's list field takes. */
export const MAX_CRITERION_VALUES = 1000;

/** A criterion's input fields, by name. */
type InputFields = Record<string, unknown>;

export class SpecificationService {
  constructor(private readonly ctx: Context) {}

  /** The buyer's organisation and, for an ICB or sub-ICB location, every organisation under it. */
  async buyerScope(em: EntityManager = this.ctx.em): Promise<{ root: Organisation; ids: Set<string> }> {
    const viewer = this.ctx.viewer;
    if (viewer.kind !== 'buyer') throw IdentityErrors.roleRequired(['BUYER']);
    const root = await em.findOne(Organisation, { odsCode: viewer.odsCode });
    if (!root) throw IdentityErrors.notYours('organisation');
    return { root, ids: new Set(await organisationTreeIds(em, root.id)) };
  }

  /**
   * A specification the buyer may see; another organisation's answers FORBIDDEN. `lock` (inside a
   * mutation's transaction) reads it FOR SHARE: its owner cannot change until the transaction ends,
   * and a change committed while we waited is the one checked.
   */
  async get(id: string, options: { lock?: boolean } = {}): Promise<ServiceSpecification> {
    if (!UUID.test(id)) throw SpecificationErrors.notFound();
    const spec = await this.ctx.em.findOne(ServiceSpecification, { id }, options.lock ? { lockMode: LockMode.PESSIMISTIC_READ, refresh: true } : {});
    if (!spec) throw SpecificationErrors.notFound();
    await this.assertVisible(spec);
    return spec;
  }

  /** FORBIDDEN unless the specification belongs to the buyer's organisation or one under it. */
  async assertVisible(spec: Pick<ServiceSpecification, 'owner'>): Promise<void> {
    const { ids } = await this.buyerScope();
    if (!ids.has(spec.owner.id)) throw IdentityErrors.notYours('specification');
  }

  /** The requirements in force: those of the specification's sets, then its own, each by code. */
  async requirementsOf(spec: ServiceSpecification): Promise<Requirement[]> {
    const { loaders } = this.ctx;
    const sets = await loaders.requirementSetsBySpecification.load(spec.id);
    const fromSets = await Promise.all(sets.map((s) => loaders.requirementsBySet.load(s.id)));
    return [...fromSets.flat(), ...(await loaders.requirementsBySpecification.load(spec.id))];
  }

  async list(page: PageArgs): Promise<Connection<ServiceSpecification>> {
    const { ids } = await this.buyerScope();
    return keysetPage({ em: this.ctx.em, entity: ServiceSpecification, where: { owner: { $in: [...ids] } }, keys: ['title', 'id'], kinds: ['string', 'uuid'], page });
  }

  create(input: SpecificationInput): Promise<ServiceSpecification> {
    return mutate(this.ctx, 'specification', async ({ em, audit }) => {
      const { owner, recipientIds } = await this.validate(em, input);
      const spec = em.create(ServiceSpecification, { owner, createdBy: (this.ctx.viewer as { sub: string }).sub, ...this.fields(input), serviceRecipientIds: recipientIds });
      await this.replaceRequirements(em, spec, input);
      await em.flush();
      audit.record({ action: 'specification.create', entityType: AuditEntity.SPECIFICATION, entityId: spec.id, supplierId: null, before: null, after: await this.describe(em, spec) });
      return spec;
    });
  }

  update(id: string, version: number, input: SpecificationInput): Promise<ServiceSpecification> {
    return mutate(
      this.ctx,
      'specification',
      async ({ em, audit }) => {
        // FOR UPDATE: a shortlist being created from it (which reads it FOR SHARE) finishes first, or
        // waits and then sees the new owner; either way the shortlist check below cannot miss it.
        const spec = UUID.test(id) ? await em.findOne(ServiceSpecification, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }) : null;
        if (!spec) throw SpecificationErrors.notFound();
        const { ids } = await this.buyerScope(em);
        if (!ids.has(spec.owner.id)) throw IdentityErrors.notYours('specification');
        expectVersion(spec, version, 'specification');
        const before = await this.describe(em, spec);
        const { owner, recipientIds } = await this.validate(em, input, spec.owner as Organisation);
        if (owner.id !== spec.owner.id) {
          const count = await shortlistCount(em, spec.id);
          if (count > 0) throw SpecificationErrors.hasShortlists(count);
        }
        em.assign(spec, { owner, ...this.fields(input), serviceRecipientIds: recipientIds });
        await this.replaceRequirements(em, spec, input);
        await em.flush();
        audit.record({ action: 'specification.update', entityType: AuditEntity.SPECIFICATION, entityId: spec.id, supplierId: null, before, after: await this.describe(em, spec) });
        return spec;
      },
      async () => (await this.ctx.em.fork().findOne(ServiceSpecification, { id }))?.version ?? null,
    );
  }

  private fields(input: SpecificationInput) {
    return {
      title: input.title.trim(),
      frameworkCodes: [...new Set(input.frameworkCodes.map((c) => c.toUpperCase()))],
      kpis: input.kpis.map((k) => ({ ...k })),
      contractStart: input.contractStart,
      termMonths: input.termMonths,
      quantities: input.quantities.map((q) => ({ unit: q.unit, unitName: q.unit === PriceUnit.NAMED ? q.unitName!.trim() : null, quantity: q.quantity })),
    };
  }

  /** The record as it stood, for the audit trail: fields, sets and its own requirements. */
  private async describe(em: EntityManager, spec: ServiceSpecification): Promise<Record<string, unknown>> {
    const requirements = await em.find(Requirement, { specification: spec }, { orderBy: { code: 'asc' } });
    await spec.requirementSets.init();
    return {
      ...snapshot(spec),
      requirementSetIds: spec.requirementSets.getItems().map((s) => s.id),
      requirements: requirements.map((r) => ({ code: r.code, title: r.title, priority: r.priority, weight: r.weight, criterion: r.criterion })),
    };
  }

  private async replaceRequirements(em: EntityManager, spec: ServiceSpecification, input: SpecificationInput): Promise<void> {
    const sets = input.requirementSetIds.length ? await em.find(RequirementSet, { id: { $in: input.requirementSetIds } }) : [];
    spec.requirementSets.set(sets);
    // The query cost model prices a specification's lists by the longest there is: a longer one
    // counts from now, not from the next re-count (sets priced at their longest, without a query).
    const sizes = this.ctx.reference.sizes;
    growSize(this.ctx.reference, 'requirementsPerSpecification', input.requirements.length + sets.length * sizes.requirementsPerSet);
    growSize(this.ctx.reference, 'kpisPerSpecification', input.kpis.length);
    growSize(this.ctx.reference, 'setsPerSpecification', sets.length);
    if (spec.id) await em.nativeDelete(Requirement, { specification: spec.id });
    for (const r of input.requirements) {
      em.create(Requirement, { specification: spec, code: r.code, title: r.title.trim(), priority: r.priority, weight: r.weight, criterion: this.cleanCriterion(r.criterion) });
    }
  }

  /**
   * The input narrowed to its type, once: only the fields its rule takes (null ones dropped), cleaned
   * by the rule. Runs after validateCriterion accepted it.
   */
  private cleanCriterion(criterion: Criterion): TypedCriterion {
    const rule = ruleFor(criterion.type);
    const picked: InputFields = { type: criterion.type };
    for (const field of fieldsOf(rule)) {
      const value = (criterion as unknown as InputFields)[field];
      if (value !== undefined && value !== null) picked[field] = value;
    }
    return rule.clean(picked as Parameters<typeof rule.clean>[0]);
  }

  /** Every rule a specification must satisfy before it is saved; returns the owning organisation and the service recipients' ids. */
  private async validate(em: EntityManager, input: SpecificationInput, currentOwner?: Organisation): Promise<{ owner: Organisation; recipientIds: string[] }> {
    const { root, ids } = await this.buyerScope(em);
    // A new specification belongs to the buyer's organisation unless it names another; an update keeps its owner.
    let owner = currentOwner ?? root;
    if (input.ownerOdsCode) {
      const found = await em.findOne(Organisation, { odsCode: input.ownerOdsCode.toUpperCase() });
      if (!found) throw SpecificationErrors.unknownOrganisation(input.ownerOdsCode);
      if (!ids.has(found.id)) throw IdentityErrors.notYours('organisation');
      owner = found;
    }
    const reference = this.ctx.reference;
    const frameworks = [...reference.frameworks.values()];
    for (const code of input.frameworkCodes) {
      const framework = frameworks.find((f) => f.code === code.toUpperCase());
      if (!framework) throw SpecificationErrors.unknownFramework(code);
      if (input.termMonths > framework.maximumTermMonths) throw SpecificationErrors.termTooLong(input.termMonths, framework.maximumTermMonths, framework.code);
    }
    if (input.requirementSetIds.length) {
      const sets = await em.find(RequirementSet, { id: { $in: input.requirementSetIds } });
      if (sets.length !== new Set(input.requirementSetIds).size || sets.some((s) => s.owner && !ids.has(s.owner.id))) {
        throw SpecificationErrors.unknownRequirementSet();
      }
    }
    this.validateKpis(input.kpis);
    const codes = new Set<string>();
    input.requirements.forEach((r, i) => {
      if (codes.has(r.code)) throw SpecificationErrors.duplicateCode(`requirements.${i}.code`, r.code);
      codes.add(r.code);
      this.validateCriterion(`requirements.${i}.criterion`, r, input.kpis);
    });
    this.validateQuantities(input.quantities);
    return { owner, recipientIds: await this.recipientIds(em, owner, input.serviceRecipients) };
  }

  /**
   * The named service recipients' ids, in the order given (repeats dropped): each must be a GP practice
   * under the owner. None named is every practice under the owner, kept as an empty list.
   */
  private async recipientIds(em: EntityManager, owner: Organisation, odsCodes: string[]): Promise<string[]> {
    if (!odsCodes.length) return [];
    const codes = odsCodes.map((c) => c.toUpperCase());
    const found = new Map((await em.find(Organisation, { odsCode: { $in: [...new Set(codes)] } })).map((o) => [o.odsCode, o]));
    const under = new Set(await organisationTreeIds(em, owner.id));
    const ids: string[] = [];
    codes.forEach((code, i) => {
      const o = found.get(code);
      if (!o || o.role !== OrganisationRole.GP_PRACTICE || !under.has(o.id)) throw SpecificationErrors.notARecipient(`serviceRecipients.${i}`, code, owner.odsCode);
      if (!ids.includes(o.id)) ids.push(o.id);
    });
    return ids;
  }

  private validateQuantities(quantities: SpecificationQuantity[]): void {
    const keys = new Set<string>();
    quantities.forEach((q, i) => {
      const at = `quantities.${i}`;
      if (q.unit === PriceUnit.PER_PATIENT || q.unit === PriceUnit.PER_PRACTICE) {
        throw SpecificationErrors.badQuantity(`${at}.unit`, `${q.unit} is counted from the service recipients and takes no quantity.`);
      }
      const name = q.unitName?.trim();
      if (q.unit === PriceUnit.NAMED && (!hasVisibleText(name) || name!.length > 100)) throw SpecificationErrors.badQuantity(`${at}.unitName`, 'A NAMED unit needs its name (1 to 100 characters), e.g. "site visit".');
      if (q.unit !== PriceUnit.NAMED && name) throw SpecificationErrors.badQuantity(`${at}.unitName`, `A ${q.unit} quantity takes no unit name.`);
      if (!Number.isInteger(q.quantity) || q.quantity < 0 || q.quantity > MAX_UNITS) throw SpecificationErrors.badQuantity(`${at}.quantity`, `quantity must be a whole number from 0 to ${MAX_UNITS.toLocaleString('en-GB')}.`);
      const key = quantityKey(q.unit, name);
      if (keys.has(key)) throw SpecificationErrors.duplicateCode(`${at}.unit`, q.unit === PriceUnit.NAMED ? `The unit "${name}"` : q.unit);
      keys.add(key);
    });
  }

  private validateKpis(kpis: SpecificationKpi[]): void {
    const codes = new Set<string>();
    kpis.forEach((k, i) => {
      if (!/^[A-Z][A-Z0-9_]{1,63}$/.test(k.code)) throw SpecificationErrors.badCriterion(`kpis.${i}.code`, 'A KPI code is upper-case letters, digits and underscores.');
      if (codes.has(k.code)) throw SpecificationErrors.duplicateCode(`kpis.${i}.code`, k.code);
      codes.add(k.code);
      for (const field of ['name', 'unit', 'measurementPeriod'] as const) {
        if (!k[field].trim() || k[field].length > 200) throw SpecificationErrors.badCriterion(`kpis.${i}.${field}`, `${field} must be 1 to 200 characters.`);
      }
      if (!Number.isFinite(k.target)) throw SpecificationErrors.badCriterion(`kpis.${i}.target`, 'target must be a number.');
    });
  }

  private validateCriterion(field: string, requirement: RequirementInput, kpis: SpecificationKpi[]): void {
    const c = requirement.criterion;
    const rule = ruleFor(c.type);
    const fail = (message: string) => SpecificationErrors.badCriterion(field, `${requirement.code}: ${message}`);
    const given = c as unknown as InputFields;
    const takes = fieldsOf(rule);
    const extra = Object.keys(c).filter((k) => k !== 'type' && given[k] !== undefined && given[k] !== null && !takes.includes(k));
    if (extra.length) throw fail(`a ${c.type} criterion does not take ${extra.join(', ')}.`);
    // Far more than any list has distinct values (repeats are stored once: test/hardening.test.ts sends 500 lots); a longer one is refused before any rule walks it.
    const long = takes.find((k) => Array.isArray(given[k]) && (given[k] as unknown[]).length > MAX_CRITERION_VALUES);
    if (long) throw fail(`${long} takes at most ${MAX_CRITERION_VALUES} values.`);
    const problem = rule.validate(c as unknown as Parameters<typeof rule.validate>[0], { reference: this.ctx.reference, kpis });
    if (problem) throw fail(problem);
  }
}
