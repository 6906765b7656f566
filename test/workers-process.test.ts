import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/config.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

/**
 * Where the job workers run: in the API process by default, nowhere with WORKERS=0 (API-only
 * replicas), and alone with `npm run worker` (dist/src/worker.js). Built entry points, real database.
 */
const MAIN = path.join(projectRoot, 'dist/src/main.js');
const WORKER = path.join(projectRoot, 'dist/src/worker.js');
let db: TestDatabase;
const children: ChildProcess[] = [];

function launch(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, PORT: '0', NODE_ENV: 'test', DATABASE_URL: db.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp, ms = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms:\n${output}`)), ms);
      const poll = setInterval(() => {
        if (pattern.test(output)) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve();
        }
      }, 50);
      void exited.then((code) => {
        clearInterval(poll);
        clearTimeout(timer);
        if (!pattern.test(output)) reject(new Error(`exited with ${code}:\n${output}`));
      });
    });
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { child, output: () => output, waitFor, stop, exited };
}

const bossSchema = async () => (await db.sql(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'pgboss'`)).rows[0].n;

beforeAll(async () => {
  expect(fs.existsSync(MAIN) && fs.existsSync(WORKER), 'dist is missing: run `npm run build` (npm test does)').toBe(true);
  db = await createTestDatabase({ migrate: false });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await db?.drop();
});

describe('job workers', () => {
  it('WORKERS=0: the API serves and runs no worker (pg-boss is never started)', async () => {
    const api = launch(MAIN, { WORKERS: '0' });
    await api.waitFor(/catalogue API ready/);
    expect(api.output()).toMatch(/WORKERS=0: no job workers in this process/);
    expect(api.output()).not.toMatch(/job workers started/);
    expect(await bossSchema()).toBe(0);
    expect(await api.stop()).toBe(0);
  });

  it('a WORKERS value other than 0 or 1 stops start-up with a clear message', async () => {
    const api = launch(MAIN, { WORKERS: 'yes' });
    expect(await api.exited).toBe(1);
    expect(api.output()).toMatch(/WORKERS must be 0 .* or 1/);
  });

  it('npm run worker runs the workers alone: pg-boss installs its schema, the queues and their cron schedules', async () => {
    const worker = launch(WORKER, {});
    await worker.waitFor(/job workers started/);
    expect(await bossSchema()).toBe(1);
    const schedules = await db.sql(`SELECT name, cron FROM pgboss.schedule ORDER BY name`);
    expect(schedules.rows).toEqual([
      { name: 'commissioner-alerts', cron: '* * * * *' },
      { name: 'commissioner-alerts-sweep', cron: '30 5 * * *' },
      { name: 'deliver-emails', cron: '* * * * *' },
      { name: 'deliver-webhooks', cron: '* * * * *' },
      { name: 'reminders', cron: '0 6 * * *' },
    ]);
    expect(await worker.stop()).toBe(0);
  });

  it('by default the API process runs them too', async () => {
    const api = launch(MAIN, {});
    await api.waitFor(/catalogue API ready/);
    expect(api.output()).toMatch(/job workers started/);
    expect(await api.stop()).toBe(0);
  });
});
