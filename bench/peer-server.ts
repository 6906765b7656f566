import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { addPgTableCondition, jsonPgSmartTags } from 'postgraphile/utils';

/** PostGraphile's configuration: amber, the public schema, a virtual foreign key and one extra condition. */
export function peerPreset(connectionString: string, pool: pg.Pool): GraphileConfig.Preset {
  return {
    extends: [PostGraphileAmberPreset],
    plugins: [
      // supplier.ods_code is unique; dspt_assessment.ods_code names it without a declared foreign key.
      jsonPgSmartTags({
        version: 1,
        config: {
          class: { dspt_assessment: { tags: { foreignKey: '(ods_code) references supplier (ods_code)' } } },
          // Amber filters and orders by indexed columns only; these two are read in whole-table order.
          attribute: {
            'supplier.active': { tags: { behavior: ['+attribute:filterBy'] } },
            'framework_award.awarded_on': { tags: { behavior: ['+attribute:orderBy'] } },
          },
        },
      }),
      // "Current on a day": published by it, and its currency window not yet over.
      addPgTableCondition(
        { schemaName: 'public', tableName: 'dspt_assessment' },
        'currentOn',
        (build) => ({ type: build.graphql.GraphQLString }),
        (value, { sql, sqlTableAlias }) =>
          value == null
            ? null
            : sql`${sqlTableAlias}.published_on <= ${sql.value(String(value))}::date AND ${sqlTableAlias}.current_until >= ${sql.value(String(value))}::date`,
      ),
    ],
    pgServices: [makePgService({ connectionString, pool, schemas: ['public'] })],
    grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
    grafast: { explain: false },
    schema: { exportSchemaSDLPath: undefined },
  };
}

export interface PeerServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the peer on a free port (in this process). */
export async function startPeer(connectionString: string, poolMax = 10): Promise<PeerServer> {
  const pool = new pg.Pool({ connectionString, max: poolMax });
  const pgl = postgraphile(peerPreset(connectionString, pool));
  const serv = pgl.createServ(grafserv);
  const server = http.createServer();
  await serv.addTo(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pgl.release();
      await pool.end();
    },
  };
}
