import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UUID } from '../../common/ids.js';
import { hasVisibleText } from '../../common/text.js';
import { expectVersion, mutate } from '../../graphql/mutation.js';
import type { Context } from '../../graphql/context.js';
import { AuditEntity } from '../audit/audit.inputs.js';
import { snapshot } from '../audit/audit.service.js';
import { VerificationStatus } from '../evidence/evidence.entity.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { growSize } from '../reference/reference-cache.js';
import { PublicationStatus, Solution } from '../solution/solution.entity.js';
import { MAX_TIERS, PriceCalculation, PriceUnit, ProvisioningType, SolutionPrice, type StoredTier } from './price.entity.js';
import { PriceErrors } from './price.errors.js';
import { penceOf, type PriceInput } from './price.inputs.js';
import { priceCount } from './price.store.js';

/** Prices of one solution awaiting review (SUBMITTED) at once. */
export const MAX_PENDING_PRICES = 50;

/** The units whose quantity comes from the service recipients (provisioning PATIENT). */
const RECIPIENT_UNITS = new Set([PriceUnit.PER_PATIENT, PriceUnit.PER_PRACTICE]);

/**
 * Every rule a price must satisfy beyond its input rules, each failure naming its field: a NAMED unit
 * and only it has a name; PER_PATIENT and PER_PRACTICE are provisioned PATIENT and the others are not;
 * FLAT takes a price and no tiers, TIERED a rule and tiers contiguous from 1 with no gaps or overlaps,
 * the last (and only the last) open-ended; the effective dates in order.
 */
export function checkPrice(input: PriceInput): { pricePence: number | null; tiers: StoredTier[] | null } {
  const bad = PriceErrors.invalid;
  const unitName = input.unitName?.trim();
  if (!hasVisibleText(input.item)) throw bad('item', 'ITEM_REQUIRED', 'Name the item priced, e.g. "Clinical system licence".');
  if (input.unit === PriceUnit.NAMED && !hasVisibleText(unitName)) throw bad('unitName', 'UNIT_NAME_REQUIRED', 'A NAMED unit needs its name, e.g. "site visit".');
  if (input.unit !== PriceUnit.NAMED && unitName) throw bad('unitName', 'NOT_EXPECTED', `A ${input.unit} unit takes no name.`);
  const fromRecipients = RECIPIENT_UNITS.has(input.unit);
  if (fromRecipients !== (input.provisioning === ProvisioningType.PATIENT)) {
    throw bad(
      'provisioning',
      'PROVISIONING_MISMATCH',
      fromRecipients
        ? `A ${input.unit} item is provisioned PATIENT: its quantity comes from the service recipients.`
        : `Only PER_PATIENT and PER_PRACTICE items are provisioned PATIENT; a ${input.unit} item is DECLARATIVE or ON_DEMAND.`,
    );
  }
  if (input.effectiveUntil && input.effectiveUntil <= input.effectiveFrom) throw bad('effectiveUntil', 'BEFORE_START', 'effectiveUntil must be after effectiveFrom.');
  if (input.calculation === PriceCalculation.FLAT) {
    if (input.price == null) throw bad('price', 'PRICE_REQUIRED', 'A FLAT price needs its price per unit.');
    if (input.tieredRule) throw bad('tieredRule', 'NOT_EXPECTED', 'A FLAT price has no tiered rule.');
    if (input.tiers?.length) throw bad('tiers', 'NOT_EXPECTED', 'A FLAT price has no tiers.');
    return { pricePence: penceOf(input.price), tiers: null };
  }
  if (input.price != null) throw bad('price', 'NOT_EXPECTED', 'A TIERED price is priced by its tiers, not one price.');
  if (!input.tieredRule) throw bad('tieredRule', 'RULE_REQUIRED', 'A TIERED price needs its rule: SINGLE_FIXED, CUMULATIVE or VOLUME.');
  const tiers = input.tiers ?? [];
  if (tiers.length === 0 || tiers.length > MAX_TIERS) throw bad('tiers', 'TIERS_REQUIRED', `A TIERED price needs 1 to ${MAX_TIERS} tiers.`);
  tiers.forEach((t, i) => {
    const expected = i === 0 ? 1 : tiers[i - 1].upperBound! + 1;
    if (t.lowerBound !== expected) {
      throw bad(`tiers.${i}.lowerBound`, i === 0 ? 'FIRST_TIER_NOT_FROM_ONE' : 'TIERS_NOT_CONTIGUOUS', i === 0 ? 'The first tier starts at 1.' : `Tier ${i + 1} must start at ${expected}, straight after tier ${i}: no gaps or overlaps.`);
    }
    const last = i === tiers.length - 1;
    if (last && t.upperBound != null) throw bad(`tiers.${i}.upperBound`, 'LAST_TIER_BOUNDED', 'The last tier is open-ended: leave its upper bound empty.');
    if (!last && t.upperBound == null) throw bad(`tiers.${i}.upperBound`, 'TIER_UNBOUNDED', 'Only the last tier is open-ended: give this tier its upper bound.');
    if (t.upperBound != null && t.upperBound < t.lowerBound) throw bad(`tiers.${i}.upperBound`, 'TIER_INVERTED', 'A tier’s upper bound cannot be below its lower bound.');
  });
  return { pricePence: null, tiers: tiers.map((t) => ({ lowerBound: t.lowerBound, upperBound: t.upperBound ?? null, pricePence: penceOf(t.price) })) };
}

export class PriceService {
  constructor(private readonly ctx: Context) {}

  private get supplierId(): string {
    if (this.ctx.viewer.kind !== 'supplier') throw IdentityErrors.roleRequired(['SUPPLIER']);
    return this.ctx.viewer.supplierId;
  }

  /** One of the supplier's own solutions; another supplier's is FORBIDDEN (NOT_FOUND while unpublished, as in solution(id)). */
  private async ownSolution(em: EntityManager, solutionId: string): Promise<Solution> {
    const solution = UUID.test(solutionId) ? await em.findOne(Solution, { id: solutionId }) : null;
    if (!solution || (solution.supplier.id !== this.supplierId && solution.publicationStatus !== PublicationStatus.PUBLISHED)) {
      throw PriceErrors.invalid('solutionId', 'NOT_FOUND', 'No solution of yours has this id.');
    }
    if (solution.supplier.id !== this.supplierId) throw IdentityErrors.notYours('solution');
    return solution;
  }

  /**
   * A new price row, SUBMITTED: earlier rows are kept (history), and the price rule decides which applies.
   * At most MAX_PENDING_PRICES of a solution await review at once: every buyer's match and every
   * solution's prices are priced (query cost) by the longest list of prices, so one supplier sending
   * rows without end would price everyone's queries past the limit.
   */
  submit(input: PriceInput): Promise<SolutionPrice> {
    return mutate(this.ctx, 'price', async (scope) => {
      const solution = await this.ownSolution(scope.em, input.solutionId);
      const { pricePence, tiers } = checkPrice(input);
      // The solution's row locked: concurrent submits count one after another.
      await scope.em.findOne(Solution, { id: solution.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if ((await scope.em.count(SolutionPrice, { solution: solution.id, verificationStatus: VerificationStatus.SUBMITTED })) >= MAX_PENDING_PRICES) {
        throw PriceErrors.invalid('solutionId', 'TOO_MANY_PENDING', `At most ${MAX_PENDING_PRICES} prices of a solution await review at once: wait for the assurance team, or withdraw one.`);
      }
      const price = scope.em.create(SolutionPrice, {
        solution,
        item: input.item.trim(),
        unit: input.unit,
        unitName: input.unit === PriceUnit.NAMED ? input.unitName!.trim() : null,
        provisioning: input.provisioning,
        calculation: input.calculation,
        tieredRule: input.calculation === PriceCalculation.TIERED ? input.tieredRule! : null,
        billingPeriod: input.billingPeriod,
        pricePence,
        tiers,
        effectiveFrom: input.effectiveFrom,
        effectiveUntil: input.effectiveUntil ?? null,
      });
      await scope.em.flush();
      scope.audit.record({ action: 'price.create', entityType: AuditEntity.PRICE, entityId: price.id, supplierId: solution.supplier.id, before: null, after: snapshot(price) });
      // The solution's list of prices may now be longer than any before: price the next read by it.
      growSize(this.ctx.reference, 'pricesPerSolution', await priceCount(scope.em, solution.id));
      return price;
    });
  }

  /** Withdraws a price: kept for the record, never counted again. */
  withdraw(id: string, version: number): Promise<SolutionPrice> {
    return mutate(
      this.ctx,
      'price',
      async (scope) => {
        const price = UUID.test(id) ? await scope.em.findOne(SolutionPrice, { id }, { populate: ['solution'] }) : null;
        if (!price) throw PriceErrors.notFound();
        await this.ownSolution(scope.em, price.solution.id);
        expectVersion(price, version, 'price');
        if (price.verificationStatus === VerificationStatus.WITHDRAWN) throw PriceErrors.withdrawn();
        const before = snapshot(price);
        price.verificationStatus = VerificationStatus.WITHDRAWN;
        await scope.em.flush();
        scope.audit.record({ action: 'price.withdraw', entityType: AuditEntity.PRICE, entityId: price.id, supplierId: price.solution.supplier.id, before, after: snapshot(price) });
        return price;
      },
      async () => (await this.ctx.em.fork().findOne(SolutionPrice, { id }))?.version ?? null,
    );
  }
}
