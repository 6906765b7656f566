import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/common/logger.js';
import { createApp, type App } from '../src/http/app.js';
import { signDevelopmentToken, TokenVerifier } from '../src/modules/identity/identity.service.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

const SECRET = 'identity-test-secret-0123456789abcdef';
let db: TestDatabase;
let app: App;
let base: string;
let supplierId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  supplierId = (await db.sql(`SELECT id FROM supplier ORDER BY name LIMIT 1`)).rows[0].id;
  app = await createApp({ orm: db.orm, logger: silentLogger, verifier: new TokenVerifier({ secret: SECRET }) });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

async function post(query: string, authorization?: string, url = base) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions: { code: string; reason?: string } }[] } };
}

const QUEUE = '{ evidenceQueue(first: 1) { totalCount } }';
const sign = (claims: Record<string, unknown>, secret = SECRET, expires: string | number = '5m') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('someone').setIssuedAt().setExpirationTime(expires).sign(new TextEncoder().encode(secret));

describe('bearer tokens', () => {
  it('no token is the public: public data yes, protected operations UNAUTHENTICATED', async () => {
    expect((await post('{ frameworks { code } }')).body.data.frameworks.length).toBeGreaterThan(0);
    expect((await post(QUEUE)).body.errors![0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('a valid token acts with its role', async () => {
    const assurance = await signDevelopmentToken(SECRET, { role: Role.ASSURANCE });
    const res = await post(QUEUE, `Bearer ${assurance}`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.evidenceQueue.totalCount).toBeGreaterThan(0);
    const supplier = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId });
    expect((await post(QUEUE, `Bearer ${supplier}`)).body.errors![0].extensions.code).toBe('FORBIDDEN');
  });

  const invalid: [string, () => Promise<string>][] = [
    ['not a bearer header', async () => 'Basic dXNlcjpwYXNz'],
    ['a malformed token', async () => 'Bearer not.a.jwt'],
    ['garbage after Bearer', async () => 'Bearer ' + 'x'.repeat(40)],
    ['an expired token', async () => `Bearer ${await sign({ role: 'ASSURANCE' }, SECRET, Math.floor(Date.now() / 1000) - 60)}`],
    ['a wrong signature', async () => `Bearer ${await sign({ role: 'ASSURANCE' }, 'another-secret-0123456789abcdefghij')}`],
    ['an unknown role', async () => `Bearer ${await sign({ role: 'ADMIN' })}`],
    ['a SUPPLIER token without supplierId', async () => `Bearer ${await sign({ role: 'SUPPLIER' })}`],
    ['a BUYER token without odsCode', async () => `Bearer ${await sign({ role: 'BUYER' })}`],
    ['an unsigned (alg none) token', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ sub: 'x', role: 'ASSURANCE', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
      return `Bearer ${header}.${payload}.`;
    }],
  ];

  it.each(invalid)('%s is UNAUTHENTICATED (HTTP 401), never the public', async (_name, header) => {
    const res = await post('{ frameworks { code } }', await header());
    expect(res.status).toBe(401);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors!.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    expect(res.body.errors![0].extensions.reason).toBe('INVALID_TOKEN');
    expect(res.body.errors![0].message).toMatch(/^The bearer token is not valid: /);
  });
});

describe('JWKS (production identity provider)', () => {
  it('accepts RS256 tokens signed by a key in the JWKS, and refuses HS256 ones', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwks = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    const prodApp = await createApp({ orm: db.orm, logger: silentLogger, verifier: new TokenVerifier({ jwksUrl, issuer: 'https://idp.example', audience: 'catalogue' }) });
    await new Promise<void>((resolve) => prodApp.httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(prodApp.httpServer.address() as AddressInfo).port}/graphql`;
    try {
      const good = await new SignJWT({ role: 'ASSURANCE' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('assurer@nhs.example')
        .setIssuer('https://idp.example')
        .setAudience('catalogue')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      expect((await post(QUEUE, `Bearer ${good}`, url)).body.errors).toBeUndefined();
      const wrongAudience = await new SignJWT({ role: 'ASSURANCE' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('a')
        .setIssuer('https://idp.example')
        .setAudience('other-service')
        .setExpirationTime('5m')
        .sign(privateKey);
      expect((await post(QUEUE, `Bearer ${wrongAudience}`, url)).status).toBe(401);
      const hs = await signDevelopmentToken(SECRET, { role: Role.ASSURANCE }, { issuer: 'https://idp.example', audience: 'catalogue' });
      expect((await post(QUEUE, `Bearer ${hs}`, url)).status).toBe(401);
    } finally {
      await prodApp.stop();
      jwks.close();
    }
  });
});

describe('npm run token', () => {
  it('prints a development token the server accepts, and refuses incomplete requests', async () => {
    const { execFileSync, spawnSync } = await import('node:child_process');
    const path = await import('node:path');
    const { projectRoot } = await import('../src/config.js');
    const { DEVELOPMENT_SECRET } = await import('../src/modules/identity/identity.service.js');
    const cli = path.join(projectRoot, 'dist/src/cli/token.js');
    const env = { ...process.env, JWT_SECRET: '', NODE_ENV: 'development' };
    const token = execFileSync(process.execPath, [cli, '--role', 'SUPPLIER', '--supplier', supplierId], { env }).toString().trim();
    const viewer = await new TokenVerifier({ secret: DEVELOPMENT_SECRET }).viewerFor(`Bearer ${token}`);
    expect(viewer).toMatchObject({ kind: 'supplier', supplierId });
    const missing = spawnSync(process.execPath, [cli, '--role', 'BUYER'], { env });
    expect(missing.status).toBe(2);
    expect(missing.stderr.toString()).toMatch(/needs --ods/);
  });
});
