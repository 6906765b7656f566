import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { UUID } from '../../common/ids.js';
import { PageArgs } from '../../graphql/connection.js';
import { AssessmentResult, HostingType, Integration } from './solution.entity.js';

@InputType({ description: 'Every condition given must hold. Only published solutions are listed to the public.' })
export class SolutionFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @Matches(UUID, { message: 'supplierId must be a supplier id' })
  supplierId?: string | null;

  @Field(() => [String], { nullable: true, description: 'Offered under a lot of any of these frameworks.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @Matches(/^[A-Za-z0-9]{2,32}$/, { each: true, message: 'each of frameworks must be a framework code such as HSSF' })
  frameworks?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Capability references, all of them passed (verified).' })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(/^[Cc]\d{1,4}$/, { each: true, message: 'each of capabilities must be a capability reference such as C5' })
  capabilities?: string[] | null;

  @Field(() => AssessmentResult, { nullable: true, description: 'The least assessment that counts; PASSED_PARTIAL when omitted.' })
  @IsOptional()
  minimumAssessment?: AssessmentResult | null;

  @Field(() => [Integration], { nullable: true, description: 'All of these integrations.' })
  @IsOptional()
  @ArrayMaxSize(10)
  integrations?: Integration[] | null;

  @Field(() => [HostingType], { nullable: true, description: 'Any of these hosting types.' })
  @IsOptional()
  @ArrayMaxSize(5)
  hostingTypes?: HostingType[] | null;

  @Field(() => String, { nullable: true, description: 'Full-text search over solution names and summaries.' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  search?: string | null;
}

@ArgsType()
export class SolutionsArgs extends PageArgs {
  @Field(() => SolutionFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: SolutionFilter | null;
}
