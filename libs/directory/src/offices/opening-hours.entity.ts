import {
  Check,
  Column,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { OfficeEntity } from './office.entity';

/** Weekly opening hours of an office: one row per open interval of a weekday. */
@Entity({ name: 'opening_hours' })
@Check(
  'ck_opening_hours_interval',
  '"start_minute" >= 0 AND "end_minute" <= 1440 AND "start_minute" < "end_minute"',
)
@Check('ck_opening_hours_weekday', '"weekday" BETWEEN 1 AND 7')
@Exclusion(
  'ex_opening_hours_overlap',
  'USING gist ("office_id" WITH =, "weekday" WITH =, int4range("start_minute", "end_minute") WITH &&)',
)
export class OpeningHoursEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_opening_hours' })
  id: string;

  @Index('ix_opening_hours_office')
  @Column({ name: 'office_id', type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'office_id', foreignKeyConstraintName: 'fk_opening_hours_office' })
  office?: OfficeEntity;

  /** ISO weekday, 1 = Monday. */
  @Column({ type: 'smallint' })
  weekday: number;

  @Column({ name: 'start_minute', type: 'smallint' })
  startMinute: number;

  @Column({ name: 'end_minute', type: 'smallint' })
  endMinute: number;
}

/** Dated exception: on that date these rows replace the weekly hours (extra or shorter hours). */
@Entity({ name: 'opening_exception' })
@Check(
  'ck_opening_exception_interval',
  '"start_minute" >= 0 AND "end_minute" <= 1440 AND "start_minute" < "end_minute"',
)
@Exclusion(
  'ex_opening_exception_overlap',
  'USING gist ("office_id" WITH =, "date" WITH =, int4range("start_minute", "end_minute") WITH &&)',
)
export class OpeningExceptionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_opening_exception' })
  id: string;

  @Index('ix_opening_exception_office_date', ['officeId', 'date'])
  @Column({ name: 'office_id', type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'office_id', foreignKeyConstraintName: 'fk_opening_exception_office' })
  office?: OfficeEntity;

  @Column({ type: 'date' })
  date: string;

  @Column({ name: 'start_minute', type: 'smallint' })
  startMinute: number;

  @Column({ name: 'end_minute', type: 'smallint' })
  endMinute: number;

  @Column({ type: 'varchar', length: 200, default: '' })
  note: string;
}

/** The office is closed from..to (inclusive local dates): renovation, strike. */
@Entity({ name: 'closure' })
@Check('ck_closure_dates', '"to_date" >= "from_date"')
export class ClosureEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_closure' })
  id: string;

  @Index('ix_closure_office')
  @Column({ name: 'office_id', type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'office_id', foreignKeyConstraintName: 'fk_closure_office' })
  office?: OfficeEntity;

  @Column({ name: 'from_date', type: 'date' })
  fromDate: string;

  @Column({ name: 'to_date', type: 'date' })
  toDate: string;

  @Column({ type: 'varchar', length: 200 })
  reason: string;
}
