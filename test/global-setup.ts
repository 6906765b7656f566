import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../src/db/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server URL on which each test file creates (and drops) its own database. */
    serverUrl: string;
  }
}

let embedded: EmbeddedPostgresHandle | undefined;
let tempDir: string | undefined;

/** DATABASE_URL's server when set; otherwise one embedded PostgreSQL for the whole run, in a temp folder. */
export async function setup(project: TestProject): Promise<void> {
  if (process.env.DATABASE_URL) {
    project.provide('serverUrl', process.env.DATABASE_URL);
    return;
  }
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalogue-test-pg-'));
  fs.chmodSync(tempDir, 0o755);
  embedded = await startEmbeddedPostgres(path.join(tempDir, 'pg'));
  project.provide('serverUrl', embedded.url);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
}
