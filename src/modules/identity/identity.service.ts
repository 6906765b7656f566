import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { UUID } from '../../common/ids.js';
import { unsafeCharacter } from '../../common/text.js';
import { IdentityErrors } from './identity.errors.js';
import { ANONYMOUS, Role, type Viewer } from './identity.viewer.js';

/** Used only outside production when JWT_SECRET is unset, so `npm start` and `npm run token` work out of the box. */
export const DEVELOPMENT_SECRET = 'development-only-secret-not-for-production-use';

export interface IdentityConfig {
  /** HS256 shared secret (development, tests, simple deployments). */
  secret?: string;
  /** JWKS endpoint of the identity provider (production). */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

const ODS_CODE = /^[A-Z0-9]{3,6}$/;

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'it has expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'its signature does not match';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim ${error.claim} is not acceptable`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'its signing algorithm is not accepted';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return 'it is malformed';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the identity provider matches it';
  return 'it could not be verified';
}

/** Turns verified claims into a viewer; a role without its tenant claim is as bad as a bad signature. */
export function viewerFromClaims(claims: JWTPayload): Viewer {
  const sub = claims.sub;
  if (!sub) throw IdentityErrors.invalidToken('it has no sub claim');
  // The sub is stored (the person's account, every audit row): PostgreSQL cannot store a NUL.
  if (unsafeCharacter(sub)) throw IdentityErrors.invalidToken('its sub claim is not text the catalogue can store');
  switch (claims.role) {
    case Role.SUPPLIER: {
      const supplierId = claims.supplierId;
      if (typeof supplierId !== 'string' || !UUID.test(supplierId)) throw IdentityErrors.invalidToken('a SUPPLIER token needs a supplierId claim');
      return { kind: 'supplier', role: Role.SUPPLIER, sub, supplierId };
    }
    case Role.BUYER: {
      const odsCode = typeof claims.odsCode === 'string' ? claims.odsCode.toUpperCase() : '';
      if (!ODS_CODE.test(odsCode)) throw IdentityErrors.invalidToken('a BUYER token needs an odsCode claim');
      return { kind: 'buyer', role: Role.BUYER, sub, odsCode };
    }
    case Role.ASSURANCE:
      return { kind: 'assurance', role: Role.ASSURANCE, sub };
    default:
      throw IdentityErrors.invalidToken(`role ${JSON.stringify(claims.role ?? null)} is not one of SUPPLIER, BUYER, ASSURANCE`);
  }
}

export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly config: IdentityConfig) {
    if (config.jwksUrl) {
      this.key = createRemoteJWKSet(new URL(config.jwksUrl));
      this.algorithms = ['RS256', 'ES256', 'PS256', 'EdDSA'];
    } else if (config.secret) {
      this.key = new TextEncoder().encode(config.secret);
      this.algorithms = ['HS256'];
    } else {
      throw new Error('identity needs JWT_SECRET or JWT_JWKS_URL');
    }
  }

  /** No header: the public. A header that is present must carry a valid bearer token. */
  async viewerFor(authorization: string | undefined): Promise<Viewer> {
    return (await this.identify(authorization)).viewer;
  }

  /** The viewer, and the token's `email` and `name` claims when it has them (for the person's account). */
  async identify(authorization: string | undefined): Promise<{ viewer: Viewer; email?: string; name?: string }> {
    if (authorization === undefined || authorization === '') return { viewer: ANONYMOUS };
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (!match) throw IdentityErrors.invalidToken('the Authorization header must be "Bearer <JWT>"');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1], this.key as Uint8Array, {
        algorithms: this.algorithms,
        issuer: this.config.issuer,
        audience: this.config.audience,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw IdentityErrors.invalidToken(describe(error));
    }
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return { viewer: viewerFromClaims(payload), email: text(payload.email), name: text(payload.name) };
  }
}

export interface TokenRequest {
  role: Role;
  sub?: string;
  supplierId?: string;
  odsCode?: string;
  /** An `email` claim: the address the person's notifications are sent to. */
  email?: string;
  expiresIn?: string;
}

/** Signs an HS256 development token (npm run token, and the tests). */
export async function signDevelopmentToken(secret: string, request: TokenRequest, config: Pick<IdentityConfig, 'issuer' | 'audience'> = {}): Promise<string> {
  const claims: Record<string, unknown> = { role: request.role };
  if (request.supplierId) claims.supplierId = request.supplierId;
  if (request.odsCode) claims.odsCode = request.odsCode;
  if (request.email) claims.email = request.email;
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(request.sub ?? `dev-${request.role.toLowerCase()}`)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '8h');
  if (config.issuer) jwt = jwt.setIssuer(config.issuer);
  if (config.audience) jwt = jwt.setAudience(config.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
