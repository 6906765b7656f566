import fs from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../../src/common/csv.js';
import { projectRoot } from '../../src/config.js';

export { parseCsv };

export function readReferenceCsv(name: string): Record<string, string>[] {
  return parseCsv(fs.readFileSync(path.join(projectRoot, 'seeds/data', name), 'utf8'));
}
