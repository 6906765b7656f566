import assert from 'node:assert';
import { silentLogger } from '../src/common/logger.js';
import { countStatements } from '../src/common/request-scope.js';
import { createContext } from '../src/graphql/context.js';
import { createApolloServer } from '../src/http/app.js';
import { arg, fmt, measure, openBenchDatabase } from './lib.js';

/**
 * The nested catalogue query through the whole GraphQL stack, against one hand-written SQL statement
 * that reads the same rows (json-aggregated), on the synthetic catalogue.
 */
const NESTED = `query($first: Int) { suppliers(first: $first) { edges { node {
  name
  certifications { type validUntil isValid daysUntilExpiry }
  currentDspt { cycle status }
  frameworkAwards { status lot { number name framework { code name } } }
  solutions { name capabilities { result capability { reference name } } }
} } } }`;

const FILTERED = `{ suppliers(first: 20, filter: { capabilities: ["C5", "C14"], certifications: [ISO_27001], minimumDsptStatus: STANDARDS_MET }) {
  totalCount edges { node { name } } } }`;

const HAND_WRITTEN = `
SELECT s.id, s.name,
  (SELECT coalesce(json_agg(json_build_object('type', c.type, 'validUntil', c.valid_until) ORDER BY c.type, c.valid_until DESC), '[]')
     FROM certification c WHERE c.supplier_id = s.id AND c.verification_status = 'VERIFIED') AS certifications,
  (SELECT json_build_object('cycle', d.cycle, 'status', d.status) FROM dspt_assessment d
     WHERE d.ods_code = s.ods_code AND d.verification_status = 'VERIFIED' AND d.published_on <= current_date AND d.current_until >= current_date
     ORDER BY d.published_on DESC LIMIT 1) AS dspt,
  (SELECT coalesce(json_agg(json_build_object('status', fa.recorded_status, 'expiresOn', fa.expires_on, 'number', l.number, 'lot', l.name,
            'code', f.code, 'framework', f.name) ORDER BY fa.awarded_on, fa.id), '[]')
     FROM framework_award fa JOIN lot l ON l.id = fa.lot_id JOIN framework f ON f.id = l.framework_id WHERE fa.supplier_id = s.id) AS awards,
  (SELECT coalesce(json_agg(json_build_object('name', so.name, 'capabilities',
            (SELECT coalesce(json_agg(json_build_object('result', ca.result, 'reference', c.reference, 'name', c.name) ORDER BY c.number), '[]')
               FROM capability_assessment ca JOIN capability c ON c.id = ca.capability_id
              WHERE ca.solution_id = so.id AND ca.verification_status = 'VERIFIED')) ORDER BY so.name, so.id), '[]')
     FROM solution so WHERE so.supplier_id = s.id AND so.publication_status = 'PUBLISHED') AS solutions
FROM supplier s WHERE s.active ORDER BY s.name, s.id LIMIT ?`;

async function main(): Promise<void> {
  const suppliers = arg('suppliers', 10_000);
  const iterations = arg('iterations', 200);
  const { orm, database } = await openBenchDatabase(suppliers);
  const apollo = await createApolloServer({ orm, logger: silentLogger });
  try {
    console.log(`\nnested catalogue query, ${suppliers} suppliers, ${iterations} iterations after warm-up`);
    console.log('per page | statements | GraphQL median | GraphQL p95 | SQL median | SQL p95 | ratio (median) | ratio (p95)');
    for (const first of [10, 100]) {
      const graphql = await measure(iterations, 20, async () => {
        const { result, statements } = await countStatements(() =>
          apollo.executeOperation({ query: NESTED, variables: { first } }, { contextValue: createContext(orm) }),
        );
        assert(result.body.kind === 'single' && !result.body.singleResult.errors, JSON.stringify(result.body));
        return statements;
      });
      const handWritten = await measure(iterations, 20, async () => {
        const rows = await orm.em.fork().getConnection().execute(HAND_WRITTEN, [first]);
        assert(rows.length === first);
        return 1;
      });
      console.log(
        `${String(first).padStart(8)} | ${String(graphql.statements).padStart(10)} | ${fmt(graphql.median)} ms     | ${fmt(graphql.p95)} ms  | ` +
          `${fmt(handWritten.median)} ms | ${fmt(handWritten.p95)} ms | ${(graphql.median / handWritten.median).toFixed(2).padStart(14)} | ${(graphql.p95 / handWritten.p95).toFixed(2).padStart(11)}`,
      );
    }
    const filtered = await measure(Math.min(iterations, 100), 10, async () => {
      const { result, statements } = await countStatements(() => apollo.executeOperation({ query: FILTERED }, { contextValue: createContext(orm) }));
      assert(result.body.kind === 'single' && !result.body.singleResult.errors);
      return statements;
    });
    console.log(
      `\nfiltered search (C5+C14, ISO 27001, DSPT >= Met; totalCount + first 20): ${filtered.statements} statements, ` +
        `median ${filtered.median.toFixed(1)} ms, p95 ${filtered.p95.toFixed(1)} ms`,
    );
  } finally {
    await apollo.stop();
    await orm.close();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
