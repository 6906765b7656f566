import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property, Trigger } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { JSONObjectResolver } from 'graphql-scalars';
import { DateTimeScalar } from '../../graphql/scalars.js';

const REFUSE = "RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';";

/**
 * One change to one record, written in the same transaction as the change. The table is
 * append-only: a trigger refuses UPDATE, DELETE and TRUNCATE, and no API edits or removes rows.
 */
@ObjectType({ description: 'An append-only record of a change: who, what, when, and the record before and after.' })
@Entity({ tableName: 'audit_event' })
// Any UPDATE or DELETE of a row fails. TRUNCATE is refused by a statement-level trigger that
// MikroORM cannot declare or diff, created by Migration20261127140000_audit_refuses_truncate.
@Trigger({ name: 'audit_event_append_only', timing: 'before', events: ['update', 'delete'], forEach: 'row', body: REFUSE })
@Index({ properties: ['entityType', 'entityId', 'occurredAt'] })
export class AuditEvent {
  [OptionalProps]?: 'occurredAt' | 'before' | 'after' | 'supplierId' | 'requestId';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'clock_timestamp()' })
  occurredAt: Date = new Date();

  @Field({ description: 'The `sub` claim of whoever made the change.' })
  @Property({ length: 200 })
  actorSub!: string;

  @Field()
  @Property({ length: 20 })
  actorRole!: string;

  @Field({ description: 'What was done, e.g. certification.update, evidence.verify.' })
  @Property({ length: 64 })
  action!: string;

  @Field({ description: 'The kind of record, e.g. Certification.' })
  @Property({ length: 64 })
  entityType!: string;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  entityId!: string;

  /** The supplier the record belongs to, so suppliers can read their own trail. */
  @Property({ type: 'uuid', nullable: true })
  @Index()
  supplierId?: string | null;

  @Field(() => JSONObjectResolver, { nullable: true })
  @Property({ type: 'json', nullable: true })
  before?: Record<string, unknown> | null;

  @Field(() => JSONObjectResolver, { nullable: true })
  @Property({ type: 'json', nullable: true })
  after?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true })
  @Property({ length: 64, nullable: true })
  requestId?: string | null;
}
