import type { EntityManager } from '@mikro-orm/postgresql';
import { decodeTypedCursor, toConnection, type Connection, type PageArgs } from '../../graphql/connection.js';
import type { Viewer } from '../../graphql/context.js';
import { UUID } from '../../common/ids.js';
import { Solution } from './solution.entity.js';
import type { SolutionFilter } from './solution.inputs.js';
import { solutionConditions, solutionCount, solutionPage, type SolutionVisibility } from './solution.store.js';
import { solutionVisibleTo } from './solution.visibility.js';

export class SolutionService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
  ) {}

  /** Unknown ids and solutions the viewer may not see are both null: their existence is not public. */
  async findById(id: string): Promise<Solution | null> {
    if (!UUID.test(id)) return null;
    const solution = await this.em.findOne(Solution, { id });
    if (!solution) return null;
    return solutionVisibleTo(this.viewer, solution) ? solution : null;
  }

  /** The public and buyers see published solutions; a supplier also its own; the assurance team all. */
  private visibility(): SolutionVisibility {
    if (this.viewer.kind === 'supplier') return { kind: 'publishedOrOwn', supplierId: this.viewer.supplierId };
    return this.viewer.kind === 'assurance' ? { kind: 'all' } : { kind: 'published' };
  }

  async search(filter: SolutionFilter | null | undefined, page: PageArgs): Promise<Connection<Solution>> {
    const conditions = solutionConditions(filter ?? {}, this.visibility());
    const after = page.after ? decodeTypedCursor<[string, string]>(page.after, ['string', 'uuid']) : undefined;
    const solutions = await solutionPage(this.em, conditions, page.first, after);
    return toConnection(solutions, page, (s) => [s.name, s.id], () => solutionCount(this.em, conditions));
  }
}
