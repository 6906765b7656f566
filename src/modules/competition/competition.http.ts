import { publicBaseUri } from '../../config.js';
import { buyerRecordRoute, type RouteOptions } from '../../graphql/rest-route.js';
import { competitionCsv, competitionOcds } from './competition.ocds.js';
import { CompetitionService } from './competition.service.js';

/** GET /ocds/competitions/:id: the same package as the competitionOcds query. */
export const ocdsCompetitionRoute = (opts: RouteOptions) =>
  buyerRecordRoute('/ocds/competitions/:id', opts, async (ctx, id, res) => {
    const { competition } = await new CompetitionService(ctx).frozen(id);
    res.type('application/json').json(competitionOcds(competition, publicBaseUri()));
  });

/** GET /competitions/:id/results.csv: the finalised results, one line per solution. */
export const csvCompetitionRoute = (opts: RouteOptions) =>
  buyerRecordRoute('/competitions/:id/results.csv', opts, async (ctx, id, res) => {
    const { snapshot } = await new CompetitionService(ctx).frozen(id);
    res.type('text/csv; charset=utf-8').attachment('competition results.csv').send(competitionCsv(snapshot));
  });
