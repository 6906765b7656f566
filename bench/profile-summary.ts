import path from 'node:path';
import { readProfile, selfTimes } from './cpuprofile.js';

/**
 * A text "flame" summary of a V8 CPU profile (node --cpu-prof): the functions with the most self
 * time, and the packages (or our own directories) that time falls in.
 *
 *   node dist/bench/profile-summary.js <file.cpuprofile | directory (newest)> [--top N]
 */
function where(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const own = /\/(src|bench)\/(.*)$/.exec(url);
  if (own) return `${own[1]}/${own[2].split('/').slice(0, -1).join('/') || '.'}`;
  return url.startsWith('node:') ? 'node' : url || '(native)';
}

if (!process.argv[2]) throw new Error('a .cpuprofile file or a directory is required');
const { file, profile } = readProfile(process.argv[2]);
const topIndex = process.argv.indexOf('--top');
const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 15;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = selfTimes(profile);

const fns = new Map<string, number>();
const pkgs = new Map<string, number>();
let busy = 0;
let total = 0;
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  total += us;
  if (functionName === '(idle)' || functionName === '(program)') {
    fns.set(functionName, (fns.get(functionName) ?? 0) + us);
    continue;
  }
  busy += us;
  const key = `${functionName || '(anonymous)'}  ${where(url)}${url ? `:${lineNumber + 1}` : ''}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const pkg = functionName === '(garbage collector)' ? '(gc)' : where(url);
  pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
}
const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
console.log(`${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (excluding idle and program); shares are of busy time`);
console.log(`\ntop ${top} functions by self time`);
for (const [key, us] of [...fns].filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)')).sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
}
console.log('\nself time by package / directory');
for (const [key, us] of [...pkgs].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${key}`);
