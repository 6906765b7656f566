import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { DEVELOPMENT_SECRET, type IdentityConfig } from './modules/identity/identity.service.js';

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
  };
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
