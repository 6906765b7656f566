import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What belongs to one request and must be reachable from deep inside libraries (the ORM's query
 * logger, Apollo's error formatter) without threading it through every call.
 */
export interface RequestScope {
  requestId: string;
  sqlStatements: number;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequestScope<T>(fn: () => T, requestId: string = randomUUID()): T {
  return storage.run({ requestId, sqlStatements: 0 }, fn);
}

export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

export function countStatement(): void {
  const scope = storage.getStore();
  if (scope) scope.sqlStatements++;
}

/** Runs fn in a fresh scope and reports how many SQL statements it sent. */
export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const scope: RequestScope = { requestId: randomUUID(), sqlStatements: 0 };
  const result = await storage.run(scope, fn);
  return { result, statements: scope.sqlStatements };
}
