import express from 'express';
import { SolutionPageDocument, type SolutionPageQuery } from '../generated/graphql.js';
import { refusedInput } from '../public/paging.js';
import type { WebContext } from '../web.js';

type Solution = NonNullable<SolutionPageQuery['solution']>;

/** The epic results under the capability each epic belongs to, in the order the API lists them. */
function epicsByCapability(solution: Solution) {
  const groups = new Map<string, { reference: string; name: string; epics: Solution['epics'] }>();
  for (const assessment of solution.epics) {
    const { reference, name } = assessment.epic.capability;
    if (!groups.has(reference)) groups.set(reference, { reference, name, epics: [] });
    groups.get(reference)!.epics.push(assessment);
  }
  return [...groups.values()];
}

export function solutionRoutes(web: WebContext): express.Router {
  const router = express.Router();

  router.get('/solutions/:id', async (req, res) => {
    let data: SolutionPageQuery;
    try {
      data = await web.operations.run(req.viewer, SolutionPageDocument, { id: req.params.id });
    } catch (error) {
      if (refusedInput(error)) return web.notFound(req, res); // not an id: no such page
      throw error;
    }
    // The API answers null for an unknown id and for a solution the viewer may not see (unpublished).
    if (!data.solution) return web.notFound(req, res);
    res.render('solutions/solution.njk', { solution: data.solution, epicGroups: epicsByCapability(data.solution) });
  });

  return router;
}
