import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';

export const AGENCY_LEVELS = ['STATE', 'REGION', 'MUNICIPALITY'] as const;
export type AgencyLevelValue = (typeof AGENCY_LEVELS)[number];

/** A state agency, a region or a municipality taking part in the office network. */
@Entity({ name: 'agency' })
@Unique('uq_agency_code', ['code'])
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

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
