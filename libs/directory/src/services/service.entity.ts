import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';

/** A kind of matter an agency handles at the counter (ärendetyp), with its booking rules. */
@Entity({ name: 'service' })
@Unique('uq_service_agency_code', ['agencyId', 'code'])
@Unique('uq_service_id_agency', ['id', 'agencyId'])
@Check('ck_service_duration', '"duration_minutes" > 0 AND "duration_minutes" <= 480')
@Check('ck_service_horizon', '"horizon_days" BETWEEN 1 AND 730')
@Check(
  'ck_service_rules',
  '"buffer_after_minutes" >= 0 AND "slot_granularity_minutes" BETWEEN 5 AND 240 AND "min_notice_minutes" >= 0 AND "max_active_bookings" >= 1',
)
@Check('ck_service_per_person', '"per_person_minutes" BETWEEN 0 AND 120')
@Check('ck_service_party_size', '"max_party_size" BETWEEN 1 AND 10')
@Check(
  'ck_service_life_situations',
  `"life_situations" <@ ARRAY['MOVING_TO_SWEDEN', 'NEW_BABY', 'RETIRING', 'LOST_ID', 'LOOKING_FOR_WORK']::varchar[]`,
)
export class ServiceEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_service' })
  id: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id', foreignKeyConstraintName: 'fk_service_agency' })
  agency?: AgencyEntity;

  /** Unique within the agency, e.g. `id-card`, `parental-benefit`. */
  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ name: 'name_sv', type: 'varchar', length: 200 })
  nameSv: string;

  @Column({ name: 'name_en', type: 'varchar', length: 200 })
  nameEn: string;

  @Column({ name: 'duration_minutes', type: 'integer' })
  durationMinutes: number;

  @Column({ name: 'buffer_after_minutes', type: 'integer', default: 0 })
  bufferAfterMinutes: number;

  @Column({ name: 'slot_granularity_minutes', type: 'integer', default: 15 })
  slotGranularityMinutes: number;

  @Column({ name: 'min_notice_minutes', type: 'integer', default: 120 })
  minNoticeMinutes: number;

  @Column({ name: 'horizon_days', type: 'integer', default: 90 })
  horizonDays: number;

  @Column({ name: 'needs_private_room', type: 'boolean', default: false })
  needsPrivateRoom: boolean;

  /** ISO 639-1 codes of the languages the service can be given in. */
  @Column({ type: 'varchar', length: 2, array: true, default: () => "'{sv}'" })
  languages: string[];

  @Column({ name: 'documents_sv', type: 'text', default: '' })
  documentsSv: string;

  @Column({ name: 'documents_en', type: 'text', default: '' })
  documentsEn: string;

  @Column({ name: 'max_active_bookings', type: 'integer', default: 1 })
  maxActiveBookings: number;

  /**
   * Minutes added to a visit for each person beyond the first, when one booking covers a
   * party (a family registering together after moving to Sweden).
   */
  @Column({ name: 'per_person_minutes', type: 'integer', default: 0 })
  perPersonMinutes: number;

  /** The most people one booking may cover; 1 for matters that are one person's own. */
  @Column({ name: 'max_party_size', type: 'integer', default: 1 })
  maxPartySize: number;

  /**
   * The life situations (LifeSituation) the matter belongs to, so the booking can offer
   * matters by what is happening in a citizen's life; the check keeps them to the known ones.
   */
  @Column({
    name: 'life_situations',
    type: 'varchar',
    length: 20,
    array: true,
    default: () => "'{}'",
  })
  lifeSituations: string[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
