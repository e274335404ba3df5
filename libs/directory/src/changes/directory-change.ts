import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { EntityManager } from 'typeorm';

/** The channel scheduling listens on for directory changes that may hit appointments. */
export const DIRECTORY_CHANGED_CHANNEL = 'samservice_directory_changed';

/**
 * What changed. Scheduling rechecks every booked appointment in the scope the same way
 * whatever the kind; the kind says why, in the log and in scheduling's own log lines.
 */
export type DirectoryChangeKind =
  | 'CLOSURE'
  | 'ABSENCE'
  | 'SHIFT_REMOVED'
  | 'COUNTER_UNAVAILABLE'
  | 'HOURS_CHANGED'
  /** Counter time reserved for an agency, or a day's weekly reservations back. */
  | 'ALLOCATION_CHANGED'
  /** A counter lost a private room, accessible desk or hearing loop. */
  | 'COUNTER_FEATURES_REMOVED'
  | 'SERVICE_WITHDRAWN'
  | 'AGENCY_REMOVED'
  | 'OFFICE_DEACTIVATED'
  /** Booking rules of a service tightened: buffer, private room, languages. */
  | 'SERVICE_RULES_CHANGED'
  | 'SERVICE_DEACTIVATED'
  | 'AGENCY_DEACTIVATED'
  /** A person no longer works at the office (their shifts there went with the link). */
  | 'STAFF_OFFICE_REMOVED'
  /** A person's competences or languages narrowed. */
  | 'STAFF_CHANGED'
  | 'STAFF_DEACTIVATED';

export interface DirectoryChangeScope {
  officeId: string;
  kind: DirectoryChangeKind;
  /** The time span the change may affect (ISO instants); absent: from now on. */
  from?: string;
  to?: string;
  staffId?: string;
  counterId?: string;
}

/**
 * Changes that can invalidate booked appointments, kept as a log (the directory's contract
 * with scheduling) and announced with NOTIFY in the same transaction: scheduling hears it
 * only if the change commits, and then reassigns or flags the appointments it hits.
 */
@Entity({ name: 'change_log' })
@Index('ix_change_log_office', ['officeId', 'changedAt'])
export class DirectoryChangeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_change_log' })
  id: string;

  @Column({ name: 'office_id', type: 'uuid' })
  officeId: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'jsonb' })
  scope: Record<string, unknown>;

  @CreateDateColumn({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;
}

export async function announceChange(
  manager: EntityManager,
  scope: DirectoryChangeScope,
): Promise<void> {
  await manager.insert(DirectoryChangeEntity, {
    officeId: scope.officeId,
    kind: scope.kind,
    scope: { ...scope },
  });
  await manager.query('SELECT pg_notify($1, $2)', [
    DIRECTORY_CHANGED_CHANNEL,
    JSON.stringify(scope),
  ]);
}

/** How many active appointments a change hits, read from scheduling's published view. */
export async function countAffected(
  manager: EntityManager,
  where: { officeId?: string; staffId?: string; counterId?: string; from: Date; to?: Date },
): Promise<number> {
  const [{ count }] = await manager.query(
    `SELECT count(*)::int AS count FROM scheduling.published_active_appointment
     WHERE ($1::uuid IS NULL OR office_id = $1) AND ($2::uuid IS NULL OR staff_id = $2)
       AND ($3::uuid IS NULL OR counter_id = $3)
       AND busy_until > $4 AND ($5::timestamptz IS NULL OR starts_at < $5)`,
    [
      where.officeId ?? null,
      where.staffId ?? null,
      where.counterId ?? null,
      where.from,
      where.to ?? null,
    ],
  );
  return count;
}
