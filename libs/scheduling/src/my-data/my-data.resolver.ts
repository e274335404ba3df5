import { Field, ID, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isoInZone } from '@samservice/calendar';
import { CurrentPrincipal, type Principal } from '@samservice/platform/auth';
import { pgPoolOf } from '@samservice/platform/database';
import { DomainError } from '@samservice/platform/errors';
import { IsoDateTime } from '@samservice/platform/http';
import { PersonalDataReadModel } from '../audit/audit.resolver';
import { SignedInCitizen } from './signed-in-citizen';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';

/** The most rows of each kind one export gives (a citizen has a handful). */
const MAX_ROWS = 500;

@ObjectType('MyAppointment')
export class MyAppointmentModel {
  @Field(() => ID)
  id: string;

  @Field()
  reference: string;

  @Field()
  status: string;

  @Field(() => IsoDateTime)
  start: string;

  @Field(() => IsoDateTime)
  end: string;

  @Field(() => ID)
  officeId: string;

  @Field(() => ID)
  serviceId: string;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  phone: string | null;
}

@ObjectType('MyTicket')
export class MyTicketModel {
  @Field(() => ID)
  id: string;

  @Field()
  number: string;

  @Field()
  status: string;

  @Field(() => IsoDateTime)
  arrivedAt: string;

  @Field(() => ID)
  officeId: string;

  @Field(() => ID)
  serviceId: string;
}

@ObjectType('MyData', {
  description:
    'Everything Samservice holds about the signed-in citizen, and who read it (an export).',
})
export class MyDataModel {
  @Field({ description: 'The identity number, in full: this is the citizen themself' })
  identityNumber: string;

  @Field(() => [MyAppointmentModel])
  appointments: MyAppointmentModel[];

  @Field(() => [MyTicketModel], { description: 'Tickets taken with the identity number' })
  tickets: MyTicketModel[];

  @Field(() => [PersonalDataReadModel], {
    description:
      "Reads of these records by staff, agencies or admins (the reader's role and agency)",
  })
  reads: PersonalDataReadModel[];
}

/** `myData`: a signed-in citizen's own data as an export (docs/security.md, "Your own data"). */
@Resolver()
export class MyDataResolver {
  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource,
    private readonly signedIn: SignedInCitizen,
  ) {}

  @Query(() => MyDataModel, {
    description:
      'A citizen signed in with e-ID: their bookings with contact details, tickets, and who read them.',
  })
  async myData(@CurrentPrincipal() principal: Principal): Promise<MyDataModel> {
    const key = this.signedIn.of(principal);
    if (principal.role !== 'citizen') throw DomainError.forbidden();
    const pool = pgPoolOf(this.db);
    const [appointments, tickets] = await Promise.all([
      pool
        .query<{
          id: string;
          reference: string;
          status: string;
          startsAt: Date;
          endsAt: Date;
          officeId: string;
          serviceId: string;
          timeZone: string;
          name: string | null;
          email: string | null;
          phone: string | null;
        }>(
          `SELECT a.id, a.reference, a.status::text AS status, a.starts_at AS "startsAt", a.ends_at AS "endsAt",
                  a.office_id AS "officeId", a.service_id AS "serviceId", o.time_zone AS "timeZone",
                  c.name, c.email, c.phone
           FROM scheduling.appointment a
           JOIN directory.published_office o ON o.id = a.office_id
           LEFT JOIN scheduling.appointment_contact c ON c.appointment_id = a.id
           WHERE a.citizen_key = $1 AND a.status <> 'HELD'
           ORDER BY a.starts_at DESC, a.id LIMIT $2`,
          [key, MAX_ROWS],
        )
        .then((r) => r.rows),
      pool
        .query<{
          id: string;
          number: string;
          status: string;
          arrivedAt: Date;
          officeId: string;
          serviceId: string;
          timeZone: string;
        }>(
          `SELECT t.id, t.number, t.status::text AS status, t.arrived_at AS "arrivedAt",
                  t.office_id AS "officeId", t.service_id AS "serviceId", o.time_zone AS "timeZone"
           FROM scheduling.ticket t JOIN directory.published_office o ON o.id = t.office_id
           WHERE t.citizen_key = $1 ORDER BY t.arrived_at DESC, t.id LIMIT $2`,
          [key, MAX_ROWS],
        )
        .then((r) => r.rows),
    ]);
    const reads = await pool
      .query<{
        at: Date;
        readerRole: string;
        readerAgency: string | null;
        operation: string;
        officeId: string;
        appointmentId: string | null;
        ticketId: string | null;
      }>(
        `SELECT at, reader_role AS "readerRole", reader_agency AS "readerAgency", operation,
                office_id AS "officeId", appointment_id AS "appointmentId", ticket_id AS "ticketId"
         FROM scheduling.personal_data_read
         WHERE appointment_id = ANY($1::uuid[]) OR ticket_id = ANY($2::uuid[])
         ORDER BY id DESC LIMIT $3`,
        [appointments.map((a) => a.id), tickets.map((t) => t.id), MAX_ROWS],
      )
      .then((r) => r.rows);
    return {
      identityNumber: principal.personnummer,
      appointments: appointments.map((a) => ({
        id: a.id,
        reference: a.reference,
        status: a.status,
        start: isoInZone(a.startsAt.getTime(), a.timeZone),
        end: isoInZone(a.endsAt.getTime(), a.timeZone),
        officeId: a.officeId,
        serviceId: a.serviceId,
        name: a.name,
        email: a.email,
        phone: a.phone,
      })),
      tickets: tickets.map((t) => ({
        id: t.id,
        number: t.number,
        status: t.status,
        arrivedAt: isoInZone(t.arrivedAt.getTime(), t.timeZone),
        officeId: t.officeId,
        serviceId: t.serviceId,
      })),
      // Which role and agency read it, and why; not the official's own sign-in.
      reads: reads.map((r) => ({ ...r, readerSubject: null, at: r.at.toISOString() })),
    };
  }
}
