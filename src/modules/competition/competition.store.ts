import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, sql } from '../../common/sql.js';

/** The latest agreed score of each solution × criterion of a competition: one statement. */
export function currentModerations(em: EntityManager, competitionId: string): Promise<{ solution_id: string; criterion_code: string; score: number; justification: string; version: number }[]> {
  return queryRows(
    em,
    sql`SELECT DISTINCT ON (solution_id, criterion_code) solution_id, criterion_code, score, justification, version
        FROM competition_moderation WHERE competition_id = ${competitionId} ORDER BY solution_id, criterion_code, version DESC`,
  );
}

/**
 * The latest score of each solution × criterion × evaluator (of one evaluator when `evaluator` is
 * given), and the competition's last recorded score or moderation number: one statement.
 */
export function currentScores(
  em: EntityManager,
  competitionId: string,
  evaluator?: string,
): Promise<{ solution_id: string; criterion_code: string; evaluator: string; score: number; justification: string; version: number }[]> {
  const who = evaluator === undefined ? sql`` : sql`AND evaluator = ${evaluator}`;
  return queryRows(
    em,
    sql`SELECT DISTINCT ON (solution_id, criterion_code, evaluator) solution_id, criterion_code, evaluator, score, justification, version
        FROM competition_score WHERE competition_id = ${competitionId} ${who} ORDER BY solution_id, criterion_code, evaluator, version DESC`,
  );
}

/** The last `seq` of a competition's scores or moderations (0 when none). */
export async function lastSeq(em: EntityManager, table: 'competition_score' | 'competition_moderation', competitionId: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    em,
    table === 'competition_score'
      ? sql`SELECT coalesce(max(seq), 0)::int AS n FROM competition_score WHERE competition_id = ${competitionId}`
      : sql`SELECT coalesce(max(seq), 0)::int AS n FROM competition_moderation WHERE competition_id = ${competitionId}`,
  );
  return rows[0].n;
}

/** How many competitions a shortlist has: what pricing Shortlist.competitions next needs. */
export async function competitionCount(em: EntityManager, shortlistId: string): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(em, sql`SELECT count(*)::int AS n FROM competition WHERE shortlist_id = ${shortlistId}`);
  return n;
}
