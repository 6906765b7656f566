import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { NotificationKind } from './notification.kinds.js';

@ObjectType('Notification', { description: 'Something the catalogue told the signed-in person (a reminder, later an alert).' })
export class NotificationView {
  @Field(() => ID) id!: string;
  @Field(() => NotificationKind) kind!: NotificationKind;
  @Field({ description: 'One line: what happened.' }) subject!: string;
  @Field({ description: 'What it means and what to do.' }) body!: string;
  @Field({ description: 'The page concerned, as a path on the web service (e.g. /suppliers/<id>).' }) path!: string;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the person marked it read; null while unread.' }) readAt!: Date | null;
  /** For the next page's cursor. */
  cursorMicros!: string;
}

@ObjectType({ description: 'Whether one kind of notification also comes by email.' })
export class NotificationKindPreference {
  @Field(() => NotificationKind) kind!: NotificationKind;
  @Field({ description: 'What the kind is called on the preferences page.' }) label!: string;
  @Field() email!: boolean;
}

@ObjectType({ description: "The signed-in person's notification settings." })
export class NotificationPreferences {
  @Field(() => String, { nullable: true, description: 'Where emails go (from the identity provider or token); null: no emails can be sent.' })
  emailAddress!: string | null;
  @Field(() => [NotificationKindPreference], { description: "Every kind the person can be told of (a supplier's people the supplier kinds, a buyer's the organisation kinds), in a fixed order." }) kinds!: NotificationKindPreference[];
}
