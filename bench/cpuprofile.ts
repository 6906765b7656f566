import fs from 'node:fs';
import path from 'node:path';

/** A V8 CPU profile (node --cpu-prof), as profile-summary.ts and flamegraph.ts read it. */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A .cpuprofile file, or the newest one in a directory: its path and contents. */
export function readProfile(fileOrDirectory: string): { file: string; profile: Profile } {
  let file = fileOrDirectory;
  if (fs.statSync(file).isDirectory()) {
    file = fs
      .readdirSync(file)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(fileOrDirectory, f))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  }
  return { file, profile: JSON.parse(fs.readFileSync(file, 'utf8')) as Profile };
}

/** Each sampled node's self time, in µs. */
export function selfTimes(profile: Profile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0)));
  return self;
}
