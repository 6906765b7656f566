import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Framework } from '../framework/framework.entity.js';

export enum ChecklistItem {
  SUPPORTED_AND_PUBLISHED = 'SUPPORTED_AND_PUBLISHED',
  DSPT_STANDARDS_MET = 'DSPT_STANDARDS_MET',
  DATA_PROCESSING_AGREEMENT = 'DATA_PROCESSING_AGREEMENT',
  ISO_27001_CURRENT = 'ISO_27001_CURRENT',
  CYBER_ESSENTIALS_PLUS_CURRENT = 'CYBER_ESSENTIALS_PLUS_CURRENT',
}
registerEnumType(ChecklistItem, { name: 'ChecklistItem', description: 'The local procurement checklist a practice applies before buying directly.' });

@ObjectType()
export class ChecklistLine {
  @Field(() => ChecklistItem) check!: ChecklistItem;
  @Field() passed!: boolean;
  @Field({ description: 'Why, with the record and dates it rests on.' }) reason!: string;
}

@ObjectType({ description: 'A solution a practice may buy directly, on a framework open to practices, checked against the local checklist.' })
export class DirectProcurementOption {
  @Field(() => Framework) framework!: Framework;
  supplierId!: string;
  solutionId!: string;
  @Field({ description: 'Every checklist line passed.' }) passesChecklist!: boolean;
  @Field(() => [ChecklistLine]) checks!: ChecklistLine[];
}
