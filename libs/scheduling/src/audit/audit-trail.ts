import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '@samservice/platform/auth';
import { pgPoolOf } from '@samservice/platform/database';
import { Clock } from '../common/clock';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';

/** One record whose personal data a caller was shown. */
export interface PersonalDataRead {
  officeId: string;
  appointmentId?: string;
  ticketId?: string;
}

export interface AuditEntry {
  at: Date;
  readerRole: string;
  readerSubject: string | null;
  readerAgency: string | null;
  operation: string;
  officeId: string;
  appointmentId: string | null;
  ticketId: string | null;
}

/**
 * The audit log (docs/security.md, "Audit log"): every read of another person's personal
 * data by staff, an agency's client or an admin — who, whose record, when, and the
 * operation as its purpose — in `scheduling.personal_data_read`, which nobody can change
 * or delete (an append-only trigger). Written before the answer leaves: a read that cannot
 * be recorded is not answered.
 */
@Injectable()
export class AuditTrail {
  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(
    principal: Principal,
    operation: string,
    reads: readonly PersonalDataRead[],
  ): Promise<void> {
    if (reads.length === 0) return;
    if (principal.role === 'anonymous' || principal.role === 'citizen') return;
    await pgPoolOf(this.db).query({
      name: 'audit_personal_data_read',
      text: `INSERT INTO scheduling.personal_data_read
               (at, reader_role, reader_subject, reader_agency, operation, office_id, appointment_id, ticket_id)
             SELECT $1, $2, $3, $4, $5, r.office_id, r.appointment_id, r.ticket_id
             FROM unnest($6::uuid[], $7::uuid[], $8::uuid[]) AS r(office_id, appointment_id, ticket_id)`,
      values: [
        new Date(this.clock.now()),
        principal.role.toUpperCase(),
        principal.subject,
        principal.role === 'agency' ? principal.agency : null,
        operation,
        reads.map((r) => r.officeId),
        reads.map((r) => r.appointmentId ?? null),
        reads.map((r) => r.ticketId ?? null),
      ],
    });
  }

  /** The log for an admin, newest first, narrowed to an office, an appointment or a ticket. */
  async list(filter: {
    officeId?: string;
    appointmentId?: string;
    ticketId?: string;
    first: number;
  }): Promise<AuditEntry[]> {
    return pgPoolOf(this.db)
      .query<AuditEntry>(
        `SELECT at, reader_role AS "readerRole", reader_subject AS "readerSubject",
                reader_agency AS "readerAgency", operation, office_id AS "officeId",
                appointment_id AS "appointmentId", ticket_id AS "ticketId"
         FROM scheduling.personal_data_read
         WHERE ($1::uuid IS NULL OR office_id = $1) AND ($2::uuid IS NULL OR appointment_id = $2)
           AND ($3::uuid IS NULL OR ticket_id = $3)
         ORDER BY id DESC LIMIT $4`,
        [
          filter.officeId ?? null,
          filter.appointmentId ?? null,
          filter.ticketId ?? null,
          filter.first,
        ],
      )
      .then((r) => r.rows);
  }
}
