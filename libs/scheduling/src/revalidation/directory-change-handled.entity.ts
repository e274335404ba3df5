import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Scheduling's record of the directory changes (`directory.published_change`) it has taken
 * note of. A row without `handled_at` is pending: a replica claims it with
 * `FOR UPDATE SKIP LOCKED` for as long as it rechecks the change's appointments, then sets
 * `handled_at` and `result` in the same transaction. The primary key lets a change be
 * recorded once; the row lock lets one replica at a time work on it; a replica that dies
 * mid-way leaves the row pending (its transaction rolls back) for the next sweep.
 */
@Entity({ name: 'directory_change_handled' })
@Check('ck_directory_change_handled_result', '("handled_at" IS NULL) = ("result" IS NULL)')
@Index('ix_directory_change_pending', ['changedAt'], { where: '"handled_at" IS NULL' })
export class DirectoryChangeHandledEntity {
  @PrimaryColumn({
    name: 'change_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_directory_change_handled',
  })
  changeId: string;

  @Column({ name: 'office_id', type: 'uuid' })
  officeId: string;

  /** When the directory made the change (the order changes are handled in). */
  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;

  /** When a scheduling replica first saw the change in the log. */
  @Column({ name: 'seen_at', type: 'timestamptz', default: () => 'now()' })
  seenAt: Date;

  @Column({ name: 'handled_at', type: 'timestamptz', nullable: true })
  handledAt: Date | null;

  /** What the recheck did ({ kept, reassigned, flagged }) or why none was needed ({ skipped }). */
  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;
}
