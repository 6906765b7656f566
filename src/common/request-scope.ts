import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The kinds of work a request does; each has its own statement timeout. */
export type WorkClass = 'read' | 'matching' | 'write';

/** How long one SQL statement may run, by kind of work (milliseconds). */
export type StatementTimeouts = Record<WorkClass, number>;

export const DEFAULT_STATEMENT_TIMEOUTS: StatementTimeouts = { read: 3_000, matching: 15_000, write: 10_000 };

/** How many pool connections one request may hold at once: its fair share of the pool. */
export const DEFAULT_CONNECTIONS_PER_REQUEST = 2;

/**
 * What belongs to one request and must be reachable from deep inside libraries (the ORM's query
 * logger, the pool, Apollo's error formatter) without threading it through every call.
 */
export interface RequestScope {
  requestId: string;
  sqlStatements: number;
  /** The heaviest kind of work this request has started; sets its statement timeout. */
  work: WorkClass;
  timeouts: StatementTimeouts;
  /** Pool connections this request may hold at once, and the queue of those waiting for one. */
  connectionLimit: number;
  connectionsHeld: number;
  connectionWaiters: (() => void)[];
  /** The connections it holds now, each with a way to cancel the statement running on it. */
  backends: Map<number, () => void>;
  /** Set once the request has ended or timed out: its remaining SQL is cancelled, new SQL refused. */
  aborted?: 'timeout' | 'disconnected';
}

export interface ScopeOptions {
  timeouts?: StatementTimeouts;
  connectionLimit?: number;
}

const storage = new AsyncLocalStorage<RequestScope>();

function newScope(requestId: string, options: ScopeOptions = {}): RequestScope {
  return {
    requestId,
    sqlStatements: 0,
    work: 'read',
    timeouts: options.timeouts ?? DEFAULT_STATEMENT_TIMEOUTS,
    connectionLimit: options.connectionLimit ?? DEFAULT_CONNECTIONS_PER_REQUEST,
    connectionsHeld: 0,
    connectionWaiters: [],
    backends: new Map(),
  };
}

export function runInRequestScope<T>(fn: () => T, requestId: string = randomUUID(), options?: ScopeOptions): T {
  return storage.run(newScope(requestId, options), fn);
}

export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

export function countStatement(): void {
  const scope = storage.getStore();
  if (scope) scope.sqlStatements++;
}

const WEIGHT: Record<WorkClass, number> = { read: 0, write: 1, matching: 2 };

/** Raises the current request's statement timeout to that of a heavier kind of work (matching, writes). */
export function useWorkClass(work: WorkClass): void {
  const scope = storage.getStore();
  if (scope && WEIGHT[work] > WEIGHT[scope.work]) scope.work = work;
}

/** Runs fn in a fresh scope and reports how many SQL statements it sent. */
export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const scope = newScope(randomUUID());
  const result = await storage.run(scope, fn);
  return { result, statements: scope.sqlStatements };
}
