import { Field, ID, ObjectType } from '@nestjs/graphql';
import { IsoDateTime } from '@samservice/platform/http';
import { AppointmentStatus, BookingChannel } from '../appointments/appointment.model';
import { OfficeReference, ServiceReference } from '../common/references.model';

@ObjectType('ScheduleEntry', {
  description:
    "One appointment in an office's day, for its staff. The citizen's name is shown only to staff trained for the appointment's agency (agency secrecy).",
})
export class ScheduleEntryModel {
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

  @Field(() => ServiceReference)
  service: ServiceReference;

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
