import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { PageArgs } from '../../graphql/connection.js';
import { NotificationKind } from './notification.kinds.js';
import { notificationCursor, NotificationService } from './notification.service.js';
import { NotificationPreferences, NotificationView } from './notification.types.js';

@Resolver(() => NotificationView)
export class NotificationResolver {
  @Authorized()
  @Query(() => [NotificationView], { description: "The signed-in person's notifications, newest first: a page of `first`, after the `cursor` of the last one seen." })
  notifications(
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('unreadOnly', () => Boolean, { nullable: true, defaultValue: false }) unreadOnly: boolean,
  ): Promise<NotificationView[]> {
    return new NotificationService(ctx).list(page.first, unreadOnly ?? false, page.after);
  }

  @FieldResolver(() => String, { description: 'Pass as `after` for the notifications older than this one.' })
  cursor(@Root() n: NotificationView): string {
    return notificationCursor(n);
  }

  @Authorized()
  @Query(() => Int, { description: "How many of the signed-in person's notifications are unread." })
  unreadNotificationCount(@Ctx() ctx: Context): Promise<number> {
    return new NotificationService(ctx).unreadCount();
  }

  @Authorized()
  @Mutation(() => NotificationView, { description: "Marks one of the signed-in person's notifications read. Another person's answers NOT_FOUND." })
  markNotificationRead(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<NotificationView> {
    return new NotificationService(ctx).markRead(id);
  }

  @Authorized()
  @Mutation(() => Int, { description: "Marks every unread notification of the signed-in person read; answers how many." })
  markAllNotificationsRead(@Ctx() ctx: Context): Promise<number> {
    return new NotificationService(ctx).markAllRead();
  }

  @Authorized()
  @Query(() => NotificationPreferences, { description: 'Which kinds of notification the signed-in person also gets by email (all, until they choose).' })
  notificationPreferences(@Ctx() ctx: Context): Promise<NotificationPreferences> {
    return new NotificationService(ctx).preferences();
  }

  @Authorized()
  @Mutation(() => NotificationPreferences, { description: 'Email exactly these kinds of notification to the signed-in person (every other kind of their audience stays in the catalogue only; kinds of another audience are ignored).' })
  setNotificationPreferences(
    @Ctx() ctx: Context,
    @Arg('emailKinds', () => [NotificationKind], { description: 'The kinds to email; an empty list turns email off.' }) emailKinds: NotificationKind[],
  ): Promise<NotificationPreferences> {
    return new NotificationService(ctx).setEmailKinds(emailKinds);
  }
}
