import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/config.js';
import { printSdl } from '../src/graphql/schema.js';

describe('schema/schema.graphql', () => {
  it('is exactly the SDL the server builds (run `npm run schema:emit` after changing the API)', async () => {
    const committed = fs.readFileSync(path.join(projectRoot, 'schema/schema.graphql'), 'utf8');
    expect(committed).toBe(await printSdl());
  });
});
