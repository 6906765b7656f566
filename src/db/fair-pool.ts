import pg from 'pg';
import { currentScope, type RequestScope } from '../common/request-scope.js';

/**
 * Per-request discipline on the shared connection pool, so that nothing one request does can starve
 * the others:
 * - a request holds at most `connectionLimit` connections at once (its fair share); more wait in the
 *   request's own queue, not in the pool's;
 * - every statement it sends runs under the statement timeout of its kind of work (public reads are
 *   short, matching longer), set on the connection only when it differs from what it already has;
 * - when the request ends early (the client went away) or overruns its deadline, its statements in
 *   flight are cancelled on the server and it may not take another connection.
 * Work outside a request (migrations, seeding, the reference refresh) runs without a timeout.
 */

export class RequestAbortedError extends Error {
  readonly code = 'REQUEST_ABORTED';
  constructor(readonly why: 'timeout' | 'disconnected') {
    super(why === 'timeout' ? 'the request ran out of time' : 'the client went away');
  }
}

const TIMEOUT = Symbol('statementTimeoutMs');
type Client = pg.PoolClient & { [TIMEOUT]?: number; processID?: number };

async function applyTimeout(client: Client, ms: number): Promise<void> {
  if (client[TIMEOUT] === ms) return;
  // A fresh connection starts with the server's default (none, unless the role sets one).
  await client.query(`SET statement_timeout = ${Math.max(0, Math.floor(ms))}`);
  client[TIMEOUT] = ms;
}

function takeSlot(scope: RequestScope): Promise<void> | void {
  if (scope.aborted) throw new RequestAbortedError(scope.aborted);
  if (scope.connectionsHeld < scope.connectionLimit) {
    scope.connectionsHeld++;
    return;
  }
  return new Promise<void>((resolve, reject) => {
    scope.connectionWaiters.push(() => {
      if (scope.aborted) return reject(new RequestAbortedError(scope.aborted));
      scope.connectionsHeld++;
      resolve();
    });
  });
}

function giveSlot(scope: RequestScope): void {
  scope.connectionsHeld--;
  scope.connectionWaiters.shift()?.();
}

/** Cancels statements by backend pid over one side connection at a time (never from the pool it serves). */
class Canceller {
  private pending = new Set<number>();
  private running?: Promise<void>;
  constructor(private readonly options: pg.ClientConfig) {}

  cancel(pid: number): void {
    this.pending.add(pid);
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  private async drain(): Promise<void> {
    while (this.pending.size) {
      const pids = [...this.pending];
      this.pending.clear();
      const client = new pg.Client({ ...this.options, connectionTimeoutMillis: 2_000 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
      } catch {
        // The statements end at their statement timeout anyway.
      } finally {
        await client.end().catch(() => {});
      }
    }
  }

}

/** Installs the discipline on the ORM's pool (from `driverOptions.onPoolCreated`). */
export function shareFairly(pool: pg.Pool): void {
  const canceller = new Canceller((pool as unknown as { options: pg.ClientConfig }).options);
  const connect = pool.connect.bind(pool) as () => Promise<Client>;
  (pool as unknown as { connect: unknown }).connect = async (callback?: unknown) => {
    if (callback) return (connect as unknown as (cb: unknown) => void)(callback);
    const scope = currentScope();
    if (!scope) {
      const client = await connect();
      try {
        await applyTimeout(client, 0);
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
      return client;
    }
    await takeSlot(scope);
    let client: Client;
    try {
      client = await connect();
    } catch (error) {
      giveSlot(scope);
      throw error;
    }
    try {
      if (scope.aborted) throw new RequestAbortedError(scope.aborted);
      await applyTimeout(client, scope.timeouts[scope.work]);
    } catch (error) {
      client.release(error instanceof RequestAbortedError ? undefined : (error as Error));
      giveSlot(scope);
      throw error;
    }
    const pid = client.processID;
    if (pid) scope.backends.set(pid, () => canceller.cancel(pid));
    const release = client.release;
    // pg-pool gives every checkout its own release function, so wrapping this one is per checkout.
    client.release = ((error?: Error | boolean) => {
      if (pid) scope.backends.delete(pid);
      giveSlot(scope);
      return release.call(client, error);
    }) as typeof client.release;
    return client;
  };
}

/**
 * Ends a request's use of the database: waiting acquisitions fail, and statements in flight are
 * cancelled on the server (they answer as timed out).
 */
export function abortRequestSql(scope: RequestScope, why: 'timeout' | 'disconnected'): void {
  if (scope.aborted) return;
  scope.aborted = why;
  for (const wake of scope.connectionWaiters.splice(0)) wake();
  for (const cancel of scope.backends.values()) cancel();
}
