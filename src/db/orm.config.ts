import { DefaultLogger, defineConfig, type LogContext, type Options } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { SeedManager } from '@mikro-orm/seeder';
import path from 'node:path';
import { projectRoot } from '../config.js';
import { countStatement } from '../common/request-scope.js';
import { shareFairly } from './fair-pool.js';
import { migrationsList } from '../migrations/index.js';
import { Capability, Epic } from '../modules/capability/capability.entity.js';
import { Framework, Lot } from '../modules/framework/framework.entity.js';
import { Organisation } from '../modules/organisation/organisation.entity.js';
import { Standard } from '../modules/standard/standard.entity.js';
import { Certification } from '../modules/certification/certification.entity.js';
import { DsptAssessment } from '../modules/dspt/dspt.entity.js';
import {
  CapabilityAssessment,
  EpicAssessment,
  Solution,
  SolutionLot,
  StandardCompliance,
} from '../modules/solution/solution.entity.js';
import { FrameworkAward } from '../modules/supplier/framework-award.entity.js';
import { Supplier } from '../modules/supplier/supplier.entity.js';
import { SupplierProfileChange } from '../modules/supplier/supplier-profile-change.entity.js';
import { KpiReport } from '../modules/evidence/kpi-report.entity.js';
import { SolutionPrice } from '../modules/price/price.entity.js';
import { AuditEvent } from '../modules/audit/audit.entity.js';
import { Shortlist, ShortlistEntry } from '../modules/shortlist/shortlist.entity.js';
import { Competition, CompetitionCriterion, CompetitionModeration, CompetitionScore } from '../modules/competition/competition.entity.js';
import { Requirement, RequirementSet, ServiceSpecification } from '../modules/specification/specification.entity.js';
import { MatchKpi, MatchOffer, MatchSolution } from '../modules/matching/matching.entity.js';

/** Counts every statement for the request in progress (the ORM calls logQuery whether or not it prints). */
class CountingLogger extends DefaultLogger {
  override logQuery(context: { query: string } & LogContext): void {
    countStatement();
    super.logQuery(context);
  }
}

export const entities = [
  Framework,
  Lot,
  Capability,
  Epic,
  Standard,
  Organisation,
  Supplier,
  SupplierProfileChange,
  FrameworkAward,
  Solution,
  SolutionLot,
  CapabilityAssessment,
  EpicAssessment,
  StandardCompliance,
  Certification,
  DsptAssessment,
  KpiReport,
  SolutionPrice,
  AuditEvent,
  RequirementSet,
  Requirement,
  ServiceSpecification,
  Shortlist,
  ShortlistEntry,
  Competition,
  CompetitionCriterion,
  CompetitionScore,
  CompetitionModeration,
  MatchSolution,
  MatchOffer,
  MatchKpi,
];

export interface OrmOptions {
  url: string;
  poolMax?: number;
  logSql?: boolean;
}

export function ormConfig({ url, poolMax = 10, logSql = false }: OrmOptions): Options {
  return defineConfig({
    clientUrl: url,
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator, SeedManager],
    debug: logSql ? ['query'] : false,
    loggerFactory: (options) => new CountingLogger(options),
    pool: { min: 0, max: poolMax, idleTimeoutMillis: 30_000 },
    // Requests share the pool fairly, under statement timeouts (fair-pool.ts). JIT off: PostgreSQL
    // compiles any statement estimated over 100,000, as the ranking statements are, and compiling the
    // cost-ordered ranking at 10,000 suppliers took 6.2 s against 0.5 s to run it (bench:matching).
    driverOptions: { connectionTimeoutMillis: 5_000, onPoolCreated: shareFairly, options: '-c jit=off' },
    migrations: {
      migrationsList,
      // Only `migration:create` writes here; running migrations uses the list above.
      path: path.join(projectRoot, 'src/migrations'),
      pathTs: path.join(projectRoot, 'src/migrations'),
      emit: 'ts',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
    // The web sessions' table (connect-pg-simple's shape, created by its migration) has no entity, nor
    // do the notification, job and alert tables (raw SQL stores); pg-boss owns its own schema.
    schemaGenerator: {
      skipTables: ['web_session', 'app_user', 'notification_event', 'notification', 'webhook', 'webhook_delivery', 'job_run', 'rejudge_request', 'shortlist_watch', 'document_blob', 'evidence_document'],
    },
    seeder: { path: path.join(projectRoot, 'seeds'), emit: 'ts' },
    allowGlobalContext: false,
  });
}
