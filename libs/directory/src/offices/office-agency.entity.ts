import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { OfficeEntity } from './office.entity';

/** An agency taking part in an office. */
@Entity({ name: 'office_agency' })
export class OfficeAgencyEntity {
  @PrimaryColumn({ name: 'office_id', type: 'uuid', primaryKeyConstraintName: 'pk_office_agency' })
  officeId: string;

  @PrimaryColumn({ name: 'agency_id', type: 'uuid', primaryKeyConstraintName: 'pk_office_agency' })
  agencyId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'office_id', foreignKeyConstraintName: 'fk_office_agency_office' })
  office?: OfficeEntity;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id', foreignKeyConstraintName: 'fk_office_agency_agency' })
  agency?: AgencyEntity;
}
