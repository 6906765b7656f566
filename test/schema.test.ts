import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/config.js';
import { printSdl } from '../src/graphql/schema.js';
import { generate } from '@graphql-codegen/cli';
import codegenConfig from '../codegen.js';

describe('schema/schema.graphql', () => {
  it('is exactly the SDL the server builds (run `npm run schema:emit` after changing the API)', async () => {
    const committed = fs.readFileSync(path.join(projectRoot, 'schema/schema.graphql'), 'utf8');
    expect(committed).toBe(await printSdl());
  });
});

describe('src/web/generated', () => {
  it('holds exactly the typed documents the pages\' .graphql operations generate (run `npm run codegen` after changing them)', async () => {
    const outputs = (await generate({ ...codegenConfig, cwd: projectRoot, silent: true }, false)) as { filename: string; content: string }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const file = path.isAbsolute(output.filename) ? output.filename : path.join(projectRoot, output.filename);
      expect(fs.readFileSync(file, 'utf8'), output.filename).toBe(output.content);
    }
  }, 60_000);
});
