import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { DEVELOPMENT_SECRET, type IdentityConfig } from './modules/identity/identity.service.js';
import type { S3Config } from './common/s3-client.js';
import { DEFAULT_CONNECTIONS_PER_REQUEST, DEFAULT_STATEMENT_TIMEOUTS, type StatementTimeouts } from './common/request-scope.js';

/** The largest answer sent in one response (MAX_RESPONSE_BYTES). */
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

/** The repository root, found from this file whether it runs from src/ (tests) or dist/src/ (built). */
export const projectRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
})();

export interface AppConfig {
  port: number;
  databaseUrl?: string;
  /** Where the embedded PostgreSQL keeps its cluster when no DATABASE_URL is set. */
  embeddedDataDir: string;
  production: boolean;
  poolMax: number;
  logSql: boolean;
  identity: IdentityConfig;
  /** Introspection in production only when INTROSPECTION=true. */
  introspection?: boolean;
  /** RESPONSE_CACHE_SECONDS: how long anonymous query answers are cached (0 turns it off). */
  responseCacheSeconds: number;
  /** GRAPHQL_EXECUTOR: `compiled` (graphql-jit, the default) or `graphql-js` (interpreted: a way back, and the benchmark's comparison). */
  executor: GraphQLExecutorKind;
  /** Protection of the shared service from any one request. */
  protection: ProtectionConfig;
  /** METRICS_PORT serves /metrics on its own port instead; METRICS_TOKEN requires `Authorization: Bearer <token>`. */
  metrics: { port?: number; token?: string };
  /** The web pages' sessions and sign-in. */
  web: WebConfig;
  /** Background jobs (reminders, email, webhooks). */
  jobs: JobsConfig;
  /** Where evidence documents' bytes are kept (their metadata is always in PostgreSQL). */
  documents: DocumentStorageConfig;
}

/** DOCUMENT_STORAGE=postgres (the default) or s3 with the S3_* settings. */
export type DocumentStorageConfig = { kind: 'postgres' } | { kind: 's3'; s3: S3Config };

export interface JobsConfig {
  /** WORKERS=0 runs no job workers in this process (API-only replicas); `npm run worker` runs them alone. */
  workers: boolean;
  /** SMTP_URL (unset: emails are logged, not sent), MAIL_FROM, and PUBLIC_BASE_URL for links. */
  email: { smtpUrl?: string; from: string; baseUrl: string; unsubscribeSecret: string };
}

/** Used only outside production when SESSION_SECRET is unset. */
export const DEVELOPMENT_SESSION_SECRET = 'development-only-session-secret-not-for-production';

/** OpenID Connect sign-in for the pages (authorisation code + PKCE), and how its claims map to a viewer. */
export interface OidcConfig {
  /** The issuer's URL (its discovery document is at /.well-known/openid-configuration below it). */
  issuer: string;
  clientId: string;
  /** Sent as client_secret_basic when set; a public client (PKCE only) otherwise. */
  clientSecret?: string;
  redirectUri: string;
  /**
   * Where the provider sends the browser after it ends its own session at sign-out (registered with it
   * as a post-logout redirect URI); OIDC_POST_LOGOUT_REDIRECT_URI, the service's home page by default.
   */
  postLogoutRedirectUri?: string;
  scope: string;
  /** Claim paths: a name, or dotted steps into objects and arrays (`nhsid_nrbac_roles.0.org_code`). */
  roleClaim: string;
  odsClaim: string;
  supplierClaim: string;
}

export interface WebConfig {
  /** Signs the session cookie (SESSION_SECRET). */
  sessionSecret: string;
  /** OIDC_* set: sign-in goes to the identity provider; unset: the development sign-in (not in production). */
  oidc?: OidcConfig;
  /**
   * The password-less development sign-in: only when NODE_ENV is unset, "development" or "test" and no
   * OIDC is configured. Any other NODE_ENV ("staging", "prod", a typo) fails closed.
   */
  devSignIn: boolean;
}

export interface ProtectionConfig {
  statementTimeouts: StatementTimeouts;
  /** A request still running after this long has its SQL cancelled and answers QUERY_TIMEOUT. */
  requestTimeoutMs: number;
  connectionsPerRequest: number;
  maxResponseBytes: number;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
  }
  return value;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: intFromEnv(env, 'PORT', 4000, 0, 65535),
    databaseUrl: env.DATABASE_URL || undefined,
    embeddedDataDir: path.resolve(projectRoot, env.EMBEDDED_PG_DIR || '.data/postgres'),
    production: env.NODE_ENV === 'production',
    poolMax: intFromEnv(env, 'DB_POOL_MAX', 10, 1, 200),
    logSql: env.LOG_SQL === '1' || env.LOG_SQL === 'true',
    identity: identityConfig(env),
    introspection: env.INTROSPECTION === 'true' ? true : undefined,
    responseCacheSeconds: intFromEnv(env, 'RESPONSE_CACHE_SECONDS', 30, 0, 3600),
    executor: executorFromEnv(env),
    protection: protectionConfig(env),
    metrics: metricsConfig(env),
    web: webConfig(env),
    jobs: jobsConfig(env),
    documents: documentStorageConfig(env),
  };
}

export type GraphQLExecutorKind = 'compiled' | 'graphql-js';

function executorFromEnv(env: NodeJS.ProcessEnv): GraphQLExecutorKind {
  const kind = env.GRAPHQL_EXECUTOR || 'compiled';
  if (kind === 'compiled' || kind === 'graphql-js') return kind;
  throw new ConfigError(`GRAPHQL_EXECUTOR must be compiled or graphql-js (got "${kind}")`);
}

function documentStorageConfig(env: NodeJS.ProcessEnv): DocumentStorageConfig {
  const kind = env.DOCUMENT_STORAGE || 'postgres';
  if (kind === 'postgres') return { kind };
  if (kind !== 's3') throw new ConfigError(`DOCUMENT_STORAGE must be postgres or s3 (got "${kind}")`);
  const missing = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'].filter((name) => !env[name]);
  if (missing.length) throw new ConfigError(`DOCUMENT_STORAGE=s3: set ${missing.join(', ')}`);
  const endpoint = env.S3_ENDPOINT!;
  if (!/^https?:\/\/[^/]/.test(endpoint)) throw new ConfigError('S3_ENDPOINT must be an http(s) URL');
  if (env.NODE_ENV === 'production' && !endpoint.startsWith('https://')) throw new ConfigError('S3_ENDPOINT must be https in production');
  // Path-style addressing puts the bucket in the path: a name S3 accepts (3-63 lowercase letters, digits, dots, hyphens).
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(env.S3_BUCKET!)) throw new ConfigError('S3_BUCKET must be a bucket name (3-63 lowercase letters, digits, dots and hyphens)');
  return {
    kind,
    s3: {
      endpoint,
      bucket: env.S3_BUCKET!,
      region: env.S3_REGION || 'us-east-1',
      accessKeyId: env.S3_ACCESS_KEY_ID!,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
      timeoutMs: intFromEnv(env, 'S3_TIMEOUT_MS', 10_000, 100, 120_000),
    },
  };
}

function jobsConfig(env: NodeJS.ProcessEnv): JobsConfig {
  const workers = env.WORKERS ?? '1';
  if (!['0', '1'].includes(workers)) throw new ConfigError(`WORKERS must be 0 (no job workers in this process) or 1 (got "${workers}")`);
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL');
  return {
    workers: workers === '1',
    email: {
      smtpUrl,
      from: env.MAIL_FROM || 'GP IT supplier assurance catalogue <no-reply@localhost>',
      baseUrl: publicBaseUri(env),
      // One-click unsubscribe links are checked by the pages, which know the session secret.
      unsubscribeSecret: env.SESSION_SECRET || DEVELOPMENT_SESSION_SECRET,
    },
  };
}

function webConfig(env: NodeJS.ProcessEnv): WebConfig {
  const production = env.NODE_ENV === 'production';
  const secret = env.SESSION_SECRET || undefined;
  if (secret && secret.length < 32) throw new ConfigError('SESSION_SECRET must be at least 32 characters');
  if (production && !secret) throw new ConfigError('in production set SESSION_SECRET (32+ characters) to sign the web session cookie');
  const issuer = env.OIDC_ISSUER || undefined;
  let oidc: OidcConfig | undefined;
  if (issuer) {
    if (!/^https?:\/\//.test(issuer)) throw new ConfigError('OIDC_ISSUER must be an http(s) URL');
    if (production && !issuer.startsWith('https://')) throw new ConfigError('OIDC_ISSUER must be https in production');
    if (!env.OIDC_CLIENT_ID) throw new ConfigError('OIDC_ISSUER is set: set OIDC_CLIENT_ID too');
    const redirectUri = env.OIDC_REDIRECT_URI || `${publicBaseUri(env)}/sign-in/callback`;
    if (!/^https?:\/\//.test(redirectUri)) throw new ConfigError('OIDC_REDIRECT_URI must be an http(s) URL');
    oidc = {
      issuer,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET || undefined,
      redirectUri,
      postLogoutRedirectUri: env.OIDC_POST_LOGOUT_REDIRECT_URI || `${publicBaseUri(env)}/`,
      scope: env.OIDC_SCOPE || 'openid profile',
      roleClaim: env.OIDC_ROLE_CLAIM || 'role',
      odsClaim: env.OIDC_ODS_CLAIM || 'ods_code',
      supplierClaim: env.OIDC_SUPPLIER_CLAIM || 'supplier_id',
    };
  } else if (env.OIDC_CLIENT_ID) {
    throw new ConfigError('OIDC_CLIENT_ID is set: set OIDC_ISSUER too');
  }
  const devSignIn = !oidc && ['', 'development', 'test'].includes(env.NODE_ENV ?? '');
  return { sessionSecret: secret ?? DEVELOPMENT_SESSION_SECRET, oidc, devSignIn };
}

function protectionConfig(env: NodeJS.ProcessEnv): ProtectionConfig {
  const statementTimeouts = {
    read: intFromEnv(env, 'STATEMENT_TIMEOUT_MS', DEFAULT_STATEMENT_TIMEOUTS.read, 100, 600_000),
    matching: intFromEnv(env, 'MATCHING_STATEMENT_TIMEOUT_MS', DEFAULT_STATEMENT_TIMEOUTS.matching, 100, 600_000),
    write: intFromEnv(env, 'WRITE_STATEMENT_TIMEOUT_MS', DEFAULT_STATEMENT_TIMEOUTS.write, 100, 600_000),
  };
  const longest = Math.max(...Object.values(statementTimeouts));
  return {
    statementTimeouts,
    requestTimeoutMs: intFromEnv(env, 'REQUEST_TIMEOUT_MS', longest + 5_000, 1_000, 900_000),
    connectionsPerRequest: intFromEnv(env, 'DB_CONNECTIONS_PER_REQUEST', DEFAULT_CONNECTIONS_PER_REQUEST, 1, 200),
    maxResponseBytes: intFromEnv(env, 'MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES, 1024, 512 * 1024 * 1024),
  };
}

function metricsConfig(env: NodeJS.ProcessEnv): AppConfig['metrics'] {
  const token = env.METRICS_TOKEN || undefined;
  if (token && token.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters');
  return { port: env.METRICS_PORT ? intFromEnv(env, 'METRICS_PORT', 0, 0, 65535) : undefined, token };
}

function identityConfig(env: NodeJS.ProcessEnv): IdentityConfig {
  const production = env.NODE_ENV === 'production';
  const secret = env.JWT_SECRET || undefined;
  const jwksUrl = env.JWT_JWKS_URL || undefined;
  if (secret && secret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters');
  if (jwksUrl && !/^https?:\/\//.test(jwksUrl)) throw new ConfigError('JWT_JWKS_URL must be an http(s) URL');
  if (production && !secret && !jwksUrl) throw new ConfigError('in production set JWT_JWKS_URL (or JWT_SECRET) to verify bearer tokens');
  return {
    secret: jwksUrl ? undefined : (secret ?? DEVELOPMENT_SECRET),
    jwksUrl,
    issuer: env.JWT_ISSUER || undefined,
    audience: env.JWT_AUDIENCE || undefined,
  };
}

/** npm pins Node 24 for scripts, but `npm ci --ignore-scripts` silently falls back to the system Node. */
export function assertNodeVersion(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    process.stderr.write(
      `This service needs Node 22 or later (found ${process.versions.node}). ` +
        'Run it through npm (npm start), which uses the Node 24 pinned in package.json; ' +
        'if npm ci ran with --ignore-scripts, run npm ci again without it.\n',
    );
    process.exit(1);
  }
}

/** The address clients reach this API at, for links it publishes (OCDS package URIs). */
export function publicBaseUri(env: NodeJS.ProcessEnv = process.env): string {
  return (env.PUBLIC_BASE_URL || `http://localhost:${env.PORT || 4000}`).replace(/\/$/, '');
}
