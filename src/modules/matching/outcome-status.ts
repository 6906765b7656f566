import { registerEnumType } from 'type-graphql';

// Its own file: the criterion rules use it, and the specification's input is built from them.
export enum OutcomeStatus {
  MET = 'MET',
  NOT_MET = 'NOT_MET',
  PARTIAL = 'PARTIAL',
  LAPSES_DURING_TERM = 'LAPSES_DURING_TERM',
  NO_EVIDENCE = 'NO_EVIDENCE',
}
registerEnumType(OutcomeStatus, {
  name: 'OutcomeStatus',
  description: 'How a supplier stands against one requirement for the whole contract term. Only MET satisfies it.',
});
