import express from 'express';
import { FrameworkIndexDocument, FrameworkPageDocument } from '../generated/graphql.js';
import { fromCursor, one, pagingLinks, SECTION_PAGE_SIZE } from '../public/paging.js';
import type { WebContext } from '../web.js';

export function frameworkRoutes(web: WebContext): express.Router {
  const router = express.Router();

  router.get('/frameworks', async (req, res) => {
    const data = await web.operations.run(req.viewer, FrameworkIndexDocument, {});
    res.render('frameworks/index.njk', { frameworks: data.frameworks });
  });

  router.get('/frameworks/:code', async (req, res) => {
    const code = req.params.code;
    const page = await fromCursor((after) => web.operations.run(req.viewer, FrameworkPageDocument, { code, first: SECTION_PAGE_SIZE, after }), one(req.query.after));
    const framework = page.data.framework;
    if (!framework) return web.notFound(req, res);
    const pathname = `/frameworks/${encodeURIComponent(framework.code)}`;
    res.status(page.status).render('frameworks/framework.njk', {
      framework,
      suppliers: framework.suppliers.edges.map((e) => e.node),
      totalCount: framework.suppliers.totalCount,
      errorList: page.errorList,
      ...pagingLinks(pathname, {}, page.after, framework.suppliers.pageInfo),
    });
  });

  return router;
}
