import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { Standard, StandardType } from './standard.entity.js';
import { StandardService } from './standard.service.js';

@Resolver(() => Standard)
export class StandardResolver {
  @Query(() => [Standard], { description: 'Standards in reference order; withdrawn ones only when asked.' })
  standards(
    @Ctx() ctx: Context,
    @Arg('type', () => StandardType, { nullable: true }) type?: StandardType | null,
    @Arg('includeWithdrawn', () => Boolean, { nullable: true, defaultValue: false }) includeWithdrawn?: boolean,
  ): Promise<Standard[]> {
    return new StandardService(ctx.em).list({ type, includeWithdrawn });
  }

  @Query(() => Standard, { nullable: true, description: 'One standard by reference, e.g. "S25"; null when there is none.' })
  standard(@Ctx() ctx: Context, @Arg('reference', () => String) reference: string): Promise<Standard | null> {
    return new StandardService(ctx.em).findByReference(reference);
  }
}
