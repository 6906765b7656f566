import fs from 'node:fs';
import path from 'node:path';
import { readProfile, selfTimes, type ProfileNode } from './cpuprofile.js';

/**
 * A flame graph of a V8 CPU profile (node --cpu-prof), as one self-contained SVG: each box a function
 * on the stack, as wide as its share of the busy time (idle left out), drawn root at the bottom with
 * each function above its caller. Hover a box for its name, place and share. Colour says whose
 * code it is: ours (blue), a package (orange), Node and V8 (grey), the garbage collector (red).
 *
 *   node dist/bench/flamegraph.js <file.cpuprofile | directory (newest)> <out.svg> [--title "..."]
 */
interface Frame {
  name: string;
  where: string;
  value: number;
  children: Map<string, Frame>;
}

function place(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const own = /\/((?:src|bench)\/.*)$/.exec(url);
  if (own) return own[1];
  return url.startsWith('node:') ? url : url || '(native)';
}

function colour(frame: Frame): string {
  if (frame.name === '(garbage collector)') return '#d5281b';
  if (frame.name === 'all') return '#768692';
  if (/^(src|bench)\//.test(frame.where)) return '#4c8ed9';
  if (/^(node:|\(native\))/.test(frame.where)) return '#aeb7bd';
  return '#ed8b00';
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const out = process.argv[3];
if (!process.argv[2] || !out) throw new Error('usage: flamegraph <file.cpuprofile | directory> <out.svg> [--title "..."]');
const { file, profile } = readProfile(process.argv[2]);
const titleAt = process.argv.indexOf('--title');
const title = titleAt > 0 ? process.argv[titleAt + 1] : path.basename(file);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = selfTimes(profile);

// Merge every sampled stack into one tree by function (name and place), so a function called from
// the same callers is one box however many V8 nodes it had.
const root: Frame = { name: 'all', where: '', value: 0, children: new Map() };
for (const [id, us] of self) {
  const stack: ProfileNode[] = [];
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) stack.push(byId.get(n)!);
  stack.reverse();
  const leaf = stack[stack.length - 1].callFrame.functionName;
  if (leaf === '(idle)' || leaf === '(program)') continue;
  root.value += us;
  let at = root;
  for (const n of stack.slice(1)) {
    const where = place(n.callFrame.url);
    const name = n.callFrame.functionName || '(anonymous)';
    const key = `${name}\u0000${where}:${n.callFrame.lineNumber}`;
    let child = at.children.get(key);
    if (!child) at.children.set(key, (child = { name, where: n.callFrame.url ? `${where}:${n.callFrame.lineNumber + 1}` : where, value: 0, children: new Map() }));
    child.value += us;
    at = child;
  }
}

const WIDTH = 1600;
const ROW = 17;
const boxes: { level: number; x: number; w: number; frame: Frame }[] = [];
let depth = 0;
function draw(frame: Frame, x: number, level: number): void {
  const w = (frame.value / root.value) * WIDTH;
  if (w < 1) return;
  depth = Math.max(depth, level);
  boxes.push({ level, x, w, frame });
  let cx = x;
  for (const child of [...frame.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    draw(child, cx, level + 1);
    cx += (child.value / root.value) * WIDTH;
  }
}
draw(root, 0, 0);

const height = (depth + 1) * ROW + 40;
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Arial, sans-serif" font-size="11">`,
  `<rect width="100%" height="100%" fill="#ffffff"/>`,
  `<text x="4" y="16" font-size="14">${escape(title)}: ${(root.value / 1000).toFixed(0)} ms busy (idle left out); width is share of busy time</text>`,
  ...boxes.map(({ level, x, w, frame }) => {
    const y = height - (level + 1) * ROW;
    const share = ((frame.value / root.value) * 100).toFixed(1);
    // About 6.5 px a character at 11 px: a label is cut to its box.
    const label = w > 40 ? `<text x="${(x + 3).toFixed(1)}" y="${y + 12}">${escape(frame.name.slice(0, Math.floor((w - 6) / 6.5)))}</text>` : '';
    return `<g><title>${escape(`${frame.name} ${frame.where} ${share}%`)}</title><rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${ROW - 1}" fill="${colour(frame)}" stroke="#fff" stroke-width="0.5"/>${label}</g>`;
  }),
  '</svg>',
].join('\n');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, svg);
console.log(`wrote ${out} (${boxes.length} boxes, ${depth + 1} levels, ${(root.value / 1000).toFixed(0)} ms busy)`);
