import express from 'express';
import { CatalogueFiltersDocument, CatalogueSearchDocument, SupplierPageDocument, type SupplierFilter } from '../generated/graphql.js';
import type { WebContext } from '../web.js';

const PAGE_SIZE = 20;

/** Query-string values as a list: `?capability=C5&capability=C14` or a single value. */
const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value]).map(String).filter(Boolean);
const one = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** The search form's fields, from the URL (so a search can be shared and bookmarked). */
function searchFrom(query: express.Request['query']) {
  return {
    q: one(query.q),
    capability: list(query.capability),
    framework: list(query.framework),
    certification: list(query.certification),
    dspt: one(query.dspt),
    integration: list(query.integration),
    hosting: list(query.hosting),
    validOn: one(query.validOn),
  };
}

function filterOf(search: ReturnType<typeof searchFrom>): SupplierFilter {
  return {
    search: search.q,
    capabilities: search.capability.length ? search.capability : undefined,
    frameworks: search.framework.length ? search.framework : undefined,
    certifications: search.certification.length ? (search.certification as SupplierFilter['certifications']) : undefined,
    minimumDsptStatus: search.dspt as SupplierFilter['minimumDsptStatus'],
    integrations: search.integration.length ? (search.integration as SupplierFilter['integrations']) : undefined,
    hostingTypes: search.hosting.length ? (search.hosting as SupplierFilter['hostingTypes']) : undefined,
    validOn: search.validOn,
  };
}

/** The URL of this search with other parameters (the next page's cursor, say). */
function urlOf(search: ReturnType<typeof searchFrom>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    for (const v of Array.isArray(value) ? value : value ? [value] : []) params.append(key, v);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return text ? `/suppliers?${text}` : '/suppliers';
}

export function catalogueRoutes(web: WebContext): express.Router {
  const router = express.Router();

  router.get('/suppliers', async (req, res) => {
    const search = searchFrom(req.query);
    const after = one(req.query.after);
    const reference = await web.operations.run(req.viewer, CatalogueFiltersDocument, {});
    const filters = {
      capabilityOptions: reference.capabilities.map((c) => ({ value: c.reference, text: `${c.reference} ${c.name}` })),
      frameworkOptions: reference.frameworks.map((f) => ({ value: f.code, text: f.name })),
    };
    try {
      const data = await web.operations.run(req.viewer, CatalogueSearchDocument, { filter: filterOf(search), first: PAGE_SIZE, after });
      const connection = data.suppliers;
      res.render('catalogue/search.njk', {
        search,
        ...filters,
        results: connection.edges.map((e) => e.node),
        totalCount: connection.totalCount,
        nextUrl: connection.pageInfo.hasNextPage && connection.pageInfo.endCursor ? urlOf(search, { after: connection.pageInfo.endCursor }) : undefined,
        firstUrl: after ? urlOf(search) : undefined,
      });
    } catch (error) {
      // Input the API refuses (a malformed date, a cursor it did not issue) is shown on the form.
      const problems = web.formErrors(error, { 'filter.validOn': 'validOn', after: 'q', 'filter.search': 'q' });
      if (!problems) throw error;
      res.status(400).render('catalogue/search.njk', { search, ...filters, results: [], totalCount: 0, ...problems });
    }
  });

  router.get('/suppliers/:id', async (req, res) => {
    if (!/^[0-9a-f-]{36}$/i.test(req.params.id)) return web.notFound(req, res);
    const data = await web.operations.run(req.viewer, SupplierPageDocument, { id: req.params.id });
    if (!data.supplier) return web.notFound(req, res);
    res.render('catalogue/supplier.njk', { supplier: data.supplier });
  });

  return router;
}
