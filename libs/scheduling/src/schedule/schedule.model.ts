import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsoDateTime } from '@samservice/platform/http';
import { AppointmentStatus, BookingChannel } from '../appointments/appointment.model';
import { OfficeReference, ServiceReference } from '../common/references.model';

@ObjectType('ScheduleJointStep', {
  description:
    "Another part of the same joint visit: when, at which counter and with which agency. Its service (the citizen's matter with that agency) is not shown.",
})
export class ScheduleJointStepModel {
  @Field(() => IsoDateTime)
  start: string;

  @Field(() => IsoDateTime)
  end: string;

  @Field(() => ID)
  counterId: string;

  @Field({ description: "The agency's code." })
  agency: string;
}

@ObjectType('ScheduleJointLink', {
  description:
    'The appointment is one part of a joint visit: the citizen comes from the previous part and continues with the next.',
})
export class ScheduleJointLinkModel {
  @Field(() => Int, { description: '1 for the first part.' })
  part: number;

  @Field(() => Int, { description: 'Parts still booked in the visit.' })
  parts: number;

  @Field(() => ScheduleJointStepModel, { nullable: true })
  previous: ScheduleJointStepModel | null;

  @Field(() => ScheduleJointStepModel, { nullable: true })
  next: ScheduleJointStepModel | null;
}

@ObjectType('ScheduleEntry', {
  description:
    "One appointment in an office's day, for its staff. The citizen's name is shown only to staff trained for the appointment's agency (agency secrecy).",
})
export class ScheduleEntryModel {
  @Field(() => ID)
  id: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Null for a part of a joint visit when the viewer is not trained for its agency, like its service.',
  })
  reference: string | null;

  @Field(() => AppointmentStatus)
  status: AppointmentStatus;

  @Field(() => IsoDateTime)
  start: string;

  @Field(() => IsoDateTime)
  end: string;

  @Field(() => ServiceReference, {
    nullable: true,
    description:
      "Null for a part of a joint visit when the viewer is not trained for its agency: linked to the citizen's other parts, the service would tell another agency's matter.",
  })
  service: ServiceReference | null;

  @Field({ description: "The agency's code." })
  agency: string;

  @Field(() => ID)
  counterId: string;

  @Field(() => ID)
  staffId: string;

  @Field(() => BookingChannel)
  channel: BookingChannel;

  @Field(() => String, { nullable: true })
  citizenName: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The citizen's identity number, masked: birth date only, e.g. 19850709-**** (a samordningsnummer keeps its day + 60), to tell two people of the same name apart; null for a visitor without one. Shown when the name is: only to staff trained for the appointment's agency.",
  })
  identityNumber: string | null;

  @Field(() => ScheduleJointLinkModel, {
    nullable: true,
    description: 'Set when the appointment is a part of a joint visit.',
  })
  jointVisit: ScheduleJointLinkModel | null;
}

@ObjectType('AgencyAppointment', { description: "One of the agency's own appointments." })
export class AgencyAppointmentModel {
  @Field(() => ID)
  id: string;

  @Field()
  reference: string;

  @Field(() => AppointmentStatus)
  status: AppointmentStatus;

  @Field(() => IsoDateTime)
  start: string;

  @Field(() => IsoDateTime)
  end: string;

  @Field(() => OfficeReference)
  office: OfficeReference;

  @Field(() => ServiceReference)
  service: ServiceReference;

  @Field(() => BookingChannel)
  channel: BookingChannel;

  @Field()
  citizenName: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The citizen's identity number, masked: birth date only, e.g. 19850709-**** (a samordningsnummer keeps its day + 60), to tell two people of the same name apart; null for a visitor without one.",
  })
  identityNumber: string | null;
}

@ObjectType('AgencyAppointmentPage')
export class AgencyAppointmentPageModel {
  @Field(() => [AgencyAppointmentModel])
  items: AgencyAppointmentModel[];

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` for the next page; null on the last one.',
  })
  nextCursor: string | null;
}
