import { ArgsType, Field } from 'type-graphql';
import { IsOptional, MaxLength } from 'class-validator';
import { PageArgs } from '../../graphql/connection.js';
import { OrganisationRole } from './organisation.entity.js';

@ArgsType()
export class OrganisationsArgs extends PageArgs {
  @Field(() => OrganisationRole, { nullable: true })
  role?: OrganisationRole | null;

  @Field(() => String, { nullable: true, description: 'Part of the name or ODS code, case-insensitive.' })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'Only the direct children of this ODS code.' })
  @IsOptional()
  @MaxLength(10)
  parentOdsCode?: string | null;
}
