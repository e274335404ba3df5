import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { IsoDateTime } from '@samservice/platform/http';
import { MAX_NEEDS, NEEDS_MESSAGE, VisitNeed } from '../availability/needs';
import { ServiceReference } from '../common/references.model';

export enum TicketStatus {
  /** in the office's queue */
  WAITING = 'WAITING',
  /** called to a counter, on the way there */
  CALLED = 'CALLED',
  IN_SERVICE = 'IN_SERVICE',
  /** set aside by staff (e.g. the citizen fetches a document); keeps its place */
  PARKED = 'PARKED',
  COMPLETED = 'COMPLETED',
  NO_SHOW = 'NO_SHOW',
  CANCELLED = 'CANCELLED',
}
registerEnumType(TicketStatus, {
  name: 'TicketStatus',
  valuesMap: {
    WAITING: { description: "in the office's queue" },
    CALLED: { description: 'called to a counter, on the way there' },
    PARKED: {
      description: 'set aside by staff (e.g. the citizen fetches a document); keeps its place',
    },
  },
});

export enum TicketChannel {
  KIOSK = 'KIOSK',
  STAFF = 'STAFF',
  REMOTE = 'REMOTE',
  CHECK_IN = 'CHECK_IN',
}
registerEnumType(TicketChannel, {
  name: 'TicketChannel',
  description:
    'Where a ticket was taken: at the kiosk, by staff for the citizen, remotely (a virtual ticket), or by checking in an appointment.',
});

export enum TransferPlacement {
  ARRIVAL = 'ARRIVAL',
  FIRST_IN_LINE = 'FIRST_IN_LINE',
}
registerEnumType(TransferPlacement, {
  name: 'TransferPlacement',
  description:
    'Where a transferred citizen goes in the new queue: by their original arrival (the default), or first in line. Only the first transfers keep the place (FRONTDESK_TRANSFER_CAP); later ones queue from the transfer.',
});

export enum ParkReason {
  BACK_LATER = 'BACK_LATER',
  SET_ASIDE = 'SET_ASIDE',
}
registerEnumType(ParkReason, {
  name: 'ParkReason',
  description:
    'Why a ticket is parked: the citizen fetches something and comes back (BACK_LATER), or staff set it aside (SET_ASIDE). Either way it keeps its place.',
});

export enum ServiceOutcome {
  RESOLVED = 'RESOLVED',
  REFERRED = 'REFERRED',
  FOLLOW_UP_BOOKED = 'FOLLOW_UP_BOOKED',
  NOT_RESOLVED = 'NOT_RESOLVED',
}
registerEnumType(ServiceOutcome, { name: 'ServiceOutcome' });

@ObjectType('WaitBand', {
  description: 'The expected wait as shown to the citizen, e.g. 10–20 min.',
})
export class WaitBandModel {
  @Field(() => Int)
  lowMinutes: number;

  @Field(() => Int)
  highMinutes: number;
}

@ObjectType('Ticket', {
  description:
    "A citizen's place in an office's queue: a walk-in, or an appointment that checked in.",
})
export class TicketModel {
  @Field(() => ID)
  id: string;

  @Field({
    description:
      "What the lobby display shows: the agency's letter and the number of the day, e.g. F012",
  })
  number: string;

  @Field(() => TicketStatus)
  status: TicketStatus;

  @Field(() => ServiceReference)
  service: ServiceReference;

  @Field(() => IsoDateTime, {
    description: 'When the citizen arrived at the office; a transfer to another service keeps it',
  })
  arrivedAt: string;

  @Field(() => String, {
    nullable: true,
    description: 'The appointment this ticket checked in for, if any',
  })
  appointmentReference: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The counter it was called to, while CALLED or IN_SERVICE',
  })
  counterName: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Expected minutes until called, while WAITING (the lower end of the band shown)',
  })
  estimatedWaitMinutes: number | null;

  @Field(() => WaitBandModel, {
    nullable: true,
    description: 'The expected wait as a band, while WAITING; null when nobody on duty serves it',
  })
  estimatedWait: WaitBandModel | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Place among the waiting tickets of the same service (1 = next), while WAITING',
  })
  position: number | null;

  @Field(() => TicketChannel)
  channel: TicketChannel;

  @Field(() => String, { nullable: true, description: 'ISO 639-1 language to be served in' })
  language: string | null;

  @Field(() => [VisitNeed])
  needs: VisitNeed[];

  @Field(() => IsoDateTime, { nullable: true, description: 'The latest call, if called' })
  calledAt: string | null;

  @Field(() => Int)
  callCount: number;

  @Field(() => Int)
  transferCount: number;

  @Field(() => String, {
    nullable: true,
    description: 'The note of the last transfer, for the next officer (staff only)',
  })
  note: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Parts of a joint visit still to come after the current one; null for an agency's client (the citizen's other matters, perhaps another agency's)",
  })
  remainingParts: number | null;
}

@ObjectType('TicketReceipt', {
  description: 'Given once, to whoever took the ticket: the token follows it with ticket(token).',
})
export class TicketReceiptModel {
  @Field(() => TicketModel)
  ticket: TicketModel;

  @Field()
  token: string;

  @Field({
    description:
      'The queue will probably not reach this ticket before closing time (the kiosk says so)',
  })
  passesClosingTime: boolean;
}

@ObjectType('LobbyCall', {
  description: 'A call as the lobby display shows it: never a name or anything else personal.',
})
export class LobbyCallModel {
  @Field()
  ticketNumber: string;

  @Field()
  counterName: string;

  @Field(() => IsoDateTime)
  calledAt: string;

  @Field({ description: 'A repeated call of the same ticket' })
  recall: boolean;
}

@ObjectType('ServiceQueueLength')
export class ServiceQueueLengthModel {
  @Field(() => ServiceReference)
  service: ServiceReference;

  @Field(() => Int)
  waiting: number;

  @Field(() => Int, { description: 'Minutes the longest-waiting ticket has waited' })
  longestWaitMinutes: number;
}

@ObjectType('OfficeQueueLength', {
  description: "An office's queue as its staff see it: only the services they serve.",
})
export class OfficeQueueLengthModel {
  @Field(() => ID)
  officeId: string;

  @Field(() => Int)
  waiting: number;

  @Field(() => [ServiceQueueLengthModel])
  services: ServiceQueueLengthModel[];
}

@ObjectType('QueueRule')
export class QueueRuleModel {
  @Field(() => ID)
  officeId: string;

  @Field(() => ServiceReference)
  service: ServiceReference;

  @Field(() => Int, {
    description: 'The wait the queue aims at: nobody waits longer while others are called',
  })
  targetWaitMinutes: number;

  @Field(() => Int, { nullable: true, description: 'Walk-in tickets per day; null: no contingent' })
  dailyTicketLimit: number | null;
}

@InputType()
export class TakeTicketInput {
  @Field(() => ID)
  @IsString()
  @MaxLength(64)
  officeId: string;

  @Field(() => ID)
  @IsString()
  @MaxLength(64)
  serviceId: string;

  @Field(() => String, {
    nullable: true,
    description: 'ISO 639-1 code of the language the citizen wants to be served in',
  })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  language?: string;

  @Field(() => [VisitNeed], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_NEEDS, { message: NEEDS_MESSAGE })
  @IsEnum(VisitNeed, { each: true, message: 'needs: unknown need.' })
  needs?: VisitNeed[];

  @Field(() => TicketChannel, {
    nullable: true,
    description:
      'KIOSK (the default without staff sign-in), STAFF (the default for staff), REMOTE (a virtual ticket taken before arriving)',
  })
  @IsOptional()
  @IsEnum(TicketChannel, { message: 'channel: KIOSK, STAFF or REMOTE.' })
  channel?: TicketChannel;

  @Field(() => String, {
    nullable: true,
    description: 'Only if the citizen wants it recorded (staff at the desk); never shown again',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  personnummer?: string;
}

@InputType()
export class SetQueueRuleInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'officeId: not a known id.' })
  officeId: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'serviceId: not a known id.' })
  serviceId: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  targetWaitMinutes?: number;

  @Field(() => Int, { nullable: true, description: 'null: no contingent' })
  @IsOptional()
  dailyTicketLimit?: number | null;
}
