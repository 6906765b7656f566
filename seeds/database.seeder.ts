import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { CatalogueSeeder, type CatalogueSeederContext } from './catalogue.seeder.js';
import { ReferenceSeeder } from './reference.seeder.js';
import { RequirementsSeeder } from './requirements.seeder.js';

/** What `npm start` and `npm run seed` load: the reference catalogue, the national requirement sets, then the sample suppliers. */
export class DatabaseSeeder extends Seeder<CatalogueSeederContext> {
  run(em: EntityManager, context?: CatalogueSeederContext): Promise<void> {
    return this.call(em, [ReferenceSeeder, RequirementsSeeder, CatalogueSeeder], context);
  }
}
