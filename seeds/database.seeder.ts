import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { ReferenceSeeder } from './reference.seeder.js';

/** What `npm start` and `npm run seed` load: the reference catalogue (and, later, the sample suppliers). */
export class DatabaseSeeder extends Seeder {
  run(em: EntityManager): Promise<void> {
    return this.call(em, [ReferenceSeeder]);
  }
}
