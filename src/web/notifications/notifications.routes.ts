import express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { checkUnsubscribe, unsubscribe } from '../../modules/notification/unsubscribe.js';
import { NOTIFICATION_KINDS } from '../../modules/notification/notification.kinds.js';
import { UUID } from '../../common/ids.js';
import {
  NotificationMarkAllReadDocument,
  NotificationMarkReadDocument,
  NotificationPreferencesPageDocument,
  NotificationSetPreferencesDocument,
  NotificationsPageDocument,
  type NotificationKind,
} from '../generated/graphql.js';
import type { WebContext } from '../web.js';

const PAGE = 20;
const one = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * The signed-in person's notifications (newest first, a page at a time, unread marked, each linking to
 * the page concerned) and which kinds also come by email. Any signed-in role.
 */
export function notificationRoutes(web: WebContext): express.Router {
  const router = express.Router();
  const signedIn = web.requireViewer();

  router.get('/notifications', signedIn, async (req, res) => {
    const after = one(req.query.after);
    const unreadOnly = req.query.show === 'unread';
    const data = await web.operations.run(req.viewer, NotificationsPageDocument, { first: PAGE + 1, after: after && after.length <= 512 ? after : undefined, unreadOnly });
    const items = data.notifications.slice(0, PAGE);
    const next = data.notifications.length > PAGE ? items[items.length - 1].cursor : undefined;
    const query = (extra: Record<string, string>) => `/notifications?${new URLSearchParams({ ...(unreadOnly ? { show: 'unread' } : {}), ...extra })}`;
    res.render('notifications/index.njk', {
      items,
      unread: data.unreadNotificationCount,
      unreadOnly,
      nextHref: next ? query({ after: next }) : undefined,
      firstHref: after ? query({}) : undefined,
      marked: req.query.marked === '1',
    });
  });

  router.post('/notifications/:id/read', signedIn, async (req, res) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) return web.notFound(req, res);
    const { markNotificationRead } = await web.operations.run(req.viewer, NotificationMarkReadDocument, { id });
    // "Mark read and open": go to the page concerned; otherwise back to the list.
    const open = one(req.body?.open);
    if (open && open.startsWith('/') && !open.startsWith('//')) return res.redirect(303, open);
    res.redirect(303, `/notifications?marked=1#notification-${markNotificationRead.id}`);
  });

  router.post('/notifications/read-all', signedIn, async (req, res) => {
    await web.operations.run(req.viewer, NotificationMarkAllReadDocument, {});
    res.redirect(303, '/notifications?marked=1');
  });

  const renderPreferences = async (req: express.Request, res: express.Response, extra: Record<string, unknown> = {}) => {
    const { notificationPreferences } = await web.operations.run(req.viewer, NotificationPreferencesPageDocument, {});
    res.render('notifications/preferences.njk', {
      emailAddress: notificationPreferences.emailAddress,
      items: notificationPreferences.kinds.map((k) => ({ value: k.kind, text: k.label, checked: k.email })),
      saved: req.query.saved === '1',
      ...extra,
    });
  };

  router.get('/notifications/preferences', signedIn, (req, res) => renderPreferences(req, res));

  router.post('/notifications/preferences', signedIn, async (req, res) => {
    const { notificationPreferences } = await web.operations.run(req.viewer, NotificationPreferencesPageDocument, {});
    const known = new Set<string>(notificationPreferences.kinds.map((k) => k.kind));
    const ticked = ([] as unknown[]).concat(req.body?.email ?? []).filter((k): k is NotificationKind => typeof k === 'string' && known.has(k));
    await web.operations.run(req.viewer, NotificationSetPreferencesDocument, { emailKinds: [...new Set(ticked)] });
    res.redirect(303, '/notifications/preferences?saved=1');
  });

  return router;
}

/**
 * The link in an email's List-Unsubscribe header. GET shows what it will do and a button (a link
 * opened in a browser, or fetched by a scanner, changes nothing); POST (the button, or a mail client's
 * one-click `List-Unsubscribe=One-Click`) turns that kind of email off. A wrong or altered link is 404.
 */
export function unsubscribeRoutes(opts: { orm: MikroORM; secret: string }): express.Router {
  const router = express.Router();
  router.get('/notifications/unsubscribe', (req, res) => {
    const link = checkUnsubscribe(opts.secret, req.query);
    if (!link) return void res.status(404).render('errors/404.njk');
    res.render('notifications/unsubscribe.njk', { label: NOTIFICATION_KINDS[link.kind].label, action: req.originalUrl, done: false });
  });
  router.post('/notifications/unsubscribe', async (req, res) => {
    const link = checkUnsubscribe(opts.secret, req.query);
    if (!link) return void res.status(404).render('errors/404.njk');
    if (!(await unsubscribe(opts.orm.em, link.userId, link.kind))) return void res.status(404).render('errors/404.njk');
    res.render('notifications/unsubscribe.njk', { label: NOTIFICATION_KINDS[link.kind].label, done: true });
  });
  return router;
}
