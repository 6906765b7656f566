import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 (header form), enough for an S3-compatible store: no SDK. Checked against
 * AWS's published example vectors (test/sigv4.test.ts). Pure: nothing here does I/O.
 */

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SigV4Request {
  method: string;
  /** The path as sent (already percent-encoded, as S3 wants it: once, '/' kept). */
  path: string;
  /** Query parameters, unencoded. */
  query?: Record<string, string>;
  /** Every header to sign, host among them; names in any case. */
  headers: Record<string, string>;
  /** The payload's SHA-256 in hex, or 'UNSIGNED-PAYLOAD'. */
  payloadHash: string;
}

export interface SigV4Scope {
  region: string;
  service: string;
  /** The request time as YYYYMMDD'T'HHMMSS'Z'. */
  amzDate: string;
}

export const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding as SigV4 wants it: only A-Z a-z 0-9 - _ . ~ left as they are. */
export function uriEncode(value: string, keepSlash = false): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** 2013-05-24T00:00:00.000Z as 20130524T000000Z. */
export function amzDate(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function canonicalRequest(req: SigV4Request): { canonical: string; signedHeaders: string } {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(req.headers)) {
    const key = name.toLowerCase();
    // Trimmed, inner runs of spaces folded; repeated names joined by commas.
    const v = String(value).trim().replace(/\s+/g, ' ');
    headers.set(key, headers.has(key) ? `${headers.get(key)},${v}` : v);
  }
  const names = [...headers.keys()].sort();
  const signedHeaders = names.join(';');
  const query = Object.entries(req.query ?? {})
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [req.method.toUpperCase(), req.path || '/', query, names.map((n) => `${n}:${headers.get(n)}\n`).join(''), signedHeaders, req.payloadHash].join('\n');
  return { canonical, signedHeaders };
}

export function stringToSign(canonical: string, scope: SigV4Scope): string {
  return ['AWS4-HMAC-SHA256', scope.amzDate, credentialScope(scope), sha256Hex(canonical)].join('\n');
}

export function credentialScope(scope: SigV4Scope): string {
  return `${scope.amzDate.slice(0, 8)}/${scope.region}/${scope.service}/aws4_request`;
}

export function signingKey(secretAccessKey: string, scope: SigV4Scope): Buffer {
  const date = hmac(`AWS4${secretAccessKey}`, scope.amzDate.slice(0, 8));
  return hmac(hmac(hmac(date, scope.region), scope.service), 'aws4_request');
}

/** The signature and the Authorization header for a request. */
export function sign(req: SigV4Request, scope: SigV4Scope, credentials: SigV4Credentials): { signature: string; authorization: string } {
  const { canonical, signedHeaders } = canonicalRequest(req);
  const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, scope)).update(stringToSign(canonical, scope), 'utf8').digest('hex');
  return {
    signature,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope(scope)},SignedHeaders=${signedHeaders},Signature=${signature}`,
  };
}
