import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../graphql/scalars.js';

export enum OrganisationRole {
  ICB = 'ICB',
  SUB_ICB_LOCATION = 'SUB_ICB_LOCATION',
  GP_PRACTICE = 'GP_PRACTICE',
  CSU = 'CSU',
}
registerEnumType(OrganisationRole, {
  name: 'OrganisationRole',
  description: 'The organisation’s primary role in the NHS Organisation Data Service.',
});

/** The ODS primary role code behind each role (a GP practice is RO177 with the RO76 non-primary role). */
export const ODS_ROLE_CODES: Record<OrganisationRole, string> = {
  [OrganisationRole.ICB]: 'RO318',
  [OrganisationRole.SUB_ICB_LOCATION]: 'RO319',
  [OrganisationRole.GP_PRACTICE]: 'RO177',
  [OrganisationRole.CSU]: 'RO213',
};

@ObjectType({ simpleResolvers: true, description: 'An NHS organisation identified by its ODS code: an ICB, a sub-ICB location, a GP practice or a CSU.' })
@Entity({ tableName: 'organisation' })
@Check({ name: 'organisation_registered_patients', expression: '(registered_patients IS NULL) = (registered_patients_on IS NULL) AND (registered_patients IS NULL OR registered_patients >= 0)' })
export class Organisation {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'The ODS code, e.g. QWO, 02T, B84001.' })
  @Property({ length: 10 })
  @Unique()
  odsCode!: string;

  @Field()
  @Property({ length: 200 })
  @Index()
  name!: string;

  @Field(() => OrganisationRole)
  @Enum({ items: () => OrganisationRole })
  @Index()
  role!: OrganisationRole;

  @Field(() => String, { nullable: true })
  @Property({ length: 10, nullable: true })
  postcode?: string | null;

  /** ICB for a sub-ICB location, sub-ICB location (commissioner) for a practice. */
  @ManyToOne(() => Organisation, { nullable: true, deleteRule: 'set null' })
  @Index()
  parent?: Organisation | null;

  /** A GP practice's registered patients (the list size), with the date of the figure; null for others. */
  @Property({ type: 'integer', nullable: true })
  registeredPatients?: number | null;

  @Property({ type: 'date', nullable: true })
  registeredPatientsOn?: string | null;
}

@ObjectType({ description: 'A GP practice’s registered patients (its list size) as of a date.' })
export class RegisteredPatients {
  @Field(() => Int)
  count!: number;

  @Field(() => DateScalar, { description: 'The date of the figure.' })
  asOf!: string;
}
