import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { loadedOr } from '../../graphql/loader-utils.js';
import { Capability, Epic } from './capability.entity.js';
import { CapabilityService } from './capability.service.js';

@Resolver(() => Capability)
export class CapabilityResolver {
  @Query(() => [Capability], { description: 'Capabilities in reference order (C1, C2, ... C50).' })
  capabilities(
    @Ctx() ctx: Context,
    @Arg('foundationOnly', () => Boolean, { nullable: true, description: 'Only the six Foundation capabilities.' })
    foundationOnly?: boolean | null,
    @Arg('category', () => String, { nullable: true, description: 'Exact category name, case-insensitive.' })
    category?: string | null,
    @Arg('search', () => String, { nullable: true, description: 'Part of the name or the reference (e.g. "consult" or "C43"), case-insensitive.' })
    search?: string | null,
  ): Promise<Capability[]> {
    return new CapabilityService(ctx.em).list({ foundationOnly, category, search });
  }

  @Query(() => Capability, { nullable: true, description: 'One capability by reference, e.g. "C5"; null when there is none.' })
  capability(@Ctx() ctx: Context, @Arg('reference', () => String) reference: string): Promise<Capability | null> {
    return new CapabilityService(ctx.em).findByReference(reference);
  }

  @FieldResolver(() => [Epic], { description: 'The epics, in reference order.' })
  epics(@Root() capability: Capability, @Ctx() ctx: Context): Promise<Epic[]> {
    return ctx.loaders.epicsByCapability.load(capability.id);
  }
}

@Resolver(() => Epic)
export class EpicResolver {
  @FieldResolver(() => Capability)
  capability(@Root() epic: Epic, @Ctx() ctx: Context): Promise<Capability> | Capability {
    return loadedOr(epic.capability, ctx.loaders.capabilityById);
  }
}
