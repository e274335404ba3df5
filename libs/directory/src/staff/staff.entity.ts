import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { OfficeEntity } from '../offices/office.entity';
import { ServiceEntity } from '../services/service.entity';

/** A staff member (servicehandläggare), cross-trained for one or more agencies. */
@Entity({ name: 'staff' })
@Unique('uq_staff_subject', ['subject'])
export class StaffEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_staff' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** The `sub` of the person's staff token, linking sign-ins to this row. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  subject: string | null;

  /** ISO 639-1 codes of the languages the person serves in. */
  @Column({ type: 'varchar', length: 2, array: true, default: () => "'{sv}'" })
  languages: string[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A staff member works at an office (and may administer it). */
@Entity({ name: 'staff_office' })
export class StaffOfficeEntity {
  @PrimaryColumn({ name: 'staff_id', type: 'uuid', primaryKeyConstraintName: 'pk_staff_office' })
  staffId: string;

  @PrimaryColumn({ name: 'office_id', type: 'uuid', primaryKeyConstraintName: 'pk_staff_office' })
  officeId: string;

  @ManyToOne(() => StaffEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id', foreignKeyConstraintName: 'fk_staff_office_staff' })
  staff?: StaffEntity;

  @ManyToOne(() => OfficeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'office_id', foreignKeyConstraintName: 'fk_staff_office_office' })
  office?: OfficeEntity;

  @Column({ name: 'office_admin', type: 'boolean', default: false })
  officeAdmin: boolean;
}

/** What a staff member is trained for: a whole agency (service null) or one service. */
@Entity({ name: 'staff_competence' })
@Index('uq_competence_agency', ['staffId', 'agencyId'], {
  unique: true,
  where: '"service_id" IS NULL',
})
@Index('uq_competence_service', ['staffId', 'serviceId'], {
  unique: true,
  where: '"service_id" IS NOT NULL',
})
export class StaffCompetenceEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_staff_competence' })
  id: string;

  @Column({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  @ManyToOne(() => StaffEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id', foreignKeyConstraintName: 'fk_competence_staff' })
  staff?: StaffEntity;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agency_id', foreignKeyConstraintName: 'fk_competence_agency' })
  agency?: AgencyEntity;

  @Column({ name: 'service_id', type: 'uuid', nullable: true })
  serviceId: string | null;

  @ManyToOne(() => ServiceEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    {
      name: 'service_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'fk_competence_service',
    },
    {
      name: 'agency_id',
      referencedColumnName: 'agencyId',
      foreignKeyConstraintName: 'fk_competence_service',
    },
  ])
  service?: ServiceEntity;
}

/**
 * A weekly shift at one office. Shifts of one person never overlap, across offices too:
 * nobody is in two offices at once.
 */
@Entity({ name: 'staff_shift' })
@Check(
  'ck_shift_interval',
  '"start_minute" >= 0 AND "end_minute" <= 1440 AND "start_minute" < "end_minute"',
)
@Check('ck_shift_weekday', '"weekday" BETWEEN 1 AND 7')
@Check(
  'ck_shift_validity',
  '"valid_to" IS NULL OR "valid_from" IS NULL OR "valid_to" >= "valid_from"',
)
@Exclusion(
  'ex_shift_overlap',
  `USING gist ("staff_id" WITH =, "weekday" WITH =, int4range("start_minute", "end_minute") WITH &&, daterange(COALESCE("valid_from", '-infinity'::date), COALESCE("valid_to", 'infinity'::date), '[]') WITH &&)`,
)
export class StaffShiftEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_staff_shift' })
  id: string;

  @Column({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  @Index('ix_staff_shift_office')
  @Column({ name: 'office_id', type: 'uuid' })
  officeId: string;

  @ManyToOne(() => StaffOfficeEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    {
      name: 'staff_id',
      referencedColumnName: 'staffId',
      foreignKeyConstraintName: 'fk_shift_staff_office',
    },
    {
      name: 'office_id',
      referencedColumnName: 'officeId',
      foreignKeyConstraintName: 'fk_shift_staff_office',
    },
  ])
  staffOffice?: StaffOfficeEntity;

  @Column({ type: 'smallint' })
  weekday: number;

  @Column({ name: 'start_minute', type: 'smallint' })
  startMinute: number;

  @Column({ name: 'end_minute', type: 'smallint' })
  endMinute: number;

  @Column({ name: 'valid_from', type: 'date', nullable: true })
  validFrom: string | null;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;
}

/** A dated absence (leave, sickness, training): the person is not available then. */
@Entity({ name: 'staff_absence' })
@Check('ck_absence_interval', '"ends_at" > "starts_at"')
export class StaffAbsenceEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_staff_absence' })
  id: string;

  @Index('ix_staff_absence_staff')
  @Column({ name: 'staff_id', type: 'uuid' })
  staffId: string;

  @ManyToOne(() => StaffEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id', foreignKeyConstraintName: 'fk_absence_staff' })
  staff?: StaffEntity;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'varchar', length: 200, default: '' })
  reason: string;
}
