import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const JOINT_VISIT_STATUSES = ['BOOKED', 'CANCELLED'] as const;
export type JointVisitStatusValue = (typeof JOINT_VISIT_STATUSES)[number];

/**
 * One visit of one citizen covering services of several agencies back to back at one office.
 * Its parts are ordinary appointments (`appointment.joint_visit_id`, `joint_part`), so the
 * exclusion constraints on counters, staff and the citizen's own time hold for them exactly
 * as for single bookings, and each agency sees only its own part. This row carries what
 * belongs to the visit as a whole: the reference the citizen is given and the status.
 */
@Entity({ name: 'joint_visit' })
@Index('uq_joint_visit_reference_active', ['reference'], {
  unique: true,
  where: `"status" = 'BOOKED'`,
})
@Index('ix_joint_visit_citizen', ['citizenKey'])
@Check('ck_joint_visit_party', '"party_size" BETWEEN 1 AND 10')
export class JointVisitEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_joint_visit' })
  id: string;

  /** Short code for the whole visit; each part keeps its own appointment reference too. */
  @Column({ type: 'varchar', length: 12 })
  reference: string;

  @Column({ name: 'office_id', type: 'uuid' })
  officeId: string;

  /** Keyed hash of the identity number (or of birth date + e-mail), as on its appointments. */
  /** Null once retention has purged the visit's personal data. */
  @Column({ name: 'citizen_key', type: 'varchar', length: 64, nullable: true })
  citizenKey: string | null;

  @Column({
    type: 'enum',
    enum: JOINT_VISIT_STATUSES,
    enumName: 'joint_visit_status',
    default: 'BOOKED',
  })
  status: JointVisitStatusValue;

  /** The services as the citizen asked for them, in that order. */
  @Column({ name: 'service_ids', type: 'uuid', array: true })
  serviceIds: string[];

  /** Whether the citizen let the services be given in any order. */
  @Column({ name: 'any_order', type: 'boolean', default: false })
  anyOrder: boolean;

  /** People covered by the one booking (a family registering together); one is responsible. */
  @Column({ name: 'party_size', type: 'integer', default: 1 })
  partySize: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
