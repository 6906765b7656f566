import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, URLResolver } from 'graphql-scalars';
import { matchProjectionTriggers } from '../matching/matching.projection.js';

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
@Entity({ tableName: 'supplier', triggers: matchProjectionTriggers('supplier', ['update', 'delete']) })
@Index({ properties: ['name', 'id'] })
export class Supplier {
  [OptionalProps]?: 'version' | 'createdAt' | 'updatedAt' | 'active' | 'searchVector';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'The trading name.' })
  @Property({ length: 200 })
  name!: string;

  @Field()
  @Property({ length: 200 })
  legalName!: string;

  @Field({ description: 'Companies House registration number: 8 characters, e.g. 01234567 or SC123456.' })
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

  @Field(() => URLResolver, { nullable: true })
  @Property({ length: 500, nullable: true })
  website?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  summary?: string | null;

  @Field()
  @Property({ default: true })
  active: boolean = true;

  @Property({ columnType: 'tsvector', generated: `(${SUPPLIER_SEARCH_VECTOR}) stored`, lazy: true, hidden: true, nullable: true })
  @Index({ type: 'fulltext' })
  searchVector?: string;

  @Field(() => Int, { description: 'Increments on every change; updates must quote the version they saw.' })
  @Property({ version: true })
  version: number = 1;

  @Field(() => DateTimeResolver)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => DateTimeResolver)
  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
