import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

/**
 * What is happening in a citizen's life that brings them to the office: the booking offers
 * the matters of a situation together (GOV.UK's "life events").
 */
export enum LifeSituation {
  MOVING_TO_SWEDEN = 'MOVING_TO_SWEDEN',
  NEW_BABY = 'NEW_BABY',
  RETIRING = 'RETIRING',
  LOST_ID = 'LOST_ID',
  LOOKING_FOR_WORK = 'LOOKING_FOR_WORK',
}

registerEnumType(LifeSituation, {
  name: 'LifeSituation',
  description: "What is happening in a citizen's life that brings them to the service office.",
});

@ObjectType('DocumentsToBring')
export class DocumentsToBringModel {
  @Field()
  sv: string;

  @Field()
  en: string;
}

@ObjectType('Service', {
  description: 'A kind of matter an agency handles at the counter (ärendetyp).',
})
@Directive('@key(fields: "id")')
export class ServiceModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Unique within the agency, e.g. id-card.' })
  code: string;

  @Field({ description: 'The name in Swedish (see nameEn).' })
  name: string;

  @Field()
  nameSv: string;

  @Field()
  nameEn: string;

  agencyId: string;

  @Field(() => Int)
  durationMinutes: number;

  @Field(() => Int, { description: 'Time the counter and staff need after the visit.' })
  bufferAfterMinutes: number;

  @Field(() => Int, { description: 'Visits start on this grid, in minutes from the opening.' })
  slotGranularityMinutes: number;

  @Field(() => Int, { description: 'How long before its start a visit must be booked.' })
  minimumNoticeMinutes: number;

  @Field(() => Int, { description: 'How many days ahead a visit can be booked.' })
  bookingHorizonDays: number;

  @Field()
  needsPrivateRoom: boolean;

  @Field(() => [String], { description: 'ISO 639-1 codes of the languages it can be given in.' })
  languages: string[];

  @Field(() => DocumentsToBringModel)
  documentsToBring: DocumentsToBringModel;

  @Field(() => Int)
  maxActiveBookingsPerCitizen: number;

  @Field(() => Int, {
    description:
      'Minutes added to the visit for each person beyond the first when one booking covers a party; 0 when extra people take no extra time.',
  })
  perPersonMinutes: number;

  @Field(() => Int, {
    description:
      "The most people one booking may cover, the booker included (e.g. a family registering a move together); 1 for matters that are one person's own.",
  })
  maxPartySize: number;

  @Field(() => [LifeSituation], {
    description: 'The life situations the matter belongs to (none for a matter of its own).',
  })
  lifeSituations: LifeSituation[];

  @Field()
  active: boolean;
}
