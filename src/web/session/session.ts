import connectPgSimple from 'connect-pg-simple';
import { csrfSync } from 'csrf-sync';
import express from 'express';
import session from 'express-session';
import pg from 'pg';
import type { Logger } from '../../common/logger.js';
import { ANONYMOUS, type Role, type Viewer } from '../../modules/identity/identity.viewer.js';

/** What a web session holds, besides csrf-sync's token. */
declare module 'express-session' {
  interface SessionData {
    /** Who signed in: role, tenant claim and `sub`, exactly as the API's viewers are. */
    viewer?: SignedInViewer;
    /** When (epoch ms): a session older than the absolute timeout is signed out whatever its activity. */
    signedInAt?: number;
    /** How the header names the account: the organisation, supplier or team and its code. */
    accountName?: string;
    /** The identity provider's ID token, to end its session too at sign-out (OIDC only). */
    idToken?: string;
    /** An OpenID Connect sign-in in progress: its state, nonce and PKCE verifier, and where to go after. */
    oidc?: { state: string; nonce: string; codeVerifier: string; returnTo: string };
  }
}

export type SignedInViewer = Exclude<Viewer, { kind: 'anonymous' }>;

export const SESSION_COOKIE = 'catalogue.sid';
export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60_000;

export interface SessionOptions {
  /** The database the sessions live in (its `web_session` table, created by a migration). */
  databaseUrl: string;
  secret: string;
  production: boolean;
  logger: Logger;
  /** Inactivity allowed before a session ends (rolling; default 30 minutes). */
  idleTimeoutMs?: number;
  /** Longest a session lasts after sign-in, however active (default 12 hours). */
  absoluteTimeoutMs?: number;
  /** Called at every sign-in: records the person's account. A failure is logged, never stops the sign-in. */
  onSignIn?: (viewer: SignedInViewer, person: { email?: string | null; name?: string | null }) => Promise<void>;
}

export interface Sessions {
  /** express-session on PostgreSQL, then the viewer (signed out past the absolute timeout), then the CSRF token for views. */
  middleware: express.RequestHandler[];
  /** Refuses a state-changing request without the session's CSRF token: a 403 page, before any route runs. */
  csrfProtection: express.RequestHandler;
  /** The session's CSRF token, created when it has none (a form about to be rendered needs one). */
  csrfToken(req: express.Request): string;
  /**
   * A new session id (the old one is destroyed) holding this viewer from now; the person's account
   * (for notifications) is created or brought up to date with the email and name given.
   */
  signIn(req: express.Request, viewer: SignedInViewer, accountName: string, idToken?: string, person?: { email?: string | null; name?: string | null }): Promise<void>;
  /** Destroys the session: its row goes, the cookie is cleared. */
  signOut(req: express.Request, res: express.Response): Promise<void>;
  isCsrfError(error: unknown): boolean;
  close(): Promise<void>;
}

const promised = (fn: (cb: (err?: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));

export function createSessions(opts: SessionOptions): Sessions {
  const idle = opts.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  const absolute = opts.absoluteTimeoutMs ?? ABSOLUTE_TIMEOUT_MS;
  // Its own small pool: the ORM's is shared fairly between API requests under statement timeouts.
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 3, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
  pool.on('error', (err) => opts.logger.warn({ err }, 'idle session database connection failed'));
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool,
    tableName: 'web_session',
    createTableIfMissing: false,
    pruneSessionInterval: 15 * 60,
    errorLog: (...args: unknown[]) => opts.logger.error({ detail: args.map(String).join(' ') }, 'session store error'),
  });

  const sessionMiddleware = session({
    name: SESSION_COOKIE,
    secret: opts.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    // Behind a TLS-terminating proxy the connection is plain HTTP: its X-Forwarded-Proto says https.
    proxy: opts.production ? true : undefined,
    cookie: { httpOnly: true, secure: opts.production, sameSite: 'lax', maxAge: idle, path: '/' },
  });

  const csrf = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const token = typeof body?._csrf === 'string' ? body._csrf : req.headers['x-csrf-token'];
      return typeof token === 'string' ? token : undefined;
    },
  });

  const regenerate = (req: express.Request) => promised((cb) => req.session.regenerate(cb));

  const viewerFromSession: express.RequestHandler = (req, res, next) => {
    req.viewer = ANONYMOUS;
    const data = req.session;
    if (data.viewer) {
      if (!data.signedInAt || Date.now() - data.signedInAt > absolute) {
        // Past the absolute timeout: signed out, the old session gone, a fresh (unsaved) one in its place.
        regenerate(req).then(() => next(), next);
        return;
      }
      req.viewer = data.viewer;
      res.locals.account = { name: data.accountName, role: data.viewer.role };
      // The header's Sign out form needs the token on every page of a signed-in person.
      res.locals.csrfToken = csrf.generateToken(req);
    } else if (data.csrfToken) {
      res.locals.csrfToken = data.csrfToken;
    }
    next();
  };

  return {
    middleware: [sessionMiddleware, viewerFromSession],
    csrfProtection: csrf.csrfSynchronisedProtection,
    csrfToken: (req) => csrf.generateToken(req),
    async signIn(req, viewer, accountName, idToken, person = {}) {
      await opts.onSignIn?.(viewer, person).catch((err) => opts.logger.warn({ err }, 'could not record the account at sign-in'));
      await regenerate(req);
      req.session.viewer = viewer;
      req.session.signedInAt = Date.now();
      req.session.accountName = accountName;
      if (idToken) req.session.idToken = idToken;
      await promised((cb) => req.session.save(cb));
      req.viewer = viewer;
    },
    async signOut(req, res) {
      await promised((cb) => req.session.destroy(cb));
      res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure: opts.production, sameSite: 'lax' });
      req.viewer = ANONYMOUS;
    },
    isCsrfError: (error) => error === csrf.invalidCsrfTokenError,
    async close() {
      await store.close();
      await pool.end();
    },
  };
}

/**
 * For routes that need someone signed in (the commissioner pages): the public are sent to sign in and
 * brought back; a signed-in person of another role gets the 403 page. No roles: any signed-in person.
 */
export function requireViewer(roles: Role[] = []): express.RequestHandler {
  return (req, res, next) => {
    if (req.viewer.kind === 'anonymous') {
      res.redirect(303, `/sign-in?returnTo=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    if (roles.length && !roles.includes(req.viewer.role)) {
      res.status(403).render('errors/403.njk');
      return;
    }
    next();
  };
}

/** Where to go after signing in: a path on this site only (never `//elsewhere` or a full URL). */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && !value.startsWith('/sign-') ? value : '/';
}
