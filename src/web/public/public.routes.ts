import express from 'express';
import { capabilityRoutes } from '../capabilities/capabilities.routes.js';
import { frameworkRoutes } from '../frameworks/frameworks.routes.js';
import { organisationRoutes } from '../organisations/organisations.routes.js';
import { solutionRoutes } from '../solutions/solutions.routes.js';
import type { WebContext } from '../web.js';

/** The public reference pages (issue 12): solutions, frameworks, capabilities and organisations. */
export function publicRoutes(web: WebContext): express.Router {
  const router = express.Router();
  router.use(solutionRoutes(web), frameworkRoutes(web), capabilityRoutes(web), organisationRoutes(web));
  return router;
}
