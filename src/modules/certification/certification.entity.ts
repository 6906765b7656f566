import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Evidence, type EvidenceOptional } from '../evidence/evidence.entity.js';
import { DateScalar, DateTimeScalar } from '../../graphql/scalars.js';
import { Supplier } from '../supplier/supplier.entity.js';
import { REJUDGE_TABLES, rejudgeTriggers } from '../../db/rejudge-outbox.js';

export enum CertificationType {
  ISO_27001 = 'ISO_27001',
  ISO_9001 = 'ISO_9001',
  ISO_22301 = 'ISO_22301',
  ISO_20000_1 = 'ISO_20000_1',
  ISO_14001 = 'ISO_14001',
  CYBER_ESSENTIALS = 'CYBER_ESSENTIALS',
  CYBER_ESSENTIALS_PLUS = 'CYBER_ESSENTIALS_PLUS',
  MHRA_REGISTRATION = 'MHRA_REGISTRATION',
}
registerEnumType(CertificationType, {
  name: 'CertificationType',
  description:
    'ISO/IEC 27001 (information security), ISO 9001 (quality), ISO 22301 (business continuity), ISO/IEC 20000-1 (service management), ISO 14001 (environment), Cyber Essentials (Plus), MHRA registration (medical device software).',
});

export const CERTIFICATION_LABELS: Record<CertificationType, string> = {
  ISO_27001: 'ISO/IEC 27001',
  ISO_9001: 'ISO 9001',
  ISO_22301: 'ISO 22301',
  ISO_20000_1: 'ISO/IEC 20000-1',
  ISO_14001: 'ISO 14001',
  CYBER_ESSENTIALS: 'Cyber Essentials',
  CYBER_ESSENTIALS_PLUS: 'Cyber Essentials Plus',
  MHRA_REGISTRATION: 'MHRA registration',
};

@ObjectType({ simpleResolvers: true, description: 'A certificate a supplier holds, with its validity dates and verification status.' })
@Entity({ tableName: 'certification', triggers: rejudgeTriggers('certification', REJUDGE_TABLES.certification) })
@Check({ name: 'certification_dates_in_order', expression: 'valid_until >= valid_from' })
@Index({ properties: ['type', 'validUntil'] })
// Covering, for matching: the MET sets read index-only (see matching/criteria/).
@Index({ name: 'certification_matching_index', properties: ['type', 'supplier'], include: ['validFrom', 'validUntil', 'verificationStatus', 'reviewedAt'] })
export class Certification extends Evidence {
  [OptionalProps]?: 'updatedAt' | EvidenceOptional;

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Supplier, { deleteRule: 'cascade' })
  @Index()
  supplier!: Supplier;

  @Field(() => CertificationType)
  @Enum({ items: () => CertificationType })
  type!: CertificationType;

  @Field()
  @Property({ length: 100 })
  certificateNumber!: string;

  @Field({ description: 'The accredited body that issued the certificate.' })
  @Property({ length: 200 })
  certifyingBody!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  scope?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  scopeExclusions?: string | null;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  validFrom!: string;

  @Field(() => DateScalar, { description: 'The last day the certificate is valid.' })
  @Property({ type: 'date' })
  validUntil!: string;



  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** Valid on a day: from validFrom to validUntil, both inclusive. */
export function certificationValidOn(c: Pick<Certification, 'validFrom' | 'validUntil'>, date: string): boolean {
  return c.validFrom <= date && date <= c.validUntil;
}
