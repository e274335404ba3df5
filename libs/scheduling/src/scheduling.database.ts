import type { ServiceDatabase } from '@samservice/platform/database';
import {
  AppointmentContactEntity,
  AppointmentEntity,
  AppointmentEventEntity,
  IdempotencyKeyEntity,
} from './appointments/appointment.entity';
import { JointVisitEntity } from './joint-visits/joint-visit.entity';
import { DirectoryChangeHandledEntity } from './revalidation/directory-change-handled.entity';
import { InitScheduling1764000000000 } from './migrations/1764000000000-InitScheduling';
import { Appointments1795507927146 } from './migrations/1795507927146-Appointments';
import { NeedsRebooking1795509076042 } from './migrations/1795509076042-NeedsRebooking';
import { PublishAppointmentView1795509100000 } from './migrations/1795509100000-PublishAppointmentView';
import { BookInOneStatement1795514409755 } from './migrations/1795514409755-BookInOneStatement';
import { DirectoryChangeHandled1795514412728 } from './migrations/1795514412728-DirectoryChangeHandled';
import { JointVisits1795522724497 } from './migrations/1795522724497-JointVisits';
import { BookJointVisit1795522800000 } from './migrations/1795522800000-BookJointVisit';
import { FrontDesk1795600000000 } from './migrations/1795600000000-FrontDesk';
import { Retention1795600100000 } from './migrations/1795600100000-Retention';
import { PersonalDataReads1795600200000 } from './migrations/1795600200000-PersonalDataReads';
import { AbuseFlags1795600300000 } from './migrations/1795600300000-AbuseFlags';
import { AgencyBookingLimit1795600500000 } from './migrations/1795600500000-AgencyBookingLimit';
import { JointHolds1795600600000 } from './migrations/1795600600000-JointHolds';

export const SCHEDULING_DATA_SOURCE = 'scheduling';

/** The scheduling service's part of the database: schema `scheduling`. */
export const schedulingDatabase: ServiceDatabase = {
  service: SCHEDULING_DATA_SOURCE,
  schema: 'scheduling',
  entities: [
    AppointmentEntity,
    AppointmentContactEntity,
    AppointmentEventEntity,
    IdempotencyKeyEntity,
    DirectoryChangeHandledEntity,
    JointVisitEntity,
  ],
  migrations: [
    InitScheduling1764000000000,
    Appointments1795507927146,
    NeedsRebooking1795509076042,
    PublishAppointmentView1795509100000,
    BookInOneStatement1795514409755,
    DirectoryChangeHandled1795514412728,
    JointVisits1795522724497,
    BookJointVisit1795522800000,
    FrontDesk1795600000000,
    Retention1795600100000,
    PersonalDataReads1795600200000,
    AbuseFlags1795600300000,
    AgencyBookingLimit1795600500000,
    JointHolds1795600600000,
  ],
};
