import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/config.js';
import type { GraphQLObjectType } from 'graphql';
import { directResolverFields, getSchema, printSdl } from '../src/graphql/schema.js';
import { AwardStatus, FrameworkAward } from '../src/modules/supplier/framework-award.entity.js';
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

describe('field resolvers called directly (src/graphql/direct-resolvers.ts)', () => {
  it('bypasses type-graphql only where its handler has nothing to do', async () => {
    await getSchema();
    const direct = directResolverFields();
    // Relations read on every catalogue page, with and without scalar arguments.
    for (const field of ['Supplier.certifications', 'Supplier.currentDspt', 'Supplier.solutions', 'FrameworkAward.lot', 'Solution.capabilities', 'FrameworkAward.status'])
      expect(direct).toContain(field);
    // Root queries with scalar arguments too.
    for (const field of ['Query.supplier', 'Query.solution', 'Query.frameworks']) expect(direct).toContain(field);
    // Role-guarded fields keep type-graphql's auth check; @Args() classes keep their validation.
    for (const field of ['Supplier.profileChanges', 'Supplier.pendingProfileChange', 'FrameworkAward.suspensionReason', 'Framework.suppliers', 'Competition.scores', 'Query.suppliers', 'Query.evidenceQueue'])
      expect(direct).not.toContain(field);
    // Nothing that changes anything.
    expect(direct.filter((f) => f.startsWith('Mutation.'))).toEqual([]);
  });

  it('answers a field with a scalar argument without a promise, as the method itself does', async () => {
    const schema = await getSchema();
    const status = (schema.getType('FrameworkAward') as GraphQLObjectType).getFields().status;
    const award = Object.assign(new FrameworkAward(), { recordedStatus: AwardStatus.ACTIVE, expiresOn: '2026-03-31' });
    expect(status.resolve!(award, { on: '2026-04-01' }, {}, {} as never)).toBe(AwardStatus.EXPIRED);
    expect(status.resolve!(award, { on: '2026-03-31' }, {}, {} as never)).toBe(AwardStatus.ACTIVE);
    // A root that is not the declared class goes through type-graphql, which converts it first.
    const plain = { recordedStatus: AwardStatus.ACTIVE, expiresOn: '2026-03-31' };
    expect(await status.resolve!(plain, { on: '2026-04-01' }, {}, {} as never)).toBe(AwardStatus.EXPIRED);
  });
});
