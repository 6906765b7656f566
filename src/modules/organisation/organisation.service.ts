import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { keysetPage, type Connection } from '../../graphql/connection.js';
import { Organisation } from './organisation.entity.js';
import { OrganisationErrors } from './organisation.errors.js';
import type { OrganisationsArgs } from './organisation.inputs.js';

const ODS_CODE = /^[A-Z0-9]{3,6}$/;

export function normaliseOdsCode(code: string, field = 'odsCode'): string {
  const normalised = code.trim().toUpperCase();
  if (!ODS_CODE.test(normalised)) throw OrganisationErrors.invalidOdsCode(field, code);
  return normalised;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => '\\' + c);

export class OrganisationService {
  constructor(private readonly em: EntityManager) {}

  findByOdsCode(odsCode: string): Promise<Organisation | null> {
    return this.em.findOne(Organisation, { odsCode: normaliseOdsCode(odsCode) });
  }

  async list(args: OrganisationsArgs): Promise<Connection<Organisation>> {
    const where: FilterQuery<Organisation> = {};
    if (args.role) where.role = args.role;
    if (args.parentOdsCode) where.parent = { odsCode: normaliseOdsCode(args.parentOdsCode, 'parentOdsCode') };
    if (args.search !== undefined && args.search !== null) {
      const search = args.search.trim();
      if (!search) throw OrganisationErrors.invalidSearch();
      const pattern = `%${escapeLike(search)}%`;
      where.$or = [{ name: { $ilike: pattern } }, { odsCode: { $ilike: pattern } }];
    }
    return keysetPage({ em: this.em, entity: Organisation, where, keys: ['name', 'odsCode'], kinds: ['string', 'string'], page: args });
  }
}
