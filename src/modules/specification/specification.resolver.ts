import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { ConnectionType, type Connection } from '../../graphql/connection.js';
import { loadedOr } from '../../graphql/loader-utils.js';
import { Role } from '../identity/identity.viewer.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { contractEndOf, Requirement, RequirementSet, ServiceSpecification } from './specification.entity.js';
import { DateScalar } from '../../graphql/scalars.js';
import { SpecificationInput, SpecificationsArgs } from './specification.inputs.js';
import { SpecificationService } from './specification.service.js';
import { visibleRequirementSetIds } from './specification.store.js';

@ObjectType()
export class ServiceSpecificationConnection extends ConnectionType(ServiceSpecification) {}

@Resolver(() => RequirementSet)
export class RequirementSetResolver {
  @Query(() => [RequirementSet], { description: 'The national requirement sets, and for a buyer also its organisation’s own.' })
  async requirementSets(@Ctx() ctx: Context): Promise<RequirementSet[]> {
    const ids = ctx.viewer.kind === 'buyer' ? [...(await new SpecificationService(ctx).buyerScope()).ids] : [];
    return (await ctx.loaders.requirementSetById.loadMany(await visibleRequirementSetIds(ctx.em, ids))) as RequirementSet[];
  }

  @FieldResolver(() => [Requirement], { description: 'Its requirements, by code.' })
  requirements(@Root() set: RequirementSet, @Ctx() ctx: Context): Promise<Requirement[]> {
    return ctx.loaders.requirementsBySet.load(set.id);
  }

  @FieldResolver(() => Boolean, { description: 'National sets have no owning organisation.' })
  national(@Root() set: RequirementSet): boolean {
    return !set.owner;
  }
}

@Resolver(() => ServiceSpecification)
export class SpecificationResolver {
  @Authorized(Role.BUYER)
  @Query(() => ServiceSpecification, { description: 'One of your organisation’s specifications (an ICB’s include those under it).' })
  specification(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<ServiceSpecification> {
    return new SpecificationService(ctx).get(id);
  }

  @Authorized(Role.BUYER)
  @Query(() => ServiceSpecificationConnection, { description: 'Your organisation’s specifications, by title.' })
  specifications(@Ctx() ctx: Context, @Args() args: SpecificationsArgs): Promise<Connection<ServiceSpecification>> {
    return new SpecificationService(ctx).list(args);
  }

  @Authorized(Role.BUYER)
  @Mutation(() => ServiceSpecification, { description: 'Creates a service specification owned by your organisation (or one under your ICB).' })
  createSpecification(@Ctx() ctx: Context, @Arg('input', () => SpecificationInput) input: SpecificationInput): Promise<ServiceSpecification> {
    return new SpecificationService(ctx).create(input);
  }

  @Authorized(Role.BUYER)
  @Mutation(() => ServiceSpecification, { description: 'Replaces a specification; quote the version you read.' })
  updateSpecification(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => SpecificationInput) input: SpecificationInput,
  ): Promise<ServiceSpecification> {
    return new SpecificationService(ctx).update(id, version, input);
  }

  @FieldResolver(() => Organisation)
  owner(@Root() spec: ServiceSpecification, @Ctx() ctx: Context): Promise<Organisation> | Organisation {
    return loadedOr(spec.owner, ctx.loaders.organisationById);
  }

  @FieldResolver(() => [RequirementSet])
  requirementSets(@Root() spec: ServiceSpecification, @Ctx() ctx: Context): Promise<RequirementSet[]> {
    return ctx.loaders.requirementSetsBySpecification.load(spec.id);
  }

  @FieldResolver(() => [Requirement], { description: 'Every requirement that applies: those of its sets, then its own, each by code.' })
  requirements(@Root() spec: ServiceSpecification, @Ctx() ctx: Context): Promise<Requirement[]> {
    return new SpecificationService(ctx).requirementsOf(spec);
  }

  @FieldResolver(() => [Organisation], {
    description:
      'The GP practices the service is for: those named, or every practice under the owner when none is (allPracticesAreRecipients). Their registered patients are what PER_PATIENT prices are multiplied by; their number, PER_PRACTICE ones.',
  })
  async serviceRecipients(@Root() spec: ServiceSpecification, @Ctx() ctx: Context): Promise<Organisation[]> {
    const ids = spec.serviceRecipientIds.length ? spec.serviceRecipientIds : await ctx.loaders.practiceIdsUnder.load(spec.owner.id);
    return (await ctx.loaders.organisationById.loadMany(ids)).filter((o): o is Organisation => !!o && !(o instanceof Error));
  }

  @FieldResolver(() => Boolean, { description: 'No practices are named: every practice under the owner is a service recipient.' })
  allPracticesAreRecipients(@Root() spec: ServiceSpecification): boolean {
    return spec.serviceRecipientIds.length === 0;
  }

  @FieldResolver(() => DateScalar, { description: 'The last day of the contract term.' })
  contractEnd(@Root() spec: ServiceSpecification): string {
    return contractEndOf(spec);
  }
}
