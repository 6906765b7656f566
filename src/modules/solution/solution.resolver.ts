import { Arg, Args, Ctx, FieldResolver, ID, Info, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Reads, ReadsRows } from '../../graphql/reads.js';
import type { Context } from '../../graphql/context.js';
import { ConnectionType, PageArgs, type Connection } from '../../graphql/connection.js';
import { loadedOr, loadThen } from '../../graphql/loader-utils.js';
import { Capability, Epic } from '../capability/capability.entity.js';
import { Lot } from '../framework/framework.entity.js';
import { Standard } from '../standard/standard.entity.js';
import { Supplier } from '../supplier/supplier.entity.js';
import { SupplierErrors } from '../supplier/supplier.errors.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { INCLUDE_UNVERIFIED, visibleEvidence } from '../identity/identity.viewer.js';
import { UUID } from '../../common/ids.js';
import {
  AssessmentResult,
  CapabilityAssessment,
  EpicAssessment,
  Solution,
  StandardCompliance,
} from './solution.entity.js';
import { SolutionsArgs } from './solution.inputs.js';
import { SolutionService } from './solution.service.js';

@ObjectType()
export class SolutionConnection extends ConnectionType(Solution) {}

@Resolver(() => Solution)
export class SolutionResolver {
  @Query(() => Solution, { nullable: true, description: 'One solution by id; null when there is none or it is not published.' })
  solution(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Solution | null> {
    if (!UUID.test(id)) throw SupplierErrors.invalidId('id');
    return new SolutionService(ctx.em, ctx.viewer).findById(id);
  }

  @Query(() => SolutionConnection, { description: 'Solutions matching the filter, by name, a page at a time.' })
  solutions(@Ctx() ctx: Context, @Args() args: SolutionsArgs): Promise<Connection<Solution>> {
    return new SolutionService(ctx.em, ctx.viewer).search(args.filter, args);
  }

  @FieldResolver(() => Supplier)
  @Reads<Solution>('supplier')
  supplier(@Root() solution: Solution, @Ctx() ctx: Context): Promise<Supplier> | Supplier {
    return loadedOr(solution.supplier, ctx.loaders.supplierById);
  }

  @FieldResolver(() => [Lot], { description: 'The framework lots the solution is offered under.' })
  @Reads<Solution>('id')
  lots(@Root() solution: Solution, @Ctx() ctx: Context): Promise<Lot[]> {
    return ctx.loaders.lotsBySolution.load(solution.id);
  }

  @FieldResolver(() => [CapabilityAssessment], { description: 'Capability assessments, in capability order.' })
  @Reads<Solution>('id', 'supplier')
  @ReadsRows<CapabilityAssessment>('verificationStatus')
  capabilities(
    @Root() solution: Solution,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('includeUnverified', () => Boolean, { nullable: true, description: INCLUDE_UNVERIFIED }) includeUnverified?: boolean | null,
  ): CapabilityAssessment[] | Promise<CapabilityAssessment[]> {
    return loadThen(
      ctx.loaders.assessmentsBySolution,
      solution.id,
      (all) => visibleEvidence(all, ctx.viewer, solution.supplier.id, includeUnverified, IdentityErrors.unverifiedNotAllowed),
      info,
    );
  }

  @FieldResolver(() => [EpicAssessment], { description: 'Epic results, in epic order.' })
  @Reads<Solution>('id', 'supplier')
  epics(
    @Root() solution: Solution,
    @Ctx() ctx: Context,
    @Arg('includeUnverified', () => Boolean, { nullable: true, description: INCLUDE_UNVERIFIED }) includeUnverified?: boolean | null,
  ): EpicAssessment[] | Promise<EpicAssessment[]> {
    return loadThen(ctx.loaders.epicAssessmentsBySolution, solution.id, (all) => visibleEvidence(all, ctx.viewer, solution.supplier.id, includeUnverified, IdentityErrors.unverifiedNotAllowed));
  }

  @FieldResolver(() => [StandardCompliance], { description: 'Standards compliance, in standard order.' })
  @Reads<Solution>('id', 'supplier')
  standards(
    @Root() solution: Solution,
    @Ctx() ctx: Context,
    @Arg('includeUnverified', () => Boolean, { nullable: true, description: INCLUDE_UNVERIFIED }) includeUnverified?: boolean | null,
  ): StandardCompliance[] | Promise<StandardCompliance[]> {
    return loadThen(ctx.loaders.complianceBySolution, solution.id, (all) => visibleEvidence(all, ctx.viewer, solution.supplier.id, includeUnverified, IdentityErrors.unverifiedNotAllowed));
  }
}

@Resolver(() => CapabilityAssessment)
export class CapabilityAssessmentResolver {
  @FieldResolver(() => Capability)
  @Reads<CapabilityAssessment>('capability')
  capability(@Root() assessment: CapabilityAssessment, @Ctx() ctx: Context): Promise<Capability> | Capability {
    return loadedOr(assessment.capability, ctx.loaders.capabilityById);
  }
}

@Resolver(() => EpicAssessment)
export class EpicAssessmentResolver {
  @FieldResolver(() => Epic)
  @Reads<EpicAssessment>('epic')
  epic(@Root() assessment: EpicAssessment, @Ctx() ctx: Context): Promise<Epic> | Epic {
    return loadedOr(assessment.epic, ctx.loaders.epicById);
  }
}

@Resolver(() => StandardCompliance)
export class StandardComplianceResolver {
  @FieldResolver(() => Standard)
  @Reads<StandardCompliance>('standard')
  standard(@Root() compliance: StandardCompliance, @Ctx() ctx: Context): Promise<Standard> | Standard {
    return loadedOr(compliance.standard, ctx.loaders.standardById);
  }
}

@Resolver(() => Capability)
export class CapabilitySolutionsResolver {
  @FieldResolver(() => SolutionConnection, { description: 'Published solutions with a verified assessment of at least minimumAssessment (PASSED_PARTIAL when omitted), by name.' })
  solutions(
    @Root() capability: Capability,
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('minimumAssessment', () => AssessmentResult, { nullable: true }) minimumAssessment?: AssessmentResult | null,
  ): Promise<Connection<Solution>> {
    return ctx.loaders.solutionsByCapability(capability.id, page, minimumAssessment ?? AssessmentResult.PASSED_PARTIAL);
  }
}
