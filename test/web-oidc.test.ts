import http from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error oidc-provider ships no type declarations (and @types/oidc-provider is not installed)
import Provider from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../src/common/logger.js';
import type { OidcConfig } from '../src/config.js';
import { createApp, type App } from '../src/http/app.js';
import { launchBrowser, screenshot } from './helpers/browser.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

/**
 * OpenID Connect sign-in against a real OpenID provider (node-oidc-provider, on a loopback port, with its
 * development login and consent pages), driven in Chromium: authorisation code with PKCE, state and nonce.
 */
let db: TestDatabase;
let app: App;
let base: string;
let issuerServer: http.Server;
let issuer: string;
let oidc: OidcConfig;
/** A second redirect URI the client may use, on a server of the test's: it keeps what the provider sends. */
let holding: http.Server;
let holdingUri: string;
let held: string | undefined;
let browser: Browser;

/** The provider's accounts: the login name picks the claims. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  buyer: { name: 'Dr Ada Buyer', role: 'BUYER', ods_code: '02T' },
  patient: { name: 'Pat Ient', role: 'PATIENT' },
};

beforeAll(async () => {
  db = await createTestDatabase();
  // The provider's port first (it is the issuer's address), then the app, then the client's redirect URI.
  issuerServer = http.createServer();
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;

  holding = http.createServer((req, res) => {
    // Only the callback (Chromium asks this origin for /favicon.ico too).
    if (req.url!.startsWith('/sign-in/callback?')) held ??= `${holdingUri}${req.url!.slice(req.url!.indexOf('?'))}`;
    res.writeHead(200, { 'content-type': 'text/plain' }).end('held by the test');
  });
  await new Promise<void>((resolve) => holding.listen(0, '127.0.0.1', resolve));
  holdingUri = `http://127.0.0.1:${(holding.address() as AddressInfo).port}/sign-in/callback`;

  oidc = {
    issuer,
    clientId: 'catalogue-web',
    clientSecret: 'a-client-secret-for-the-catalogue-web-test',
    redirectUri: '', // set once the app listens (read at each request)
    scope: 'openid profile',
    roleClaim: 'role',
    odsClaim: 'ods_code',
    supplierClaim: 'supplier_id',
  };
  app = await createApp({ orm: db.orm, logger: silentLogger, production: false, web: { oidc } });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  oidc.redirectUri = `${base}/sign-in/callback`;
  oidc.postLogoutRedirectUri = `${base}/`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: oidc.clientId,
        client_secret: oidc.clientSecret,
        redirect_uris: [oidc.redirectUri, holdingUri],
        post_logout_redirect_uris: [oidc.postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], profile: ['name', 'role', 'ods_code', 'supplier_id'] },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, ...(ACCOUNTS[sub] ?? {}) }) }),
    pkce: { required: () => true },
    cookies: { keys: ['oidc-provider-test-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: true } },
  });
  issuerServer.on('request', provider.callback());
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await new Promise<void>((resolve) => (issuerServer ? issuerServer.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => (holding ? holding.close(() => resolve()) : resolve()));
  await db?.drop();
});

/** The provider's development login page, then its consent page. */
async function logInAtProvider(page: Page, login: string): Promise<void> {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

const sessionViewers = async () => (await db.sql(`SELECT sess::jsonb -> 'viewer' AS viewer FROM web_session`)).rows.map((r) => r.viewer).filter(Boolean);

describe('OpenID Connect sign-in', () => {
  it('sends /sign-in to the provider and comes back signed in as the BUYER its claims name', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${base}/sign-in`);
    // The provider's own login page.
    expect(new URL(page.url()).origin).toBe(issuer);
    await logInAtProvider(page, 'buyer');
    await page.waitForURL(`${base}/`);
    const account = page.locator('.nhsuk-header__account');
    expect(await account.textContent()).toMatch(/Dr Ada Buyer, 02T/);
    expect(await account.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    await screenshot(page, 'signed-in-oidc');
    expect(await sessionViewers()).toContainEqual({ kind: 'buyer', role: 'BUYER', sub: 'buyer', odsCode: '02T' });
    await context.close();
  });

  it("signs out of the provider too, so the next person at this computer must sign in again", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${base}/sign-in`);
    await logInAtProvider(page, 'buyer');
    await page.waitForURL(`${base}/`);
    const buyers = async () => (await sessionViewers()).filter((v) => v.sub === 'buyer').length;
    const signedIn = await buyers();
    await page.locator('.nhsuk-header__account').getByRole('button', { name: 'Sign out' }).click();
    // The provider's own end-session page, sent there with the ID token as the hint; ours is gone already.
    await page.waitForURL((url) => url.origin === issuer);
    expect(await buyers()).toBe(signedIn - 1);
    await page.getByRole('button', { name: /Yes, sign me out/ }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.locator('.nhsuk-header__account').textContent()).toMatch(/Sign in/);
    // Signing in again asks for the login: the provider's session is gone.
    await page.goto(`${base}/sign-in`);
    expect(new URL(page.url()).origin).toBe(issuer);
    expect(await page.locator('input[name="login"]').count()).toBe(1);
    await context.close();
  });

  it('checks the authorisation request carries PKCE, state and nonce, and refuses a tampered state', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    let authorisation: URL | undefined;
    page.on('request', (r) => {
      if (r.url().includes('/auth?')) authorisation ??= new URL(r.url());
    });
    // The provider is told to come back to the test's server instead (a redirect URI the client also
    // registered): the test then brings the callback to the app itself, with its state changed.
    oidc.redirectUri = holdingUri;
    try {
      await page.goto(`${base}/sign-in`);
      await logInAtProvider(page, 'buyer');
      await vi.waitFor(() => expect(held).toBeDefined(), { timeout: 15_000 });
    } finally {
      oidc.redirectUri = `${base}/sign-in/callback`;
    }
    const callback = `${base}/sign-in/callback${new URL(held!).search}`;

    expect(authorisation!.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorisation!.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorisation!.searchParams.get('state')).toBeTruthy();
    expect(authorisation!.searchParams.get('nonce')).toBeTruthy();

    const tampered = new URL(callback);
    expect(tampered.searchParams.get('state')).toBe(authorisation!.searchParams.get('state'));
    tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
    const refused = await context.request.get(tampered.href, { maxRedirects: 0 });
    expect(refused.status()).toBe(403);
    const refusal = await refused.text();
    expect(refusal).toMatch(/You could not be signed in/);
    expect(refusal).toMatch(/state/);
    // The sign-in in progress is used up: even the genuine callback now finds nothing to compare with.
    const replay = await context.request.get(callback, { maxRedirects: 0 });
    expect(replay.status()).toBe(403);
    expect(await replay.text()).toMatch(/No sign-in was in progress/);
    expect(await (await context.request.get(`${base}/`)).text()).not.toMatch(/Sign out/);
    expect((await sessionViewers()).filter((v) => v.sub === 'buyer')).toHaveLength(1); // only the first test's
    await context.close();
  });

  it('answers an unknown role with an error page, not a session', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${base}/sign-in`);
    await logInAtProvider(page, 'patient');
    await page.waitForURL(/\/sign-in\/callback/);
    expect(await page.locator('h1').textContent()).toMatch(/You could not be signed in/);
    expect(await page.locator('main').textContent()).toMatch(/role "PATIENT" is not one of SUPPLIER, BUYER, ASSURANCE/);
    expect(await page.locator('.nhsuk-header__account').textContent()).toMatch(/Sign in/);
    expect((await sessionViewers()).filter((v) => v.sub === 'patient')).toEqual([]);
    await context.close();
  });
});
