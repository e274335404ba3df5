import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { JointVisitEntity } from '../joint-visits/joint-visit.entity';

export const APPOINTMENT_STATUSES = [
  'HELD',
  'BOOKED',
  'CHECKED_IN',
  'CALLED',
  'IN_SERVICE',
  'COMPLETED',
  'NO_SHOW',
  'CANCELLED',
  'NEEDS_REBOOKING',
] as const;
export type AppointmentStatusValue = (typeof APPOINTMENT_STATUSES)[number];

/** Statuses that occupy a counter, a person and a citizen's time (the constraints' scope). */
export const ACTIVE_STATUSES: readonly AppointmentStatusValue[] = [
  'HELD',
  'BOOKED',
  'CHECKED_IN',
  'CALLED',
  'IN_SERVICE',
];
const ACTIVE_SQL = `"status" IN ('HELD', 'BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE')`;

export const CHANNELS = ['WEB', 'DESK', 'PHONE', 'API'] as const;
export type ChannelValue = (typeof CHANNELS)[number];

/**
 * An appointment (or a hold: status HELD with an expiry). The database decides who gets a
 * time: a counter, a staff member and a citizen can each be in only one active
 * appointment at a time (exclusion constraints), whatever the replicas believe.
 * No personal data here: the citizen is a keyed hash; contact details live in
 * appointment_contact.
 */
@Entity({ name: 'appointment' })
@Check('ck_appointment_times', '"ends_at" > "starts_at" AND "busy_until" >= "ends_at"')
@Exclusion(
  'ex_appointment_counter',
  `USING gist ("office_id" WITH =, "counter_id" WITH =, tstzrange("starts_at", "busy_until") WITH &&) WHERE (${ACTIVE_SQL})`,
)
@Exclusion(
  'ex_appointment_staff',
  `USING gist ("staff_id" WITH =, tstzrange("starts_at", "busy_until") WITH &&) WHERE (${ACTIVE_SQL})`,
)
@Exclusion(
  'ex_appointment_citizen',
  `USING gist ("citizen_key" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE (${ACTIVE_SQL})`,
)
@Index('uq_appointment_reference_active', ['reference'], { unique: true, where: ACTIVE_SQL })
@Index('ix_appointment_office_start', ['officeId', 'startsAt'])
@Index('ix_appointment_citizen_service', ['citizenKey', 'serviceId'])
@Index('ix_appointment_joint_visit', ['jointVisitId'])
@Index('ix_appointment_hold_group', ['holdGroup'], { where: '"hold_group" IS NOT NULL' })
@Check(
  'ck_appointment_joint_part',
  '("joint_visit_id" IS NULL) = ("joint_part" IS NULL) AND ("joint_part" IS NULL OR "joint_part" BETWEEN 0 AND 4)',
)
export class AppointmentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_appointment' })
  id: string;

  /** Distribution key when scheduling is sharded by office. */
  @Column({ name: 'office_id', type: 'uuid' })
  officeId: string;

  /** The owning agency: every read by an agency filters on it. */
  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  @Column({ name: 'counter_id', type: 'uuid' })
  counterId: string;

  @Column({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  /** Keyed hash of the identity number (or of birth date + e-mail); null on a hold. */
  @Column({ name: 'citizen_key', type: 'varchar', length: 64, nullable: true })
  citizenKey: string | null;

  @Column({ type: 'varchar', length: 12 })
  reference: string;

  @Column({ type: 'enum', enum: APPOINTMENT_STATUSES, enumName: 'appointment_status' })
  status: AppointmentStatusValue;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  /** End of the visit. */
  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  /** End of the visit plus the service's buffer: the counter and staff are busy until then. */
  @Column({ name: 'busy_until', type: 'timestamptz' })
  busyUntil: Date;

  @Column({ name: 'hold_expires_at', type: 'timestamptz', nullable: true })
  holdExpiresAt: Date | null;

  /** Keyed hash of the client that holds the slot (limits holds per client). */
  @Column({ name: 'hold_client', type: 'varchar', length: 64, nullable: true })
  holdClient: string | null;

  /**
   * A joint-visit hold's token, the same on each of its held parts (holdJointVisit); null on
   * a slot hold (whose token is its id) and on every booking.
   */
  @Column({ name: 'hold_group', type: 'uuid', nullable: true })
  holdGroup: string | null;

  @Column({ type: 'enum', enum: CHANNELS, enumName: 'booking_channel' })
  channel: ChannelValue;

  @Column({ name: 'booked_by_role', type: 'varchar', length: 16 })
  bookedByRole: string;

  @Column({ name: 'booked_by_subject', type: 'varchar', length: 200, nullable: true })
  bookedBySubject: string | null;

  @Column({ type: 'varchar', length: 32, array: true, default: () => "'{}'" })
  needs: string[];

  @Column({ type: 'varchar', length: 2, nullable: true })
  language: string | null;

  /** The joint visit this appointment is a part of; null for a single booking. */
  @Column({ name: 'joint_visit_id', type: 'uuid', nullable: true })
  jointVisitId: string | null;

  @ManyToOne(() => JointVisitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'joint_visit_id', foreignKeyConstraintName: 'fk_appointment_joint_visit' })
  jointVisit?: JointVisitEntity;

  /** Its position in the joint visit, 0 first (the order the citizen is served in). */
  @Column({ name: 'joint_part', type: 'smallint', nullable: true })
  jointPart: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Personal data of an appointment, in a table of its own so retention can purge it. */
@Entity({ name: 'appointment_contact' })
export class AppointmentContactEntity {
  @PrimaryColumn({
    name: 'appointment_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_appointment_contact',
  })
  appointmentId: string;

  @OneToOne(() => AppointmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_contact_appointment' })
  appointment?: AppointmentEntity;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone: string | null;

  /** AES-256-GCM sealed identity number; null for a visitor without one. */
  @Column({ name: 'identity_number_sealed', type: 'bytea', nullable: true })
  identityNumberSealed: Buffer | null;

  @Column({ name: 'birth_date', type: 'date', nullable: true })
  birthDate: string | null;
}

/** Every state change of an appointment: who, how, when (service declarations measure from these). */
@Entity({ name: 'appointment_event' })
@Index('ix_event_appointment', ['appointmentId'])
@Index('ix_event_office_time', ['officeId', 'occurredAt'])
export class AppointmentEventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_appointment_event' })
  id: string;

  @Column({ name: 'appointment_id', type: 'uuid' })
  appointmentId: string;

  @Column({ name: 'office_id', type: 'uuid' })
  officeId: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole: string;

  @Column({ name: 'actor_subject', type: 'varchar', length: 200, nullable: true })
  actorSubject: string | null;

  @Column({ type: 'varchar', length: 8 })
  channel: ChannelValue;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  /** For a booking: the earliest start that was free for the service when it was made. */
  @Column({ name: 'earliest_free_start', type: 'timestamptz', nullable: true })
  earliestFreeStart: Date | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;
}

/** A booking mutation's idempotency key, scoped to the citizen and the operation. */
@Entity({ name: 'idempotency_key' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_idempotency_key' })
  scope: string;

  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash: string;

  @Column({ name: 'appointment_id', type: 'uuid' })
  appointmentId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
