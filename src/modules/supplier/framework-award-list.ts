import { Args, ArgsType, Authorized, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { queryRows, sql } from '../../common/sql.js';
import type { Context } from '../../graphql/context.js';
import { ConnectionType, decodeTypedCursor, PageArgs, toConnection, type Connection } from '../../graphql/connection.js';
import { today } from '../../graphql/scalars.js';
import { Role } from '../identity/identity.viewer.js';
import { AwardStatus, FrameworkAward } from './framework-award.entity.js';

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

type Row = { id: string; name: string; code: string; number: number };

/** Every award (or one framework's, one supplier's, in one status), for the assurance team: by supplier, framework and lot. */
@Resolver()
export class FrameworkAwardListResolver {
  @Authorized(Role.ASSURANCE)
  @Query(() => FrameworkAwardConnection, {
    description: 'Framework awards, whatever their status, by supplier name, framework and lot, a page at a time: for the assurance team, to suspend and reinstate.',
  })
  async frameworkAwards(@Ctx() ctx: Context, @Args() args: FrameworkAwardsArgs): Promise<Connection<FrameworkAward>> {
    const day = today();
    let where = sql`TRUE`;
    if (args.framework) where = sql`${where} AND f.code = ${args.framework.toUpperCase()}`;
    if (args.supplierId) where = sql`${where} AND fa.supplier_id = ${args.supplierId}::uuid`;
    if (args.status === AwardStatus.ACTIVE) where = sql`${where} AND fa.recorded_status = 'ACTIVE' AND fa.expires_on >= ${day}::date`;
    else if (args.status === AwardStatus.EXPIRED) where = sql`${where} AND fa.recorded_status = 'ACTIVE' AND fa.expires_on < ${day}::date`;
    else if (args.status) where = sql`${where} AND fa.recorded_status = ${args.status}`;
    const from = sql`framework_award fa JOIN supplier s ON s.id = fa.supplier_id JOIN lot l ON l.id = fa.lot_id JOIN framework f ON f.id = l.framework_id`;
    let after = sql`TRUE`;
    if (args.after) {
      const [name, code, number, id] = decodeTypedCursor<[string, string, number, string]>(args.after, ['string', 'string', 'number', 'uuid']);
      after = sql`(s.name, f.code, l.number, fa.id) > (${name}, ${code}, ${number}::int, ${id}::uuid)`;
    }
    const rows = await queryRows<Row>(
      ctx.em,
      sql`SELECT fa.id, s.name, f.code, l.number FROM ${from} WHERE ${where} AND ${after} ORDER BY s.name, f.code, l.number, fa.id LIMIT ${args.first + 1}`,
    );
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
      async () => Number((await queryRows<{ n: string }>(ctx.em, sql`SELECT count(*) AS n FROM ${from} WHERE ${where}`))[0].n),
    );
  }
}
