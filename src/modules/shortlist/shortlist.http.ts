import { publicBaseUri } from '../../config.js';
import { buyerRecordRoute, type RouteOptions } from '../../graphql/rest-route.js';
import { ShortlistService } from './shortlist.service.js';

/** GET /ocds/shortlists/:id: the same package as the shortlistOcds query, for OCDS tools that fetch URLs. */
export const ocdsShortlistRoute = (opts: RouteOptions) =>
  buyerRecordRoute('/ocds/shortlists/:id', opts, async (ctx, id, res) => {
    res.type('application/json').json(await new ShortlistService(ctx).ocds(id, publicBaseUri()));
  });
