import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { DEFAULT_PAGE_SIZE } from '../../graphql/connection.js';
import { Role } from '../identity/identity.viewer.js';
import { WebhookService } from './webhook.service.js';
import { Webhook, WebhookCreated, WebhookDelivery, WebhookDeliveryStatus } from './webhook.types.js';

@Resolver()
export class WebhookResolver {
  @Authorized(Role.SUPPLIER, Role.BUYER)
  @Query(() => [Webhook], { description: "The active webhooks of the signed-in supplier or organisation (at most 10)." })
  webhooks(@Ctx() ctx: Context): Promise<Webhook[]> {
    return new WebhookService(ctx).list();
  }

  @Authorized(Role.SUPPLIER, Role.BUYER)
  @Mutation(() => WebhookCreated, {
    description:
      'Adds a webhook for the signed-in supplier or organisation: every notification to it is POSTed there as JSON, with ' +
      'X-Timestamp (Unix seconds) and X-Signature (sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the secret answered here, once). ' +
      'Reject a timestamp more than 5 minutes from your clock. https only in production.',
  })
  createWebhook(@Ctx() ctx: Context, @Arg('url') url: string): Promise<WebhookCreated> {
    return new WebhookService(ctx).create(url);
  }

  @Authorized(Role.SUPPLIER, Role.BUYER)
  @Mutation(() => Webhook, { description: 'Stops sending to a webhook; its pending deliveries become DEAD.' })
  deactivateWebhook(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number): Promise<Webhook> {
    return new WebhookService(ctx).deactivate(id, version);
  }

  @Authorized(Role.SUPPLIER, Role.BUYER, Role.ASSURANCE)
  @Query(() => [WebhookDelivery], { description: "Webhook deliveries, newest first: the signed-in supplier's or organisation's, or for the assurance team everyone's (e.g. status: DEAD, the dead letters)." })
  webhookDeliveries(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: 'How many, 1 to 100.' }) first: number,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status?: WebhookDeliveryStatus | null,
    @Arg('webhookId', () => ID, { nullable: true }) webhookId?: string | null,
  ): Promise<WebhookDelivery[]> {
    return new WebhookService(ctx).deliveries(first ?? DEFAULT_PAGE_SIZE, status, webhookId);
  }

  @Authorized(Role.SUPPLIER, Role.BUYER, Role.ASSURANCE)
  @Mutation(() => WebhookDelivery, { description: 'Sends a dead-lettered delivery again (a fresh 24 hours of retries): for its owner or the assurance team.' })
  replayWebhookDelivery(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<WebhookDelivery> {
    return new WebhookService(ctx).replay(id);
  }
}
