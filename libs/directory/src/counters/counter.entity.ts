import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { OfficeAgencyEntity } from '../offices/office-agency.entity';
import { OfficeEntity } from '../offices/office.entity';

export const COUNTER_STATUSES = ['ACTIVE', 'OUT_OF_ORDER', 'RETIRED'] as const;
export type CounterStatusValue = (typeof COUNTER_STATUSES)[number];

/** A counter (disk, handläggarplats) of an office, shared by its agencies. */
@Entity({ name: 'counter' })
@Unique('uq_counter_office_name', ['officeId', 'name'])
@Unique('uq_counter_id_office', ['id', 'officeId'])
export class CounterEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_counter' })
  id: string;

  @Column({ name: 'office_id', type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'office_id', foreignKeyConstraintName: 'fk_counter_office' })
  office?: OfficeEntity;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'private_room', type: 'boolean', default: false })
  privateRoom: boolean;

  @Column({ name: 'accessible_desk', type: 'boolean', default: false })
  accessibleDesk: boolean;

  @Column({ name: 'hearing_loop', type: 'boolean', default: false })
  hearingLoop: boolean;

  @Column({ type: 'enum', enum: COUNTER_STATUSES, enumName: 'counter_status', default: 'ACTIVE' })
  status: CounterStatusValue;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export const ALLOCATION_KINDS = ['WEEKLY', 'DATED'] as const;
export type AllocationKindValue = (typeof ALLOCATION_KINDS)[number];

/**
 * Which agency may use a counter when. WEEKLY rows repeat on a weekday within an optional
 * validity period; DATED rows replace a counter's weekly rows on their date (a DATED row
 * without agency explicitly pools the time). Time not allocated is the office's shared
 * pool, open to all its agencies. Allocations of one counter never overlap: the database
 * refuses it.
 */
@Entity({ name: 'counter_allocation' })
@Check(
  'ck_allocation_interval',
  '"start_minute" >= 0 AND "end_minute" <= 1440 AND "start_minute" < "end_minute"',
)
@Check(
  'ck_allocation_kind',
  `("kind" = 'WEEKLY' AND "weekday" BETWEEN 1 AND 7 AND "date" IS NULL AND "agency_id" IS NOT NULL) OR ("kind" = 'DATED' AND "date" IS NOT NULL AND "weekday" IS NULL AND "valid_from" IS NULL AND "valid_to" IS NULL)`,
)
@Check(
  'ck_allocation_validity',
  '"valid_to" IS NULL OR "valid_from" IS NULL OR "valid_to" >= "valid_from"',
)
@Exclusion(
  'ex_allocation_weekly_overlap',
  `USING gist ("counter_id" WITH =, "weekday" WITH =, int4range("start_minute", "end_minute") WITH &&, daterange(COALESCE("valid_from", '-infinity'::date), COALESCE("valid_to", 'infinity'::date), '[]') WITH &&) WHERE ("kind" = 'WEEKLY')`,
)
@Exclusion(
  'ex_allocation_dated_overlap',
  `USING gist ("counter_id" WITH =, "date" WITH =, int4range("start_minute", "end_minute") WITH &&) WHERE ("kind" = 'DATED')`,
)
export class CounterAllocationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_counter_allocation' })
  id: string;

  @Index('ix_counter_allocation_office')
  @Column({ name: 'office_id', type: 'uuid' })
  officeId: string;

  @Column({ name: 'counter_id', type: 'uuid' })
  counterId: string;

  @ManyToOne(() => CounterEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    {
      name: 'counter_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'fk_allocation_counter',
    },
    {
      name: 'office_id',
      referencedColumnName: 'officeId',
      foreignKeyConstraintName: 'fk_allocation_counter',
    },
  ])
  counter?: CounterEntity;

  /** The agency the time is reserved for; null only on a DATED row that pools the time. */
  @Column({ name: 'agency_id', type: 'uuid', nullable: true })
  agencyId: string | null;

  @ManyToOne(() => OfficeAgencyEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    {
      name: 'office_id',
      referencedColumnName: 'officeId',
      foreignKeyConstraintName: 'fk_allocation_participation',
    },
    {
      name: 'agency_id',
      referencedColumnName: 'agencyId',
      foreignKeyConstraintName: 'fk_allocation_participation',
    },
  ])
  participation?: OfficeAgencyEntity;

  @Column({ type: 'enum', enum: ALLOCATION_KINDS, enumName: 'allocation_kind' })
  kind: AllocationKindValue;

  @Column({ type: 'smallint', nullable: true })
  weekday: number | null;

  @Column({ type: 'date', nullable: true })
  date: string | null;

  @Column({ name: 'start_minute', type: 'smallint' })
  startMinute: number;

  @Column({ name: 'end_minute', type: 'smallint' })
  endMinute: number;

  @Column({ name: 'valid_from', type: 'date', nullable: true })
  validFrom: string | null;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;
}
