import { DateTimeScalar } from '../../graphql/scalars.js';
import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { URLResolver } from 'graphql-scalars';
import { matchProjectionTriggers } from '../matching/matching.projection.js';
import { identitySkeleton, websiteHost } from './supplier-identity.js';
import { REJUDGE_TABLES, rejudgeTriggers } from '../../db/rejudge-outbox.js';

export enum SupplierSize {
  MICRO = 'MICRO',
  SMALL = 'SMALL',
  MEDIUM = 'MEDIUM',
  LARGE = 'LARGE',
}
registerEnumType(SupplierSize, { name: 'SupplierSize', description: 'Company size as the UK SME definitions band it.' });

/** English full-text over the supplier's own names and summary; solutions carry their own. */
export const SUPPLIER_SEARCH_VECTOR =
  "to_tsvector('english'::regconfig, coalesce(name, '') || ' ' || coalesce(legal_name, '') || ' ' || coalesce(summary, ''))";

@ObjectType({ simpleResolvers: true, description: 'A company that supplies GP IT solutions or services under one or more frameworks.' })
@Entity({ tableName: 'supplier', triggers: [...matchProjectionTriggers('supplier', ['update', 'delete']), ...rejudgeTriggers('supplier', REJUDGE_TABLES.supplier)] })
@Index({ properties: ['name', 'id'] })
// Two suppliers may not share a legal name, whatever its case or surrounding spaces.
@Unique({ name: 'supplier_legal_name_unique', expression: 'create unique index "supplier_legal_name_unique" on "supplier" (lower(btrim("legal_name")))' })
// Trading names are looked up the same way, so that no supplier takes another's name (see supplier-profile.service.ts).
@Index({ name: 'supplier_name_key_index', expression: 'create index "supplier_name_key_index" on "supplier" (lower(btrim("name")))' })
// Nor one that only reads the same (look-alike letters, invisible characters, company form): see supplier-identity.ts.
@Unique({ name: 'supplier_legal_name_skeleton_unique', properties: ['legalNameSkeleton'] })
@Index({ name: 'supplier_name_skeleton_index', properties: ['nameSkeleton'] })
// Websites may not share a host; existing rows may (seeded fixtures do), so this is enforced on change requests, not here.
@Index({ name: 'supplier_website_host_index', properties: ['websiteHost'] })
export class Supplier {
  [OptionalProps]?: 'version' | 'createdAt' | 'updatedAt' | 'active' | 'searchVector' | 'nameSkeleton' | 'legalNameSkeleton' | 'websiteHost';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  // The trading name, legal name, Companies House number and website are the verified values: a
  // supplier changes them only through a SupplierProfileChange the assurance team verifies.
  @Field({ description: 'The trading name (as verified by the assurance team).' })
  @Property({ length: 200 })
  name!: string;

  @Field({ description: 'The registered legal name (as verified by the assurance team; no two suppliers share one).' })
  @Property({ length: 200 })
  legalName!: string;

  @Field({ description: 'Companies House registration number (as verified by the assurance team): 8 characters, e.g. 01234567 or SC123456.' })
  @Property({ length: 8 })
  @Unique()
  companiesHouseNumber!: string;

  @Field(() => String, { nullable: true, description: 'The ODS code the supplier publishes its DSPT assessment under.' })
  @Property({ length: 10, nullable: true })
  @Unique()
  odsCode?: string | null;

  @Field(() => SupplierSize)
  @Enum({ items: () => SupplierSize })
  size!: SupplierSize;

  @Field(() => URLResolver, { nullable: true, description: 'The website (as verified by the assurance team).' })
  @Property({ length: 500, nullable: true })
  website?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  summary?: string | null;

  // What identities are compared by (supplier-identity.ts), kept beside the names and website whenever
  // the ORM writes them. Null only on a row written in SQL behind the ORM's back without them; such a
  // row is still compared by lower(btrim()) of its names.
  @Property({ type: 'text', nullable: true, hidden: true, onCreate: (s: Supplier) => identitySkeleton(s.name), onUpdate: (s: Supplier) => identitySkeleton(s.name) })
  nameSkeleton?: string | null;

  @Property({ type: 'text', nullable: true, hidden: true, onCreate: (s: Supplier) => identitySkeleton(s.legalName), onUpdate: (s: Supplier) => identitySkeleton(s.legalName) })
  legalNameSkeleton?: string | null;

  @Property({ type: 'text', nullable: true, hidden: true, onCreate: (s: Supplier) => websiteHost(s.website), onUpdate: (s: Supplier) => websiteHost(s.website) })
  websiteHost?: string | null;

  @Field()
  @Property({ default: true })
  active: boolean = true;

  @Property({ columnType: 'tsvector', generated: `(${SUPPLIER_SEARCH_VECTOR}) stored`, lazy: true, hidden: true, nullable: true })
  @Index({ type: 'fulltext' })
  searchVector?: string;

  @Field(() => Int, { description: 'Increments on every change; updates must quote the version they saw.' })
  @Property({ version: true })
  version: number = 1;

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
