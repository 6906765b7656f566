import express from 'express';
import { OrganisationPageDocument, OrganisationSearchDocument, type OrganisationPageQuery } from '../generated/graphql.js';
import { fromCursor, one, PAGE_SIZE, pagingLinks, refusedInput } from '../public/paging.js';
import type { WebContext } from '../web.js';

export function organisationRoutes(web: WebContext): express.Router {
  const router = express.Router();

  router.get('/organisations', async (req, res) => {
    const q = one(req.query.q);
    try {
      const page = await fromCursor((after) => web.operations.run(req.viewer, OrganisationSearchDocument, { search: q, first: PAGE_SIZE, after }), one(req.query.after));
      const connection = page.data.organisations;
      res.status(page.status).render('organisations/search.njk', {
        q,
        results: connection.edges.map((e) => e.node),
        totalCount: connection.totalCount,
        errorList: page.errorList,
        ...pagingLinks('/organisations', { q }, page.after, connection.pageInfo),
      });
    } catch (error) {
      // Words the API refuses (a NUL character, say) are shown on the form.
      const problems = web.formErrors(error, { search: 'q', after: 'q' });
      if (!problems) throw error;
      res.status(400).render('organisations/search.njk', { q, results: [], totalCount: 0, ...problems });
    }
  });

  router.get('/organisations/:odsCode', async (req, res) => {
    let data: OrganisationPageQuery;
    try {
      data = await web.operations.run(req.viewer, OrganisationPageDocument, { odsCode: req.params.odsCode });
    } catch (error) {
      if (refusedInput(error)) return web.notFound(req, res); // not an ODS code: no such page
      throw error;
    }
    if (!data.organisation) return web.notFound(req, res);
    res.render('organisations/organisation.njk', { organisation: data.organisation });
  });

  return router;
}
