import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import express from 'express';
import helmet from 'helmet';
import { DEVELOPMENT_SESSION_SECRET, projectRoot, type OidcConfig } from '../config.js';
import { currentScope } from '../common/request-scope.js';
import type { Logger } from '../common/logger.js';
import { createContext, type Context } from '../graphql/context.js';
import { takeUploadSlot } from '../modules/document/document.service.js';
import { MAX_DOCUMENT_BYTES } from '../modules/document/document.types.js';
import { DOCUMENT_UPLOAD_PATH, documentRoutes } from './supplier/documents.routes.js';
import { ANONYMOUS, type Role, type Viewer } from '../modules/identity/identity.viewer.js';
import { assuranceRoutes } from './assurance/assurance.routes.js';
import { catalogueRoutes } from './catalogue/catalogue.routes.js';
import { createOperations, OperationError, type Operations } from './operations.js';
import { publicRoutes } from './public/public.routes.js';
import { matchingRoutes } from './matching/matching.routes.js';
import { practiceRoutes } from './practice/practice.routes.js';
import { shortlistRoutes } from './shortlists/shortlists.routes.js';
import { competitionRoutes } from './competitions/competitions.routes.js';
import { specificationRoutes } from './specification/specification.routes.js';
import { supplierRoutes } from './supplier/supplier.routes.js';
import { multipartForms } from './multipart.js';
import { createViews, NHSUK_DIST } from './render.js';
import { HeaderUnreadCountDocument } from './generated/graphql.js';
import { notificationRoutes, unsubscribeRoutes } from './notifications/notifications.routes.js';
import { jobRoutes } from './jobs/jobs.routes.js';
import { ensureUser } from '../modules/user/user.store.js';
import { createSessions, requireViewer } from './session/session.js';
import { signInRoutes } from './session/sign-in.routes.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Who is signed in to the pages (the public until sign-in). */
    viewer: Viewer;
  }
}

/** What every journey's routes need: operations, and the one way errors become pages. */
export interface WebContext {
  operations: Operations;
  /**
   * The NHS error summary and inline messages for input the API refused (BAD_USER_INPUT), keyed by
   * the form's own field names; undefined for any other error (which becomes an error page).
   */
  formErrors(error: unknown, fieldMap?: Record<string, string>): { errorList: { text: string; href: string }[]; errors: Record<string, string> } | undefined;
  notFound(req: express.Request, res: express.Response): void;
  /**
   * For routes that need someone signed in: the public are sent to /sign-in (and brought back), another
   * role gets the 403 page; `req.viewer` is the signed-in viewer. Forms that POST carry
   * `{{ csrfInput(csrfToken) }}` (session/csrf.njk); a POST without the session's token is refused first.
   */
  requireViewer(roles?: Role[]): express.RequestHandler;
  /** The API's context for this viewer, for the few pages that call a service in-process rather than an operation (a file upload or download). */
  contextFor(viewer: Viewer): Context;
}

export interface WebOptions {
  apollo: ApolloServer<Context>;
  orm: MikroORM;
  logger: Logger;
  production: boolean;
  /** Sessions and sign-in (SESSION_SECRET, OIDC_*; see config.ts); timeouts default to 30 minutes idle, 12 hours in all. */
  session?: WebSessionOptions;
}

export interface WebSessionOptions {
  secret?: string;
  oidc?: OidcConfig;
  idleTimeoutMs?: number;
  absoluteTimeoutMs?: number;
  /** The development sign-in (no OIDC); by default outside production only. main.ts narrows it to NODE_ENV development or test. */
  devSignIn?: boolean;
}

/** The pages' router; `close` stops the session store (its pool and pruning timer). */
export type WebRouter = express.Router & { close(): Promise<void> };

const STATUS: Record<string, number> = { NOT_FOUND: 404, FORBIDDEN: 403, UNAUTHENTICATED: 401, BAD_USER_INPUT: 400, QUERY_TOO_COSTLY: 413, QUERY_TIMEOUT: 503, SERVICE_UNAVAILABLE: 503 };

/** graphql-js's words for a value it could not read, as a person would say them; any other message as it is. */
function plainWords(message: string): string {
  if (/^Int cannot represent/.test(message)) return 'Enter a whole number';
  if (/^Float cannot represent/.test(message)) return 'Enter a number, for example 99.5';
  if (/does not exist in "\w+" enum/.test(message)) return 'Choose one of the options';
  return message;
}

/**
 * The web service: pages in the NHS.UK design system, served by the same process as the API and
 * built on it. Assets come from the installed nhsuk-frontend package, never a CDN.
 */
export function webRouter(opts: WebOptions): WebRouter {
  const router = express.Router() as WebRouter;
  const views = createViews();
  const devSignIn = !opts.session?.oidc && (opts.session?.devSignIn ?? !opts.production);
  const operations = createOperations(opts.apollo, opts.orm);

  const render = (res: express.Response, view: string, context: Record<string, unknown> = {}) => {
    const started = performance.now();
    const html = views.render(view, { ...res.locals, ...context });
    // Outside production, what a page cost (for the bench and the browser's dev tools).
    const scope = currentScope();
    if (!opts.production && scope) res.set('Server-Timing', `sql;desc="${scope.sqlStatements} statements", render;dur=${(performance.now() - started).toFixed(1)}`);
    res.send(html);
  };

  router.use((req, res, next) => {
    // A nonce for the one inline script the NHS template carries (it marks the body js-enabled).
    res.locals.cspNonce = randomBytes(16).toString('base64');
    res.locals.assetPath = '/assets';
    res.locals.currentPath = req.path;
    res.locals.signInAvailable = Boolean(opts.session?.oidc) || devSignIn;
    req.viewer = ANONYMOUS;
    res.render = ((view: string, context?: Record<string, unknown>) => render(res, view, context)) as express.Response['render'];
    next();
  });
  router.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          // Sign-out is a form whose answer redirects to the identity provider's end-session endpoint,
          // and form-action governs where a submitted form may lead.
          formAction: ["'self'", ...(opts.session?.oidc ? [new URL(opts.session.oidc.issuer).origin] : [])],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: opts.production ? [] : null,
        },
      },
      strictTransportSecurity: opts.production,
      // As frame-ancestors 'none' says, for browsers that read only the older header.
      xFrameOptions: { action: 'deny' },
    }),
  );

  const immutable = { maxAge: opts.production ? '1d' : 0 };
  router.use('/assets', express.static(path.join(NHSUK_DIST, 'nhsuk/assets'), immutable));
  // The compiled stylesheet loads the Frutiger web font from assets.nhs.uk: nothing may load from
  // another origin (and the CSP would refuse it), so those @font-face rules are dropped and the
  // design system's own fallback, Arial, is used.
  const css = fs.readFileSync(path.join(NHSUK_DIST, 'nhsuk/nhsuk-frontend.min.css'), 'utf8').replace(/@font-face\{[^}]*https?:\/\/[^}]*\}/g, '');
  router.get('/assets/nhsuk-frontend.min.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', opts.production ? 'public, max-age=86400' : 'no-cache').send(css);
  });
  router.get('/assets/nhsuk-frontend.min.js', (_req, res) => res.sendFile(path.join(NHSUK_DIST, 'nhsuk/nhsuk-frontend.min.js'), immutable));
  router.use('/static', express.static(path.join(projectRoot, 'src/web/assets'), immutable));

  // Sessions (in PostgreSQL) only past the assets: a stylesheet costs no session lookup.
  const sessions = createSessions({
    databaseUrl: opts.orm.config.get('clientUrl')!,
    secret: opts.session?.secret ?? DEVELOPMENT_SESSION_SECRET,
    production: opts.production,
    logger: opts.logger,
    idleTimeoutMs: opts.session?.idleTimeoutMs,
    absoluteTimeoutMs: opts.session?.absoluteTimeoutMs,
    onSignIn: async (viewer, person) => void (await ensureUser(opts.orm.em.fork(), { viewer, ...person })),
  });
  router.close = () => sessions.close();
  // A specification form posts about 11 fields per requirement (up to 100) and 6 per KPI (up to 30);
  // a shortlist 3 per entry (up to 1,000), each rationale up to 4,000 characters of any script.
  router.use(express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 4_000 }));
  // One-click unsubscribe from an email (RFC 8058): no session and no CSRF token, the link's own HMAC
  // is the authority (it can only turn one kind of email off for one person).
  router.use(unsubscribeRoutes({ orm: opts.orm, secret: opts.session?.secret ?? DEVELOPMENT_SESSION_SECRET }));
  router.use(...sessions.middleware);
  // Signed-in pages hold an organisation's procurement data: never kept by a browser or a proxy
  // (shared NHS computers), so Back after sign-out shows nothing.
  router.use((req, res, next) => {
    if (req.session?.viewer) res.set('Cache-Control', 'no-store');
    next();
  });
  // A form with a file (a month's KPI figures as CSV): small files only, parsed before the CSRF check reads its token.
  // An evidence document: up to 10 MB (one byte more is read, to tell a file that is too large), a few at a
  // time, and only for a signed-in supplier: the slots are shared with the API's uploads, and anyone else
  // trickling a body to this address would hold them (the route refuses them anyway).
  router.use(
    multipartForms({
      fileSize: 100_000,
      files: 1,
      fields: 20,
      large: { applies: (req) => DOCUMENT_UPLOAD_PATH.test(req.path) && req.viewer?.kind === 'supplier', fileSize: MAX_DOCUMENT_BYTES + 1, enter: (req) => takeUploadSlot((req.viewer as { supplierId: string }).supplierId) },
    }),
  );
  router.use(sessions.csrfProtection);
  // A state-changing request without the session's token stops here, before any route: nothing is written.
  router.use(((error, _req, res, next) => {
    if (!sessions.isCsrfError(error)) return next(error);
    res.status(403).render('session/form-expired.njk');
  }) as express.ErrorRequestHandler);

  // The header's link to the notifications page carries the unread count, for signed-in people.
  router.use(async (req, res, next) => {
    if (req.viewer.kind === 'anonymous' || req.method !== 'GET' || !res.locals.account) return next();
    try {
      res.locals.account.unread = (await operations.run(req.viewer, HeaderUnreadCountDocument, {})).unreadNotificationCount;
    } catch (error) {
      opts.logger.warn({ err: error }, 'could not count unread notifications for the header');
    }
    next();
  });

  const web: WebContext = {
    operations,
    formErrors(error, fieldMap = {}) {
      if (!(error instanceof OperationError) || error.code !== 'BAD_USER_INPUT') return undefined;
      const fields = error.fields.length ? error.fields : [{ field: '', message: error.message }];
      const errors: Record<string, string> = {};
      const errorList = fields.map(({ field, message: raw }) => {
        // graphql-js prefixes variable errors with the variable and value; the person needs the reason.
        const message = plainWords(raw.replace(/^Variable "\$\w+" got invalid value .*?; /, ''));
        const name = fieldMap[field] ?? field.split('.').pop() ?? field;
        errors[name] ??= message;
        return { text: message, href: `#${name}` };
      });
      return { errorList, errors };
    },
    notFound(_req, res) {
      res.status(404).render('errors/404.njk');
    },
    requireViewer,
    contextFor: (viewer) => createContext(opts.orm, currentScope()?.requestId, viewer),
  };

  router.use(signInRoutes(web, { sessions, production: opts.production, oidc: opts.session?.oidc, devSignIn }));
  router.get('/', (_req, res) => res.render('home/home.njk'));
  router.use(catalogueRoutes(web));
  router.use(publicRoutes(web));
  router.use(specificationRoutes(web));
  router.use(matchingRoutes(web));
  router.use(shortlistRoutes(web));
  router.use(competitionRoutes(web));
  router.use(assuranceRoutes(web));
  router.use(practiceRoutes(web));
  router.use(supplierRoutes(web));
  router.use(documentRoutes(web));
  router.use(notificationRoutes(web));
  router.use(jobRoutes(web));
  router.get('/{*path}', (req, res) => web.notFound(req, res));

  // Errors the API answered become pages; anything else is a 500 with the request id, never a stack trace.
  router.use(((error, req, res, next) => {
    if (res.headersSent) return next(error);
    const requestId = currentScope()?.requestId;
    // The client's mistakes before any route (a body too large or unreadable, an address that does not
    // decode) are 4xx pages, not a server failure.
    const clientStatus = (error as { status?: unknown }).status;
    if (error instanceof URIError) return void res.status(404).render('errors/404.njk');
    if (!(error instanceof OperationError) && typeof clientStatus === 'number' && clientStatus >= 400 && clientStatus < 500) {
      opts.logger.warn({ requestId, path: req.path, status: clientStatus, type: (error as { type?: string }).type }, 'request refused before any page');
      return void res.status(clientStatus).render('errors/400.njk', { tooLarge: clientStatus === 413 });
    }
    const code = error instanceof OperationError ? error.code : 'INTERNAL_SERVER_ERROR';
    const status = STATUS[code] ?? 500;
    if (status === 500) opts.logger.error({ err: error, requestId, path: req.path }, 'unhandled error on a page');
    const view = status === 404 ? 'errors/404.njk' : status === 403 ? 'errors/403.njk' : status === 400 || status === 413 ? 'errors/400.njk' : 'errors/500.njk';
    res.status(status).render(view, { requestId, code, tooCostly: code === 'QUERY_TOO_COSTLY' });
  }) as express.ErrorRequestHandler);

  return router;
}
