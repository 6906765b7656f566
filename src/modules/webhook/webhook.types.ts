import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { NotificationKind } from '../notification/notification.kinds.js';

/** The most active webhooks one organisation or supplier may have. */
export const MAX_WEBHOOKS_PER_OWNER = 10;

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  DEAD = 'DEAD',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'PENDING: not yet delivered (retried with backoff for 24 hours); DELIVERED: a 2xx answer; DEAD: given up, until replayed.',
});

@ObjectType({ description: "An organisation's or supplier's endpoint for notifications (JSON POSTs signed with its secret)." })
export class Webhook {
  @Field(() => ID) id!: string;
  @Field() url!: string;
  @Field(() => String, { nullable: true, description: 'The supplier it belongs to (a supplier webhook).' }) supplierId!: string | null;
  @Field(() => String, { nullable: true, description: 'The organisation it belongs to (a buyer webhook).' }) odsCode!: string | null;
  @Field() active!: boolean;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => Int) version!: number;
}

@ObjectType({ description: 'A new webhook and its signing secret, which is shown only this once.' })
export class WebhookCreated {
  @Field(() => Webhook) webhook!: Webhook;
  @Field({ description: 'The HMAC-SHA256 key for X-Signature. Keep it: it is not shown again.' }) secret!: string;
}

@ObjectType({ description: 'One event sent (or being sent) to one webhook.' })
export class WebhookDelivery {
  @Field(() => ID) id!: string;
  @Field(() => ID) webhookId!: string;
  @Field(() => ID) eventId!: string;
  @Field(() => NotificationKind) kind!: NotificationKind;
  @Field() subject!: string;
  @Field(() => WebhookDeliveryStatus) status!: WebhookDeliveryStatus;
  @Field(() => Int) attempts!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) lastAttemptAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) nextAttemptAt!: Date | null;
  @Field(() => Int, { nullable: true, description: "The receiver's last HTTP status, if it answered." }) lastStatusCode!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) deadAt!: Date | null;
  @Field(() => Int, { description: 'How many times it was replayed.' }) replays!: number;
}
