import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { JSONObjectResolver } from 'graphql-scalars';
import type { Context } from '../../graphql/context.js';
import { publicBaseUri } from '../../config.js';
import { loadedOr } from '../../graphql/loader-utils.js';
import { Role } from '../identity/identity.viewer.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Solution } from '../solution/solution.entity.js';
import { ServiceSpecification } from '../specification/specification.entity.js';
import { Supplier } from '../supplier/supplier.entity.js';
import { Shortlist, ShortlistEntry } from './shortlist.entity.js';
import { CreateShortlistInput, ShortlistVerification, UpdateShortlistInput } from './shortlist.inputs.js';
import { ShortlistService } from './shortlist.service.js';

@Resolver(() => Shortlist)
export class ShortlistResolver {
  @Authorized(Role.BUYER)
  @Query(() => Shortlist, { description: 'One of your organisation’s shortlists (an ICB’s include those under it).' })
  shortlist(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Shortlist> {
    return new ShortlistService(ctx).get(id);
  }

  @Authorized(Role.BUYER)
  @Query(() => ShortlistVerification, { description: 'Recomputes a finalised shortlist’s hash and its chain, and reports any tampering.' })
  verifyShortlist(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<ShortlistVerification> {
    return new ShortlistService(ctx).verify(id);
  }

  @Authorized(Role.BUYER)
  @Query(() => JSONObjectResolver, { description: 'A finalised shortlist as an OCDS 1.1 release package (also GET /ocds/shortlists/:id).' })
  shortlistOcds(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Record<string, unknown>> {
    return new ShortlistService(ctx).ocds(id, publicBaseUri());
  }

  @Authorized(Role.BUYER)
  @Mutation(() => Shortlist, { description: 'Starts a DRAFT shortlist from a specification’s match.' })
  createShortlist(@Ctx() ctx: Context, @Arg('input', () => CreateShortlistInput) input: CreateShortlistInput): Promise<Shortlist> {
    return new ShortlistService(ctx).create(input);
  }

  @Authorized(Role.BUYER)
  @Mutation(() => Shortlist, { description: 'Replaces a DRAFT shortlist’s entries and notes; quote the version you read.' })
  updateShortlist(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateShortlistInput) input: UpdateShortlistInput,
  ): Promise<Shortlist> {
    return new ShortlistService(ctx).update(id, version, input);
  }

  @Authorized(Role.BUYER)
  @Mutation(() => Shortlist, { description: 'Freezes the shortlist: snapshot of outcomes and evidence versions, SHA-256 chained to your organisation’s previous one.' })
  finaliseShortlist(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number): Promise<Shortlist> {
    return new ShortlistService(ctx).finalise(id, version);
  }

  @FieldResolver(() => ServiceSpecification)
  async specification(@Root() shortlist: Shortlist, @Ctx() ctx: Context): Promise<ServiceSpecification> {
    return (await ctx.loaders.specificationById.load(shortlist.specification.id))!;
  }

  @FieldResolver(() => Organisation)
  owner(@Root() shortlist: Shortlist, @Ctx() ctx: Context): Promise<Organisation> | Organisation {
    return loadedOr(shortlist.owner, ctx.loaders.organisationById);
  }

  @FieldResolver(() => [ShortlistEntry], { description: 'Entries, eligible and best-scored first.' })
  entries(@Root() shortlist: Shortlist, @Ctx() ctx: Context): Promise<ShortlistEntry[]> {
    return ctx.loaders.entriesByShortlist.load(shortlist.id);
  }
}

@Resolver(() => ShortlistEntry)
export class ShortlistEntryResolver {
  @FieldResolver(() => Supplier)
  async supplier(@Root() entry: ShortlistEntry, @Ctx() ctx: Context): Promise<Supplier> {
    return (await ctx.loaders.supplierById.load(entry.supplier.id))!;
  }

  @FieldResolver(() => Solution)
  async solution(@Root() entry: ShortlistEntry, @Ctx() ctx: Context): Promise<Solution> {
    return (await ctx.loaders.solutionById.load(entry.solution.id))!;
  }
}
