import { buildSchema } from 'type-graphql';
import { directFieldResolvers } from './direct-resolvers.js';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { CapabilityResolver, EpicResolver } from '../modules/capability/capability.resolver.js';
import { FrameworkResolver, LotResolver } from '../modules/framework/framework.resolver.js';
import { OrganisationResolver } from '../modules/organisation/organisation.resolver.js';
import { StandardResolver } from '../modules/standard/standard.resolver.js';
import { CertificationResolver } from '../modules/certification/certification.resolver.js';
import { DsptResolver } from '../modules/dspt/dspt.resolver.js';
import {
  CapabilityAssessmentResolver,
  CapabilitySolutionsResolver,
  EpicAssessmentResolver,
  SolutionResolver,
  StandardComplianceResolver,
} from '../modules/solution/solution.resolver.js';
import { FrameworkAwardResolver, FrameworkSuppliersResolver, SupplierResolver } from '../modules/supplier/supplier.resolver.js';
import { FrameworkAwardListResolver } from '../modules/supplier/framework-award-list.js';
import { authChecker } from '../modules/identity/identity.auth-checker.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import { EvidenceRefResolver, MatchingResolver } from '../modules/matching/matching.resolver.js';
import { PracticeResolver } from '../modules/practice/practice.resolver.js';
import { ShortlistEntryResolver, ShortlistResolver } from '../modules/shortlist/shortlist.resolver.js';
import { RequirementSetResolver, SpecificationResolver } from '../modules/specification/specification.resolver.js';
import { EvidenceReviewResolver, KpiReportResolver, SupplierEvidenceResolver } from '../modules/evidence/evidence.resolver.js';
import { NotificationResolver } from '../modules/notification/notification.resolver.js';
import { JobsResolver } from '../modules/jobs/jobs.resolver.js';
import { WebhookResolver } from '../modules/webhook/webhook.resolver.js';
import { PriceResolver, SolutionPricesResolver } from '../modules/price/price.resolver.js';
import {
  CapabilityAssessmentDocumentsResolver,
  CertificationDocumentsResolver,
  DsptDocumentsResolver,
  EpicAssessmentDocumentsResolver,
  EvidenceDocumentResolver,
  EvidenceItemDocumentsResolver,
  KpiReportDocumentsResolver,
  StandardComplianceDocumentsResolver,
} from '../modules/document/document.resolver.js';
import { CompetitionModerationResolver, CompetitionResolver, CompetitionScoreResolver, ShortlistCompetitionsResolver } from '../modules/competition/competition.resolver.js';
import { DateScalar } from './scalars.js';

export const resolvers = [
  FrameworkResolver,
  LotResolver,
  CapabilityResolver,
  EpicResolver,
  StandardResolver,
  OrganisationResolver,
  SupplierResolver,
  FrameworkAwardResolver,
  FrameworkAwardListResolver,
  FrameworkSuppliersResolver,
  SolutionResolver,
  CapabilityAssessmentResolver,
  EpicAssessmentResolver,
  StandardComplianceResolver,
  CapabilitySolutionsResolver,
  CertificationResolver,
  DsptResolver,
  SupplierEvidenceResolver,
  EvidenceReviewResolver,
  KpiReportResolver,
  AuditResolver,
  RequirementSetResolver,
  SpecificationResolver,
  MatchingResolver,
  EvidenceRefResolver,
  ShortlistResolver,
  ShortlistEntryResolver,
  PracticeResolver,
  NotificationResolver,
  JobsResolver,
  WebhookResolver,
  PriceResolver,
  SolutionPricesResolver,
  CertificationDocumentsResolver,
  DsptDocumentsResolver,
  CapabilityAssessmentDocumentsResolver,
  EpicAssessmentDocumentsResolver,
  StandardComplianceDocumentsResolver,
  KpiReportDocumentsResolver,
  EvidenceItemDocumentsResolver,
  EvidenceDocumentResolver,
  CompetitionResolver,
  CompetitionScoreResolver,
  ShortlistCompetitionsResolver,
  CompetitionModerationResolver,
] as const;

let cached: Promise<GraphQLSchema> | undefined;
let directFields: string[] = [];

/** The fields whose type-graphql handler is bypassed (see direct-resolvers.ts), once the schema is built. */
export function directResolverFields(): readonly string[] {
  return directFields;
}

/** The schema is built once per process: type-graphql's metadata is global anyway. */
export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers,
    scalarsMap: [],
    orphanedTypes: [],
    // Missing optional fields carry @IsOptional; a missing required-when field (e.g. a remediation date) must fail.
    validate: { forbidUnknownValues: false, skipMissingProperties: false },
    authChecker,
    emitSchemaFile: false,
  }).then((schema) => {
    directFields = directFieldResolvers(schema, resolvers);
    return schema;
  });
  return cached;
}

/** The SDL committed under schema/: sorted, so the file diffs cleanly when the API changes. */
export async function printSdl(): Promise<string> {
  return printSchema(lexicographicSortSchema(await getSchema())) + '\n';
}

export { DateScalar };
