import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { URLResolver } from 'graphql-scalars';
import { Evidence, type EvidenceOptional } from '../evidence/evidence.entity.js';
import { Supplier } from './supplier.entity.js';

/**
 * A supplier's request to change who it says it is: its trading name, legal name, Companies House
 * number or website. These identify a supplier to buyers (matches, shortlists, OCDS `GB-COH`
 * identifiers), so a change is evidence like any other: SUBMITTED, reviewed by the assurance team, and
 * applied to the supplier only when verified. Until then the supplier row keeps the verified values,
 * which is all the public, buyers and matching ever read. A field left null is not being changed.
 */
@ObjectType({
  simpleResolvers: true,
  description:
    'A requested change to the names, Companies House number or website a supplier is known by: SUBMITTED until the assurance team verifies it (kind PROFILE_CHANGE in evidenceQueue), and applied to the supplier only then. A null field is not being changed.',
})
@Entity({ tableName: 'supplier_profile_change' })
// One request awaiting review per supplier at a time; a new one replaces it (quoting its version).
@Unique({
  name: 'supplier_profile_change_one_pending',
  expression: `create unique index "supplier_profile_change_one_pending" on "supplier_profile_change" ("supplier_id") where "verification_status" = 'SUBMITTED'`,
})
@Check({ name: 'supplier_profile_change_not_empty', expression: 'coalesce(name, legal_name, companies_house_number, website) is not null' })
export class SupplierProfileChange extends Evidence {
  [OptionalProps]?: EvidenceOptional | 'name' | 'legalName' | 'companiesHouseNumber' | 'website' | 'note';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Supplier, { deleteRule: 'cascade' })
  @Index()
  supplier!: Supplier;

  @Field(() => String, { nullable: true, description: 'The trading name asked for.' })
  @Property({ length: 200, nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'The registered legal name asked for.' })
  @Property({ length: 200, nullable: true })
  legalName?: string | null;

  @Field(() => String, { nullable: true, description: 'The Companies House number asked for.' })
  @Property({ length: 8, nullable: true })
  companiesHouseNumber?: string | null;

  @Field(() => URLResolver, { nullable: true, description: 'The website asked for.' })
  @Property({ length: 500, nullable: true })
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'What the supplier told the reviewer, e.g. where to find the Companies House change-of-name record.' })
  @Property({ type: 'text', nullable: true })
  note?: string | null;
}

/** The supplier fields a profile change may carry: each needs the assurance team's review. */
export const REVIEWED_PROFILE_FIELDS = ['name', 'legalName', 'companiesHouseNumber', 'website'] as const;
export type ReviewedProfileField = (typeof REVIEWED_PROFILE_FIELDS)[number];
