import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/config.js';

/**
 * The real entry point (the built dist/src/main.js that `npm start` runs), with no DATABASE_URL, so
 * the embedded PostgreSQL path runs in every CI run whatever the rest of the suite uses.
 */
const MAIN = path.join(projectRoot, 'dist/src/main.js');
let dataDir: string;
const children: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function launch(env: Record<string, string | undefined>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', NODE_ENV: 'production', JWT_SECRET: 'entrypoint-test-secret-0123456789abcdef', SESSION_SECRET: 'entrypoint-session-secret-0123456789abcdef', ...env };
  for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, [MAIN], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function start(): Promise<Started & { exited: Promise<number | null> }> {
  const launched = launch({ DATABASE_URL: undefined, EMBEDDED_PG_DIR: dataDir });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ready line within 60 s:\n' + launched.output())), 60_000);
    const poll = setInterval(() => {
      const match = /catalogue API ready at (http:\/\/localhost:\d+\/graphql)/.exec(launched.output());
      if (match) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(match[1]);
      }
    }, 50);
    launched.exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${launched.output()}`));
    });
  });
  return { ...launched, url };
}

async function gql(url: string, query: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await res.json()) as { data?: any; errors?: any[] };
}

const CONTRACT = `{
  frameworks { code lots { name } }
  capabilities(foundationOnly: true) { reference }
  organisation(odsCode: "B84001") { parent { odsCode parent { odsCode } } }
  organisations(first: 100) { totalCount }
}`;

beforeAll(() => {
  expect(fs.existsSync(MAIN), `${MAIN} is missing: run \`npm run build\` (npm test does)`).toBe(true);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalogue-entry-'));
  fs.chmodSync(dataDir, 0o755); // the postgres OS user (when we run as root) must be able to enter it
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start with no DATABASE_URL (embedded PostgreSQL)', () => {
  let firstAnswer: any;

  it('starts, migrates, seeds and serves the contract queries over HTTP', async () => {
    const server = await start();
    expect(server.output()).toMatch(/applied migrations/);
    const health = await fetch(server.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);

    const res = await gql(server.url, CONTRACT);
    expect(res.errors).toBeUndefined();
    const codes = res.data.frameworks.map((f: any) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['HSSF', 'DCS']));
    expect(res.data.frameworks.find((f: any) => f.code === 'HSSF').lots.length).toBe(10);
    expect(res.data.capabilities.map((c: any) => c.reference)).toEqual(['C5', 'C11', 'C12', 'C13', 'C14', 'C15']);
    expect(res.data.organisation).toEqual({ parent: { odsCode: '02T', parent: { odsCode: 'QWO' } } });
    firstAnswer = res.data;

    // While it runs, a second start on the same data folder says why it cannot, and exits non-zero.
    const rival = launch({ DATABASE_URL: undefined, EMBEDDED_PG_DIR: dataDir });
    expect(await rival.exited).toBe(1);
    expect(rival.output().trim().split('\n')).toHaveLength(1);
    expect(rival.output()).toMatch(/already running/);

    // SIGTERM: drains, closes the ORM, stops PostgreSQL, exits 0.
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/"msg":"stopped"/);
    expect(fs.existsSync(path.join(dataDir, 'cluster', 'postmaster.pid'))).toBe(false);
  });

  it('reuses the data on a second start: nothing migrated again, nothing duplicated', async () => {
    const server = await start();
    expect(server.output()).not.toMatch(/applied migrations/);
    expect(server.output()).not.toMatch(/initialising/);
    const res = await gql(server.url, CONTRACT);
    expect(res.data).toEqual(firstAnswer);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
  });
});

describe('start-up failures', () => {
  it('exits non-zero with one clear line when DATABASE_URL does not answer', async () => {
    const launched = launch({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    expect(await launched.exited).toBe(1);
    const lines = launched.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Cannot start the catalogue API: .*refused/);
  });

  it('exits non-zero with one clear line on a bad PORT', async () => {
    const launched = launch({ PORT: 'eighty', DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    expect(await launched.exited).toBe(1);
    expect(launched.output().trim()).toBe('Cannot start the catalogue API: PORT must be an integer between 0 and 65535 (got "eighty")');
  });
});

describe('production configuration', () => {
  it('refuses to start in production without a way to verify tokens', async () => {
    const launched = launch({ JWT_SECRET: undefined, JWT_JWKS_URL: undefined, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    expect(await launched.exited).toBe(1);
    expect(launched.output().trim()).toBe('Cannot start the catalogue API: in production set JWT_JWKS_URL (or JWT_SECRET) to verify bearer tokens');
  });
});
