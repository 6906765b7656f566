import { Args, ArgsType, Authorized, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import type { Context } from '../../graphql/context.js';
import { ConnectionType, decodeTypedCursor, PageArgs, toConnection, type Connection } from '../../graphql/connection.js';
import { today } from '../../graphql/scalars.js';
import { Role } from '../identity/identity.viewer.js';
import { AwardStatus, FrameworkAward } from './framework-award.entity.js';
import { awardListCount, awardListPage } from './framework-award.store.js';

@ObjectType()
export class FrameworkAwardConnection extends ConnectionType(FrameworkAward) {}

@ArgsType()
export class FrameworkAwardsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only awards on this framework’s lots (its code, e.g. HSSF; case-insensitive).' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9]{2,20}$/, { message: 'framework must be a framework code such as HSSF' })
  framework?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only this supplier’s awards.' })
  @IsOptional()
  @IsUUID(undefined, { message: 'supplierId must be a supplier id' })
  supplierId?: string | null;

  @Field(() => AwardStatus, { nullable: true, description: 'Only awards in this status today (EXPIRED: active but past expiry).' })
  @IsOptional()
  status?: AwardStatus | null;
}

/** Every award (or one framework's, one supplier's, in one status), for the assurance team: by supplier, framework and lot. */
@Resolver()
export class FrameworkAwardListResolver {
  @Authorized(Role.ASSURANCE)
  @Query(() => FrameworkAwardConnection, {
    description: 'Framework awards, whatever their status, by supplier name, framework and lot, a page at a time: for the assurance team, to suspend and reinstate.',
  })
  async frameworkAwards(@Ctx() ctx: Context, @Args() args: FrameworkAwardsArgs): Promise<Connection<FrameworkAward>> {
    const day = today();
    const after = args.after ? decodeTypedCursor<[string, string, number, string]>(args.after, ['string', 'string', 'number', 'uuid']) : undefined;
    const rows = await awardListPage(ctx.em, args, day, args.first, after);
    const found = rows.length ? await ctx.em.find(FrameworkAward, { id: { $in: rows.map((r) => r.id) } }) : [];
    const awards = new Map(found.map((a) => [a.id, a]));
    const keys = new Map(rows.map((r) => [r.id, r]));
    return toConnection(
      rows.map((r) => awards.get(r.id)!),
      args,
      (a) => {
        const r = keys.get(a.id)!;
        return [r.name, r.code, Number(r.number), r.id];
      },
      () => awardListCount(ctx.em, args, day),
    );
  }
}
