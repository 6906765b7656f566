import express from 'express';
import { CapabilityIndexDocument, CapabilityPageDocument, type AssessmentResult, type CapabilityPageQuery } from '../generated/graphql.js';
import { fromCursor, one, pagingLinks, SECTION_PAGE_SIZE } from '../public/paging.js';
import type { WebContext } from '../web.js';

/** The minimum-assessment choices the page offers (the API's own values; it judges them). */
const MINIMUM = ['PASSED_PARTIAL', 'PASSED_FULL'] as const;

export function capabilityRoutes(web: WebContext): express.Router {
  const router = express.Router();

  router.get('/capabilities', async (req, res) => {
    const { capabilities } = await web.operations.run(req.viewer, CapabilityIndexDocument, {});
    // Grouped by category for reading, in the API's reference order within each.
    const categories = new Map<string, typeof capabilities>();
    for (const c of capabilities) {
      if (!categories.has(c.category)) categories.set(c.category, []);
      categories.get(c.category)!.push(c);
    }
    res.render('capabilities/index.njk', { categories: [...categories].map(([name, items]) => ({ name, capabilities: items })) });
  });

  router.get('/capabilities/:reference', async (req, res) => {
    const reference = req.params.reference;
    const chosen = one(req.query.minimum);
    const minimumAssessment = MINIMUM.find((m) => m === chosen) as AssessmentResult | undefined;
    const page = await fromCursor(
      (after) => web.operations.run(req.viewer, CapabilityPageDocument, { reference, first: SECTION_PAGE_SIZE, after, minimumAssessment }),
      one(req.query.after),
    );
    const capability: CapabilityPageQuery['capability'] = page.data.capability;
    if (!capability) return web.notFound(req, res);
    const pathname = `/capabilities/${encodeURIComponent(capability.reference)}`;
    const solutions = capability.solutions.edges.map(({ node }) => ({
      ...node,
      // This capability's verified result, from the solution's own assessments.
      result: node.capabilities.find((a) => a.capability.reference === capability.reference)?.result,
    }));
    res.status(page.status).render('capabilities/capability.njk', {
      capability,
      solutions,
      totalCount: capability.solutions.totalCount,
      minimum: minimumAssessment ?? 'PASSED_PARTIAL',
      errorList: page.errorList,
      ...pagingLinks(pathname, { minimum: minimumAssessment }, page.after, capability.solutions.pageInfo),
    });
  });

  return router;
}
