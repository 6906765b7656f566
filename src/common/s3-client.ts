import { amzDate, EMPTY_SHA256, sign, uriEncode, type SigV4Credentials } from './sigv4.js';

/** An S3-compatible bucket addressed path-style (`<endpoint>/<bucket>/<key>`), as MinIO, Ceph and AWS accept. */
export interface S3Config extends SigV4Credentials {
  /** http(s)://host[:port][/prefix] */
  endpoint: string;
  bucket: string;
  region: string;
  /** Each request is abandoned after this long (the store is then unavailable, not slow). */
  timeoutMs: number;
}

/** The store did not answer, or answered with something other than the object or its absence. */
export class S3UnavailableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'S3UnavailableError';
  }
}

/**
 * The two calls a content-addressed store needs, signed with Signature V4 over Node's fetch. Payloads
 * are signed by their SHA-256 (the store checks the bytes it received against it), never UNSIGNED.
 */
export class S3Client {
  private readonly base: URL;

  constructor(
    private readonly config: S3Config,
    /** The signing time: the wall clock, which the store compares with its own (not the app's injectable clock). */
    private readonly now: () => Date = () => new Date(),
  ) {
    this.base = new URL(config.endpoint.replace(/\/+$/, '') + '/');
  }

  private async send(method: 'GET' | 'PUT', key: string, body?: { content: Buffer; sha256: string; contentType: string }): Promise<Response> {
    const path = `${this.base.pathname}${uriEncode(this.config.bucket)}/${uriEncode(key, true)}`;
    const url = new URL(path, this.base);
    const payloadHash = body?.sha256 ?? EMPTY_SHA256;
    const date = amzDate(this.now());
    const headers: Record<string, string> = { host: url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': date };
    if (body) headers['content-type'] = body.contentType;
    const { authorization } = sign({ method, path, headers, payloadHash }, { region: this.config.region, service: 's3', amzDate: date }, this.config);
    const { host: _host, ...sent } = headers;
    try {
      return await fetch(url, {
        method,
        headers: { ...sent, authorization },
        body: body ? new Uint8Array(body.content.buffer, body.content.byteOffset, body.content.length) : undefined,
        signal: AbortSignal.timeout(this.config.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw new S3UnavailableError(`object storage unreachable (${method} ${url.origin}): ${(error as Error).message}`, undefined, { cause: error });
    }
  }

  private static async failure(res: Response, what: string): Promise<S3UnavailableError> {
    // S3 errors are XML with a <Code>; the code is enough to tell an operator what is wrong.
    const text = await res.text().catch(() => '');
    const code = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1];
    return new S3UnavailableError(`object storage refused ${what}: HTTP ${res.status}${code ? ` ${code}` : ''}`, res.status);
  }

  /** Stores bytes under a key; the store checks them against their SHA-256. */
  async putObject(key: string, content: Buffer, sha256: string, contentType: string): Promise<void> {
    const res = await this.send('PUT', key, { content, sha256, contentType });
    if (!res.ok) throw await S3Client.failure(res, `PUT ${key}`);
    await res.arrayBuffer().catch(() => undefined);
  }

  /**
   * The bytes under a key, or null when there is no such object. With `maxBytes`, at most that many
   * bytes and one more are read (then the body is dropped): a larger object comes back cut short, so
   * memory stays bounded and a caller that hashes it sees that it is not what was stored.
   */
  async getObject(key: string, maxBytes?: number): Promise<Buffer | null> {
    const res = await this.send('GET', key);
    if (res.status === 404) {
      const text = await res.text().catch(() => '');
      // A missing bucket is a misconfiguration, not a missing object.
      if (text.includes('<Code>NoSuchBucket</Code>')) throw new S3UnavailableError(`object storage has no bucket "${this.config.bucket}"`, 404);
      return null;
    }
    if (!res.ok) throw await S3Client.failure(res, `GET ${key}`);
    try {
      if (maxBytes === undefined || !res.body) return Buffer.from(await res.arrayBuffer());
      const chunks: Uint8Array[] = [];
      let size = 0;
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        size += value.length;
        if (size > maxBytes) {
          await reader.cancel().catch(() => undefined);
          return Buffer.concat(chunks).subarray(0, maxBytes + 1);
        }
      }
      return Buffer.concat(chunks);
    } catch (error) {
      throw new S3UnavailableError(`object storage broke off GET ${key}: ${(error as Error).message}`, undefined, { cause: error });
    }
  }
}
