import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122131120_initial } from './Migration20261122131120_initial.js';
import { Migration20261122131719_catalogue } from './Migration20261122131719_catalogue.js';
import { Migration20261122134724_evidence_workflow } from './Migration20261122134724_evidence_workflow.js';
import { Migration20261122135921_specifications } from './Migration20261122135921_specifications.js';
import { Migration20261122141437_shortlists } from './Migration20261122141437_shortlists.js';
import { Migration20261122150017_frozen_shortlists } from './Migration20261122150017_frozen_shortlists.js';
import { Migration20261122152913_match_projection } from './Migration20261122152913_match_projection.js';
import { Migration20261122154433_matching_indexes } from './Migration20261122154433_matching_indexes.js';
import { Migration20261122155404_foreign_key_indexes } from './Migration20261122155404_foreign_key_indexes.js';
import { Migration20261122162116_match_evidence } from './Migration20261122162116_match_evidence.js';
import { Migration20261127135718_profile_changes } from './Migration20261127135718_profile_changes.js';
import { Migration20261127140000_audit_refuses_truncate } from './Migration20261127140000_audit_refuses_truncate.js';
import { Migration20261127142816_identity_skeletons } from './Migration20261127142816_identity_skeletons.js';
import { Migration20261201090000_web_sessions } from './Migration20261201090000_web_sessions.js';
import { Migration20261205090000_notifications } from './Migration20261205090000_notifications.js';
import { Migration20261210090000_evidence_documents } from './Migration20261210090000_evidence_documents.js';
import { Migration20261210100000_commissioner_alerts } from './Migration20261210100000_commissioner_alerts.js';
import { Migration20261210110000_prices } from './Migration20261210110000_prices.js';
import { Migration20261210130000_competitions } from './Migration20261210130000_competitions.js';

/**
 * Every migration, in order. Listed explicitly (not discovered from the folder) so the same list runs
 * from compiled JavaScript, from TypeScript under the test runner, and from any working directory.
 * `npm run migration:create -- <name>` writes a new file; add it here.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122131120_initial', class: Migration20261122131120_initial },
  { name: 'Migration20261122131719_catalogue', class: Migration20261122131719_catalogue },
  { name: 'Migration20261122134724_evidence_workflow', class: Migration20261122134724_evidence_workflow },
  { name: 'Migration20261122135921_specifications', class: Migration20261122135921_specifications },
  { name: 'Migration20261122141437_shortlists', class: Migration20261122141437_shortlists },
  { name: 'Migration20261122150017_frozen_shortlists', class: Migration20261122150017_frozen_shortlists },
  { name: 'Migration20261122152913_match_projection', class: Migration20261122152913_match_projection },
  { name: 'Migration20261122154433_matching_indexes', class: Migration20261122154433_matching_indexes },
  { name: 'Migration20261122155404_foreign_key_indexes', class: Migration20261122155404_foreign_key_indexes },
  { name: 'Migration20261122162116_match_evidence', class: Migration20261122162116_match_evidence },
  { name: 'Migration20261127135718_profile_changes', class: Migration20261127135718_profile_changes },
  { name: 'Migration20261127140000_audit_refuses_truncate', class: Migration20261127140000_audit_refuses_truncate },
  { name: 'Migration20261127142816_identity_skeletons', class: Migration20261127142816_identity_skeletons },
  { name: 'Migration20261201090000_web_sessions', class: Migration20261201090000_web_sessions },
  { name: 'Migration20261205090000_notifications', class: Migration20261205090000_notifications },
  { name: 'Migration20261210090000_evidence_documents', class: Migration20261210090000_evidence_documents },
  { name: 'Migration20261210100000_commissioner_alerts', class: Migration20261210100000_commissioner_alerts },
  { name: 'Migration20261210110000_prices', class: Migration20261210110000_prices },
  { name: 'Migration20261210130000_competitions', class: Migration20261210130000_competitions },
];
