import type { EntityManager, EntityName } from '@mikro-orm/postgresql';

/**
 * A raw SQL fragment with its parameters, for the set-wise catalogue queries the ORM's query
 * language cannot express (correlated EXISTS, windowed pages, full-text). Parameters are always
 * bound through `?` placeholders, never spliced into the text.
 */
export class SqlFragment {
  constructor(
    readonly text: string,
    readonly params: unknown[] = [],
  ) {}
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  let text = strings[0];
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof SqlFragment) {
      text += value.text;
      params.push(...value.params);
    } else if (Array.isArray(value)) {
      // `IN (?)`-style lists: one placeholder per element (an empty list is the caller's bug).
      if (value.length === 0) throw new Error('empty list in SQL fragment');
      text += value.map(() => '?').join(', ');
      params.push(...value);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1];
  });
  return new SqlFragment(text, params);
}

export function joinSql(fragments: SqlFragment[], separator: string): SqlFragment {
  return new SqlFragment(fragments.map((f) => f.text).join(separator), fragments.flatMap((f) => f.params));
}

export const rawSql = (text: string) => new SqlFragment(text);

/** The entity's eagerly loaded columns, qualified by alias: what `em.map` needs, minus lazy ones (tsvectors). */
export function selectColumns<T extends object>(em: EntityManager, entity: EntityName<T>, alias: string): SqlFragment {
  const meta = em.getMetadata().get(entity);
  const columns = meta.props
    .filter((prop) => !prop.lazy && prop.fieldNames?.length && prop.persist !== false && prop.kind !== '1:m' && prop.kind !== 'm:n')
    .flatMap((prop) => prop.fieldNames.map((name) => `${alias}."${name}"`));
  return rawSql(columns.join(', '));
}

export async function queryRows<R = Record<string, unknown>>(em: EntityManager, fragment: SqlFragment): Promise<R[]> {
  return (await em.getConnection().execute(fragment.text, fragment.params as never[])) as R[];
}
