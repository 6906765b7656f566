import { Arg, Args, Ctx, FieldResolver, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { ConnectionType, type Connection } from '../../graphql/connection.js';
import { ODS_ROLE_CODES, Organisation, RegisteredPatients } from './organisation.entity.js';
import { OrganisationsArgs } from './organisation.inputs.js';
import { OrganisationService } from './organisation.service.js';

@ObjectType()
export class OrganisationConnection extends ConnectionType(Organisation) {}

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Query(() => Organisation, { nullable: true, description: 'One organisation by ODS code; null when there is none.' })
  organisation(@Ctx() ctx: Context, @Arg('odsCode', () => String) odsCode: string): Promise<Organisation | null> {
    return new OrganisationService(ctx.em).findByOdsCode(odsCode);
  }

  @Query(() => OrganisationConnection, { description: 'Organisations by name, a page at a time.' })
  organisations(@Ctx() ctx: Context, @Args() args: OrganisationsArgs): Promise<Connection<Organisation>> {
    return new OrganisationService(ctx.em).list(args);
  }

  @FieldResolver(() => String, { description: 'The ODS primary role code, e.g. RO177 for a GP practice.' })
  odsRoleCode(@Root() organisation: Organisation): string {
    return ODS_ROLE_CODES[organisation.role];
  }

  @FieldResolver(() => RegisteredPatients, {
    nullable: true,
    description: 'A GP practice’s registered patients with the date of the figure: what PER_PATIENT prices are multiplied by. Null for other organisations and for a practice without a figure.',
  })
  registeredPatients(@Root() organisation: Organisation): RegisteredPatients | null {
    return organisation.registeredPatients == null || !organisation.registeredPatientsOn ? null : { count: organisation.registeredPatients, asOf: organisation.registeredPatientsOn };
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'The ICB of a sub-ICB location; the commissioner of a practice.' })
  parent(@Root() organisation: Organisation, @Ctx() ctx: Context): Promise<Organisation | null> | null {
    return organisation.parent ? ctx.loaders.organisationById.load(organisation.parent.id) : null;
  }

  @FieldResolver(() => [Organisation], { description: 'Organisations directly under this one, by name.' })
  children(@Root() organisation: Organisation, @Ctx() ctx: Context): Promise<Organisation[]> {
    return ctx.loaders.organisationChildren.load(organisation.id);
  }
}
