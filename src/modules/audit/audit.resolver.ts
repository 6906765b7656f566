import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { UUID } from '../../common/ids.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { Role } from '../identity/identity.viewer.js';
import { AuditEvent } from './audit.entity.js';
import { AuditErrors } from './audit.errors.js';
import { AuditEntity } from './audit.inputs.js';
import { AuditService } from './audit.service.js';

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Authorized(Role.ASSURANCE, Role.SUPPLIER)
  @Query(() => [AuditEvent], { description: 'Every recorded change to one record, oldest first: for the assurance team, and for the supplier the record belongs to. Not a COMPETITION: its scores and costs belong to the organisation that ran it (FORBIDDEN, reason BUYER_RECORD), whose buyers check it with verifyCompetition.' })
  async auditTrail(@Ctx() ctx: Context, @Arg('entity', () => AuditEntity) entity: AuditEntity, @Arg('id', () => ID) id: string): Promise<AuditEvent[]> {
    if (!UUID.test(id)) return [];
    const viewer = ctx.viewer;
    if (viewer.kind === 'anonymous') throw IdentityErrors.signInRequired();
    if (entity === AuditEntity.COMPETITION) throw AuditErrors.competitionPrivate();
    const events = await new AuditService(ctx.em, viewer, ctx.requestId).trail(entity, id);
    if (viewer.kind === 'supplier' && events.some((e) => e.supplierId !== viewer.supplierId)) throw IdentityErrors.notYours('record');
    return events;
  }
}
