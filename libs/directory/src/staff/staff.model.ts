import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsoDateTime, LocalDate } from '@samservice/platform/http';
import { AgencyModel } from '../agencies/agency.model';
import { OfficeModel } from '../offices/office.model';
import { ServiceModel } from '../services/service.model';

@ObjectType('StaffOffice')
export class StaffOfficeModel {
  officeId: string;

  @Field(() => OfficeModel)
  office?: OfficeModel;

  @Field({ description: 'May change the set-up of this office.' })
  officeAdmin: boolean;
}

@ObjectType('Competence', {
  description: 'A whole agency (service null) or one service a person is trained for.',
})
export class CompetenceModel {
  agencyId: string;
  serviceId: string | null;

  @Field(() => AgencyModel)
  agency?: AgencyModel;

  @Field(() => ServiceModel, { nullable: true })
  service?: ServiceModel | null;
}

@ObjectType('Shift', { description: 'A weekly shift at one office, local time.' })
export class ShiftModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  staffId: string;

  @Field(() => ID)
  officeId: string;

  @Field(() => Int)
  weekday: number;

  @Field()
  start: string;

  @Field()
  end: string;

  @Field(() => LocalDate, { nullable: true })
  validFrom: string | null;

  @Field(() => LocalDate, { nullable: true })
  validTo: string | null;
}

@ObjectType('Absence')
export class AbsenceModel {
  @Field(() => ID)
  id: string;

  @Field(() => IsoDateTime)
  start: string;

  @Field(() => IsoDateTime)
  end: string;

  @Field()
  reason: string;
  @Field(() => Int, {
    nullable: true,
    description:
      'Set by the change that returned it: how many booked appointments it hits (scheduling reassigns them or flags them NEEDS_REBOOKING).',
  })
  affectedAppointments?: number | null;
}

@ObjectType('ShiftRemoval')
export class ShiftRemovalModel {
  @Field()
  removed: boolean;

  @Field(() => Int, {
    description: 'Booked appointments the removed shift leaves without this person.',
  })
  affectedAppointments: number;
}

@ObjectType('StaffMember', {
  description:
    'A staff member (servicehandläggare). Visible to staff of the same office and admins.',
})
export class StaffMemberModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => [String], { description: 'ISO 639-1 codes of the languages the person serves in.' })
  languages: string[];

  @Field()
  active: boolean;

  @Field(() => [StaffOfficeModel])
  offices: StaffOfficeModel[];

  @Field(() => [CompetenceModel])
  competences: CompetenceModel[];
}
