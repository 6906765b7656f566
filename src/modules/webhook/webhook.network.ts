import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/**
 * Webhook URLs are chosen by suppliers and organisations, so in production a delivery may only reach
 * the public internet: never loopback, private, link-local (cloud metadata), carrier-grade NAT,
 * multicast or unspecified addresses, checked on the address actually connected to (after DNS, so a
 * name that resolves to an internal address, or is re-pointed at one later, is refused too).
 * WEBHOOK_ALLOW_PRIVATE_NETWORKS=1 lifts this for deployments whose receivers are internal.
 */
const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
const BLOCKED_V6: [string, number][] = [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]];

const blocklist = new net.BlockList();
for (const [address, prefix] of BLOCKED_V4) blocklist.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of BLOCKED_V6) blocklist.addSubnet(address, prefix, 'ipv6');

/** Whether an IP address is on the public internet (IPv4-mapped IPv6 addresses judged as IPv4). */
export function isPublicAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return isPublicAddress(mapped[1]);
  const family = net.isIP(ip);
  if (!family) return false;
  return !blocklist.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

export class BlockedAddressError extends Error {
  constructor(host: string, address: string) {
    super(`refused: ${host} is at ${address}, which is not a public internet address`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup, refusing any answer that is not a public address. */
function publicLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const list = addresses as dns.LookupAddress[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    if (bad || !list.length) return callback(new BlockedAddressError(hostname, bad?.address ?? 'no address') as NodeJS.ErrnoException, '');
    if (options.all) return callback(null, list);
    callback(null, list[0].address, list[0].family);
  });
}

/** POSTs a body and answers the status; in `publicOnly` mode only to public addresses. No redirects are followed. */
export function postJson(url: string, headers: Record<string, string>, body: string, opts: { timeoutMs: number; publicOnly: boolean }): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (opts.publicOnly && net.isIP(host) && !isPublicAddress(host)) return reject(new BlockedAddressError(host, host));
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': Buffer.byteLength(body).toString() },
      timeout: opts.timeoutMs,
      ...(opts.publicOnly ? { lookup: publicLookup as never } : {}),
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume(); // the answer's body is not read, only drained
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', reject);
    });
    req.end(body);
  });
}
