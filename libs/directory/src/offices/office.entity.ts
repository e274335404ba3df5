import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A service office (servicekontor): where the shared counters are. */
@Entity({ name: 'office' })
@Check('ck_office_eve_closing', '"eve_closing_minute" BETWEEN 0 AND 1440')
@Check(
  'ck_office_coordinates',
  '"latitude" BETWEEN -90 AND 90 AND "longitude" BETWEEN -180 AND 180',
)
export class OfficeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_office' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'street_address', type: 'varchar', length: 200 })
  streetAddress: string;

  @Column({ name: 'postal_code', type: 'varchar', length: 10 })
  postalCode: string;

  @Column({ type: 'varchar', length: 100 })
  municipality: string;

  /** IANA zone every local time of this office is computed in. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64 })
  timeZone: string;

  @Column({ type: 'double precision' })
  latitude: number;

  @Column({ type: 'double precision' })
  longitude: number;

  @Column({ name: 'step_free_access', type: 'boolean', default: false })
  stepFreeAccess: boolean;

  @Column({ name: 'accessible_toilet', type: 'boolean', default: false })
  accessibleToilet: boolean;

  @Column({ name: 'hearing_loop', type: 'boolean', default: false })
  hearingLoop: boolean;

  @Column({ name: 'accessible_parking', type: 'boolean', default: false })
  accessibleParking: boolean;

  @Column({ name: 'accessibility_note', type: 'text', default: '' })
  accessibilityNote: string;

  /** Closing time on eves with short hours (trettondagsafton, skärtorsdagen, …), minutes after midnight. */
  @Column({ name: 'eve_closing_minute', type: 'smallint', default: 780 })
  eveClosingMinute: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
