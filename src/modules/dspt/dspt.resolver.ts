import { Arg, FieldResolver, Resolver, Root } from 'type-graphql';
import { Reads } from '../../graphql/reads.js';
import { DateScalar, today } from '../../graphql/scalars.js';
import { DsptAssessment, dsptCurrentOn } from './dspt.entity.js';

@Resolver(() => DsptAssessment)
export class DsptResolver {
  @FieldResolver(() => Boolean, { description: 'Current on the day (today when omitted): published by then and not past currentUntil.' })
  @Reads<DsptAssessment>('publishedOn', 'currentUntil', 'cycle')
  isCurrent(@Root() assessment: DsptAssessment, @Arg('on', () => DateScalar, { nullable: true }) on?: string | null): boolean {
    return dsptCurrentOn(assessment, on ?? today());
  }
}
