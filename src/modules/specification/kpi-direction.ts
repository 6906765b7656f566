import { registerEnumType } from 'type-graphql';

// Its own file: the KPI criterion rule reads it, and the specification's input is built from the rules.
export enum KpiDirection {
  AT_LEAST = 'AT_LEAST',
  AT_MOST = 'AT_MOST',
}
registerEnumType(KpiDirection, { name: 'KpiDirection' });
