import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '@samservice/platform/auth';
import { PersonalDataProtector } from '@samservice/platform/crypto';
import { DomainError, ErrorCode } from '@samservice/platform/errors';
import { assignmentCandidates } from '@samservice/scheduling-engine';
import { AvailabilityService } from '../availability/availability.service';
import { actsForAgency, trainedFor } from '../common/agency-access';
import { Clock } from '../common/clock';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';
import { AppointmentContactEntity, AppointmentEntity } from './appointment.entity';
import {
  BookingService,
  PERSONAL_DATA_PROTECTOR,
  actorForChange,
  slotUnavailable,
} from './booking.service';
import { identityKey, normalizeEmail } from './citizen-identity';
import { normalizeReference } from './reference-code';

export interface ReferenceProof {
  reference: string;
  personnummer?: string | null;
  email?: string | null;
}

const NOT_FOUND_MESSAGE =
  'No booking matches this reference and identity number (or e-mail). Check both and try again.';

/** Looking up, cancelling and moving a booking by its reference. */
@Injectable()
export class AppointmentsService {
  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource,
    @Inject(PERSONAL_DATA_PROTECTOR) private readonly protector: PersonalDataProtector,
    private readonly booking: BookingService,
    private readonly availability: AvailabilityService,
    private readonly clock: Clock,
  ) {}

  /** A citizen's single appointments still to come or under way (`myAppointments`). */
  async activeOf(citizenKey: string, now: number, limit: number): Promise<AppointmentEntity[]> {
    return this.db
      .getRepository(AppointmentEntity)
      .createQueryBuilder('a')
      .where('a.citizen_key = :key', { key: citizenKey })
      .andWhere('a.joint_visit_id IS NULL')
      .andWhere("a.status IN ('BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE', 'NEEDS_REBOOKING')")
      .andWhere('a.ends_at > :now', { now: new Date(now) })
      .orderBy('a.starts_at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * The active (or most recent) appointment with this reference, if the proof matches:
   * the identity number it was booked with, or for a visitor without one the e-mail. Staff
   * of the office need no proof. Any mismatch answers exactly like an unknown reference.
   */
  async findByReference(
    proof: ReferenceProof,
    principal: Principal,
  ): Promise<AppointmentEntity | undefined> {
    const reference = normalizeReference(proof.reference);
    if (!reference) return undefined;
    const appointment = await this.db.getRepository(AppointmentEntity).findOne({
      where: { reference },
      order: { createdAt: 'DESC' },
    });
    if (!appointment || appointment.status === 'HELD') return undefined;
    const agency = await this.availability.agencyCode(appointment.agencyId);
    // An agency's client never reaches another agency's booking, with or without the proof.
    if (!actsForAgency(principal, agency)) return undefined;
    // Staff of the office need no proof, except for a part of a joint visit of an agency
    // they are not trained for: the schedule hides that part's service and reference, and
    // this answer must not give them back.
    if (
      principal.role === 'staff' &&
      principal.offices.includes(appointment.officeId) &&
      (appointment.jointVisitId === null || trainedFor(principal, agency))
    )
      return appointment;
    const now = this.clock.now();
    if (proof.personnummer) {
      const key = identityKey(this.protector, proof.personnummer, now);
      return key && key === appointment.citizenKey ? appointment : undefined;
    }
    if (principal.role === 'citizen') {
      const key = identityKey(this.protector, principal.personnummer, now);
      return key && key === appointment.citizenKey ? appointment : undefined;
    }
    if (proof.email) {
      const contact = await this.db
        .getRepository(AppointmentContactEntity)
        .findOneBy({ appointmentId: appointment.id });
      const matches =
        contact !== null &&
        contact.identityNumberSealed === null &&
        contact.email !== null &&
        contact.email === normalizeEmail(proof.email);
      return matches ? appointment : undefined;
    }
    return undefined;
  }

  private async changeable(
    proof: ReferenceProof,
    principal: Principal,
  ): Promise<AppointmentEntity> {
    const appointment = await this.findByReference(proof, principal);
    if (!appointment) throw DomainError.notFound(NOT_FOUND_MESSAGE);
    if (appointment.status !== 'BOOKED' && appointment.status !== 'NEEDS_REBOOKING') {
      throw DomainError.conflict(
        `This booking is ${appointment.status.toLowerCase().replace('_', ' ')} and can no longer be changed.`,
      );
    }
    if (appointment.startsAt.getTime() <= this.clock.now()) {
      throw DomainError.conflict(
        'This booking has already started or passed and can no longer be changed.',
      );
    }
    return appointment;
  }

  /**
   * A part of a joint visit is not cancelled or moved alone by accident: the citizen would
   * arrive for the other parts with a gap in the chain, or lose the part they came for.
   */
  private async partOfJointVisit(appointment: AppointmentEntity, action: string) {
    if (!appointment.jointVisitId) return undefined;
    const [visit] = await this.db.query(
      `SELECT reference FROM scheduling.joint_visit WHERE id = $1 AND status = 'BOOKED'`,
      [appointment.jointVisitId],
    );
    if (!visit) return undefined;
    return new DomainError(
      ErrorCode.CONFLICT,
      `This booking is one part of a joint visit (reference ${visit.reference}). ${action}`,
      { jointVisitReference: visit.reference },
    );
  }

  /**
   * Cancels; the slot is free again at once. A part of a joint visit is cancelled alone only
   * when the caller confirms it (`onlyThisPart`); otherwise the answer is CONFLICT naming the
   * visit, whose parts cancelJointVisit cancels together. When its last part is cancelled,
   * the joint visit is cancelled too.
   */
  async cancel(
    proof: ReferenceProof,
    principal: Principal,
    onlyThisPart = false,
  ): Promise<AppointmentEntity> {
    const appointment = await this.changeable(proof, principal);
    if (!onlyThisPart) {
      const joint = await this.partOfJointVisit(
        appointment,
        'Cancel the whole visit with cancelJointVisit, or confirm cancelling only this part with onlyThisPart: true.',
      );
      if (joint) throw joint;
    }
    return this.db.transaction(async (manager) => {
      const result = await manager.query(
        `UPDATE scheduling.appointment SET status = 'CANCELLED', updated_at = now()
         WHERE id = $1 AND status IN ('BOOKED', 'NEEDS_REBOOKING') RETURNING id`,
        [appointment.id],
      );
      if (result[1] === 0 || (Array.isArray(result[0]) && result[0].length === 0)) {
        throw DomainError.conflict('This booking was changed meanwhile; look it up again.');
      }
      if (appointment.jointVisitId) {
        await manager.query(
          `UPDATE scheduling.joint_visit SET status = 'CANCELLED', updated_at = now()
           WHERE id = $1 AND status = 'BOOKED' AND NOT EXISTS (
             SELECT 1 FROM scheduling.appointment
              WHERE joint_visit_id = $1
                AND status IN ('BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE', 'NEEDS_REBOOKING'))`,
          [appointment.jointVisitId],
        );
      }
      const runner = manager.queryRunner;
      if (!runner) throw new Error('transaction without query runner');
      await this.booking.recordEvent(
        runner,
        appointment,
        'CANCELLED',
        actorForChange(principal, appointment.officeId),
        null,
        appointment.jointVisitId
          ? { jointVisitId: appointment.jointVisitId, part: appointment.jointPart }
          : {},
      );
      return (await manager.findOneBy(AppointmentEntity, {
        id: appointment.id,
      })) as AppointmentEntity;
    });
  }

  /**
   * Moves the booking to a new start, atomically: the row is updated in place under the
   * same exclusion constraints; if no counter/person is free at the new time, nothing
   * changes and the old time is kept.
   */
  async reschedule(
    proof: ReferenceProof,
    newStart: string,
    principal: Principal,
  ): Promise<AppointmentEntity> {
    const appointment = await this.changeable(proof, principal);
    const joint = await this.partOfJointVisit(
      appointment,
      'Move the whole visit with rescheduleJointVisit, so its parts stay back to back.',
    );
    if (joint) throw joint;
    const { office, service } = await this.availability.officeAndService(
      appointment.officeId,
      appointment.serviceId,
    );
    const { start, input } = await this.booking.bookableStart(
      office,
      service,
      newStart,
      { needs: appointment.needs as never, language: appointment.language },
      [appointment.id],
    );
    const candidates = assignmentCandidates(input, start);
    const extra = input.needs?.extraTimeMinutes ?? 0;
    const endsAt = new Date(start + (service.durationMinutes + extra) * 60_000);
    const busyUntil = new Date(endsAt.getTime() + service.bufferAfterMinutes * 60_000);
    const runner = this.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // Expired holds no longer count (availableSlots lists their time as free), but their
      // rows are still under the exclusion constraints until a change removes them, as a
      // booking does (scheduling.book_appointment).
      await runner.query(
        `DELETE FROM scheduling.appointment
         WHERE status = 'HELD' AND hold_expires_at <= $1
           AND tstzrange(starts_at, busy_until) && tstzrange($2, $3)`,
        [new Date(this.clock.now()), new Date(start), busyUntil],
      );
      let moved = false;
      for (const candidate of candidates) {
        await runner.query('SAVEPOINT reschedule_attempt');
        try {
          const result = await runner.query(
            `UPDATE scheduling.appointment
             SET starts_at = $2, ends_at = $3, busy_until = $4, counter_id = $5, staff_id = $6,
                 status = 'BOOKED', updated_at = now()
             WHERE id = $1 AND status IN ('BOOKED', 'NEEDS_REBOOKING')`,
            [
              appointment.id,
              new Date(start),
              endsAt,
              busyUntil,
              candidate.counterId,
              candidate.staffId,
            ],
          );
          await runner.query('RELEASE SAVEPOINT reschedule_attempt');
          moved = (result?.[1] ?? 1) > 0;
          break;
        } catch (error) {
          await runner.query('ROLLBACK TO SAVEPOINT reschedule_attempt');
          const constraint = (error as { driverError?: { constraint?: string } }).driverError
            ?.constraint;
          if (constraint === 'ex_appointment_citizen') {
            throw slotUnavailable(
              'You already have another visit booked at that time.',
              'CITIZEN_BUSY',
            );
          }
          const code = (error as { driverError?: { code?: string } }).driverError?.code;
          if (code === '40P01') continue; // a deadlock with a concurrent booking: try the next pair
          if (constraint !== 'ex_appointment_counter' && constraint !== 'ex_appointment_staff')
            throw error;
        }
      }
      if (!moved)
        throw slotUnavailable('That time was taken just now; your booking is unchanged.', 'FULL');
      await this.booking.recordEvent(
        runner,
        appointment,
        'RESCHEDULED',
        actorForChange(principal, appointment.officeId),
        null,
        {
          from: appointment.startsAt.toISOString(),
          to: new Date(start).toISOString(),
        },
      );
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
    return (await this.db
      .getRepository(AppointmentEntity)
      .findOneBy({ id: appointment.id })) as AppointmentEntity;
  }
}
