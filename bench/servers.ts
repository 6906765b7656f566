import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../src/config.js';

/** The built server as a child process, and what is known about it: its address, whether it has exited, its last output. */
export interface Server {
  process: ChildProcess;
  url: string;
  base: string;
  exited?: { code: number | null; signal: NodeJS.Signals | null; at: number };
  /** The last lines it wrote (stdout and stderr), to say why it died. */
  readonly tail: string[];
}

export async function startServer(databaseUrl: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Server> {
  return startProcess(path.join(projectRoot, 'dist/src/main.js'), { DATABASE_URL: databaseUrl, PORT: '0', NODE_ENV: 'production', DB_POOL_MAX: '10', SESSION_SECRET: 'bench-session-secret-0123456789abcdefghijklmnop', ...env }, /ready at (http:\/\/localhost:\d+\/graphql)/, nodeArgs);
}

/** A built script as a child process (the same Node flags as npm start), resolved once it prints its address. */
export async function startProcess(script: string, env: Record<string, string>, readyPattern: RegExp, nodeArgs: string[] = []): Promise<Server> {
  // The same Node flags as npm start.
  const child = spawn(process.execPath, ['--max-old-space-size=256', ...nodeArgs, script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The last 8 kB of its output, split into lines only when asked: the bench shares the machine's
  // cores with the server, so reading its log lines must cost next to nothing.
  let recent = '';
  const server: Server = {
    process: child,
    url: '',
    base: '',
    get tail() {
      return recent.split('\n').filter(Boolean).slice(-40).map((l) => l.slice(0, 300));
    },
  };
  let output = '';
  let ready = false;
  const keep = (c: Buffer) => {
    // Keep the start-up output (to find the port, or to explain a failure); after that only the last lines.
    if (!ready) output += c;
    recent += c;
    if (recent.length > 16_384) recent = recent.slice(-8_192);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('exit', (code, signal) => {
    server.exited = { code, signal, at: performance.now() };
  });
  server.url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = readyPattern.exec(output);
      if (m) {
        clearInterval(timer);
        ready = true;
        resolve(m[1]);
      }
    }, 50);
    child.on('exit', () => {
      clearInterval(timer);
      reject(new Error(output));
    });
  });
  server.base = server.url.replace('/graphql', '');
  return server;
}

export async function stopServer(server: Server): Promise<void> {
  if (server.exited) return;
  const exited = new Promise((resolve) => server.process.on('exit', resolve));
  server.process.kill('SIGTERM');
  const force = setTimeout(() => server.process.kill('SIGKILL'), 25_000);
  await exited;
  clearTimeout(force);
}

