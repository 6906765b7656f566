import { MAX_PAGE_SIZE } from '../../graphql/connection.js';
import { Reads } from '../../graphql/reads.js';
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { loadedOr } from '../../graphql/loader-utils.js';
import { DateScalar, daysBetween, today } from '../../graphql/scalars.js';
import { Supplier } from '../supplier/supplier.entity.js';
import { Certification, certificationValidOn, CertificationType } from './certification.entity.js';
import { CertificationService } from './certification.service.js';

@Resolver(() => Certification)
export class CertificationResolver {
  @Query(() => [Certification], {
    description: 'Certificates valid today that lapse within the next withinDays days (0–366), soonest first: the first `first` (1–100) of them.',
  })
  expiringCertifications(
    @Ctx() ctx: Context,
    @Arg('withinDays', () => Int) withinDays: number,
    @Arg('first', () => Int, { nullable: true, defaultValue: MAX_PAGE_SIZE, description: `How many, soonest first (1 to ${MAX_PAGE_SIZE}).` }) first: number,
    @Arg('types', () => [CertificationType], { nullable: true }) types?: CertificationType[] | null,
    @Arg('includeUnverified', () => Boolean, { nullable: true, description: 'Also SUBMITTED certificates (assurance team only).' })
    includeUnverified?: boolean | null,
  ): Promise<Certification[]> {
    return new CertificationService(ctx.em, ctx.viewer).expiring(withinDays, types, includeUnverified, first);
  }

  @FieldResolver(() => Boolean, { description: 'Valid on the day (today when omitted): validFrom ≤ day ≤ validUntil.' })
  @Reads<Certification>('validFrom', 'validUntil')
  isValid(@Root() certification: Certification, @Arg('on', () => DateScalar, { nullable: true }) on?: string | null): boolean {
    return certificationValidOn(certification, on ?? today());
  }

  @FieldResolver(() => Int, { description: 'Days from today to the last valid day: 0 when it expires today, negative once expired.' })
  @Reads<Certification>('validUntil')
  daysUntilExpiry(@Root() certification: Certification): number {
    return daysBetween(today(), certification.validUntil);
  }

  @FieldResolver(() => Supplier)
  @Reads<Certification>('supplier')
  supplier(@Root() certification: Certification, @Ctx() ctx: Context): Promise<Supplier> | Supplier {
    return loadedOr(certification.supplier, ctx.loaders.supplierById);
  }
}
