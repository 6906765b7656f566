import * as client from 'openid-client';
import type { OidcConfig } from '../../config.js';
import { viewerFromClaims } from '../../modules/identity/identity.service.js';
import { Role } from '../../modules/identity/identity.viewer.js';
import type { SignedInViewer } from './session.js';

/** The identity provider refused or could not complete the sign-in, or its claims name no viewer we know. */
export class SignInError extends Error {}

/**
 * A claim by path: `role`, or dotted steps into objects and arrays (`nhsid_nrbac_roles.0.org_code`);
 * a step that meets an array without an index goes into its first element.
 */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const step of path.split('.')) {
    if (Array.isArray(value) && !/^\d+$/.test(step)) value = value[0];
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

const ROLES = Object.values(Role) as string[];

/** Maps the identity provider's claims to a viewer (the same rules as a bearer token's); anything else is a SignInError. */
export function viewerFromIdentityClaims(config: OidcConfig, claims: Record<string, unknown>): { viewer: SignedInViewer; name?: string; email?: string } {
  const text = (value: unknown): string | undefined => {
    if (Array.isArray(value)) return text(value[0]);
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  const rawRole = claimAt(claims, config.roleClaim);
  const role = (Array.isArray(rawRole) ? rawRole.map(text).find((r) => r && ROLES.includes(r.toUpperCase())) : text(rawRole))?.toUpperCase();
  try {
    const viewer = viewerFromClaims({
      sub: text(claims.sub),
      role,
      odsCode: role === Role.BUYER ? text(claimAt(claims, config.odsClaim)) : undefined,
      supplierId: role === Role.SUPPLIER ? text(claimAt(claims, config.supplierClaim)) : undefined,
    });
    if (viewer.kind === 'anonymous') throw new SignInError('No role.');
    return { viewer, name: text(claims.name), email: text(claims.email) };
  } catch (error) {
    throw new SignInError((error as Error).message.replace(/^The bearer token is not valid: /, 'The identity provider’s answer cannot be used: '));
  }
}

const loopback = (url: URL) => url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/** The provider's configuration (discovered once, then cached), the authorisation redirect and the callback. */
export class OidcSignIn {
  private discovered?: Promise<client.Configuration>;

  constructor(private readonly config: OidcConfig) {}

  private configuration(): Promise<client.Configuration> {
    if (!this.discovered) {
      const issuer = new URL(this.config.issuer);
      const auth = this.config.clientSecret ? client.ClientSecretBasic(this.config.clientSecret) : client.None();
      // Plain HTTP only for a provider on this machine (development and tests); config.ts refuses it in production.
      this.discovered = client.discovery(issuer, this.config.clientId, undefined, auth, loopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined);
      this.discovered.catch(() => (this.discovered = undefined));
    }
    return this.discovered;
  }

  /** A new authorisation request: the URL to send the browser to, and what the callback must find. */
  async start(): Promise<{ url: string; state: string; nonce: string; codeVerifier: string }> {
    const configuration = await this.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.redirectUri,
      scope: this.config.scope,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state, nonce, codeVerifier };
  }

  /**
   * The callback: the code exchanged (state, nonce and PKCE checked by openid-client, the ID token's
   * signature, issuer, audience and expiry too), the claims of the ID token and the userinfo endpoint
   * (where providers such as NHS CIS2 put organisation claims) mapped to a viewer.
   */
  async finish(query: string, expected: { state: string; nonce: string; codeVerifier: string }): Promise<{ viewer: SignedInViewer; name?: string; email?: string; idToken?: string }> {
    const configuration = await this.configuration();
    const currentUrl = new URL(this.config.redirectUri);
    currentUrl.search = query;
    let claims: Record<string, unknown>;
    let idToken: string | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims()!;
      idToken = tokens.id_token;
      claims = { ...idClaims };
      if (configuration.serverMetadata().userinfo_endpoint) {
        const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
        claims = { ...userinfo, ...idClaims };
      }
    } catch (error) {
      const cause = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : undefined;
      throw new SignInError(`The identity provider’s answer was refused: ${cause ?? (error as Error).message}.`);
    }
    return { ...viewerFromIdentityClaims(this.config, claims), idToken };
  }

  /**
   * Where to send the browser at sign-out so the provider ends its session too (RP-initiated logout),
   * or undefined when the provider offers no end_session_endpoint (or cannot be reached).
   */
  async endSessionUrl(idToken: string): Promise<string | undefined> {
    try {
      const configuration = await this.configuration();
      if (!configuration.serverMetadata().end_session_endpoint) return undefined;
      const parameters: Record<string, string> = { id_token_hint: idToken };
      if (this.config.postLogoutRedirectUri) parameters.post_logout_redirect_uri = this.config.postLogoutRedirectUri;
      return client.buildEndSessionUrl(configuration, parameters).href;
    } catch {
      return undefined;
    }
  }
}
