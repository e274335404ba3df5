import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';

export const AGENCY_LEVELS = ['STATE', 'REGION', 'MUNICIPALITY'] as const;
export type AgencyLevelValue = (typeof AGENCY_LEVELS)[number];

/** The bounds of an agency's limit of active bookings per citizen across its services. */
export const MAX_AGENCY_ACTIVE_BOOKINGS = 50;
/** What an agency gets when none is given: room for a few matters at once, not for hoarding. */
export const DEFAULT_AGENCY_ACTIVE_BOOKINGS = 3;

/** A state agency, a region or a municipality taking part in the office network. */
@Entity({ name: 'agency' })
@Unique('uq_agency_code', ['code'])
@Check('ck_agency_max_active_bookings', '"max_active_bookings" BETWEEN 1 AND 50')
export class AgencyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_agency' })
  id: string;

  /** Short code used across the network and in tokens, e.g. `FK`, `SKV`, `OREBRO`. */
  @Column({ type: 'varchar', length: 16 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'enum', enum: AGENCY_LEVELS, enumName: 'agency_level' })
  level: AgencyLevelValue;

  /**
   * How many active bookings (see scheduling.book_appointment) one citizen may hold across all
   * the agency's services at once, on top of each service's own limit.
   */
  @Column({ name: 'max_active_bookings', type: 'integer', default: DEFAULT_AGENCY_ACTIVE_BOOKINGS })
  maxActiveBookings: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
