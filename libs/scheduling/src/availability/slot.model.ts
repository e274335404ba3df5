import { Field, Int, ObjectType } from '@nestjs/graphql';
import { IsoDateTime } from '@samservice/platform/http';

@ObjectType('Slot', { description: 'A time at which a visit for the asked service can start.' })
export class SlotModel {
  @Field(() => IsoDateTime)
  start: string;

  @Field(() => IsoDateTime, {
    description:
      "start + the service's duration (+ its extra time when EXTRA_TIME is asked); the buffer after is not part of it",
  })
  end: string;

  @Field(() => Int, {
    description:
      'How many more appointments for this service can start at this time: the size of a maximum assignment of distinct free counters to distinct free, competent staff.',
  })
  capacity: number;
}
