import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ServiceEntity } from '../services/service.entity';
import { OfficeAgencyEntity } from './office-agency.entity';

/**
 * A service offered at an office. The composite keys make the database refuse a service
 * of an agency that does not take part in the office.
 */
@Entity({ name: 'office_service' })
export class OfficeServiceEntity {
  @PrimaryColumn({ name: 'office_id', type: 'uuid', primaryKeyConstraintName: 'pk_office_service' })
  officeId: string;

  @PrimaryColumn({
    name: 'service_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_office_service',
  })
  serviceId: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @ManyToOne(() => OfficeAgencyEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    {
      name: 'office_id',
      referencedColumnName: 'officeId',
      foreignKeyConstraintName: 'fk_office_service_participation',
    },
    {
      name: 'agency_id',
      referencedColumnName: 'agencyId',
      foreignKeyConstraintName: 'fk_office_service_participation',
    },
  ])
  participation?: OfficeAgencyEntity;

  @ManyToOne(() => ServiceEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    {
      name: 'service_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'fk_office_service_service',
    },
    {
      name: 'agency_id',
      referencedColumnName: 'agencyId',
      foreignKeyConstraintName: 'fk_office_service_service',
    },
  ])
  service?: ServiceEntity;
}
