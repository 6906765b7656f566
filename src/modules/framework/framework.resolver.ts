import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { loadedOr } from '../../graphql/loader-utils.js';
import { Framework, FrameworkStatus, Lot } from './framework.entity.js';
import { FrameworkService } from './framework.service.js';

@Resolver(() => Framework)
export class FrameworkResolver {
  @Query(() => [Framework], { description: 'Frameworks, by code, optionally only those in one status.' })
  frameworks(
    @Ctx() ctx: Context,
    @Arg('status', () => FrameworkStatus, { nullable: true }) status?: FrameworkStatus | null,
  ): Promise<Framework[]> {
    return new FrameworkService(ctx.em).list(status);
  }

  @Query(() => Framework, { nullable: true, description: 'One framework by its code (case-insensitive); null when there is none.' })
  framework(@Ctx() ctx: Context, @Arg('code', () => String) code: string): Promise<Framework | null> {
    return new FrameworkService(ctx.em).findByCode(code);
  }

  @FieldResolver(() => [Lot], { description: 'The lots, by number.' })
  lots(@Root() framework: Framework, @Ctx() ctx: Context): Promise<Lot[]> {
    return ctx.loaders.lotsByFramework.load(framework.id);
  }
}

@Resolver(() => Lot)
export class LotResolver {
  @FieldResolver(() => Framework)
  framework(@Root() lot: Lot, @Ctx() ctx: Context): Promise<Framework> | Framework {
    return loadedOr(lot.framework, ctx.loaders.frameworkById);
  }
}
