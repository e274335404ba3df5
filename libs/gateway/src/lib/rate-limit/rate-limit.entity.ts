import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Requests one caller (`key`: `ip:…`, `client:<role>:<subject>`, `agency:<client id>`) made
 * in one fixed window, summed over every gateway replica. Each replica adds what it counted
 * since its last flush in one statement every few hundred milliseconds and reads the sums
 * back (RateLimitStore); rows of past windows are deleted. Nothing personal beyond what a
 * request log holds (an address, a token subject), and only for a couple of windows.
 */
@Entity({ name: 'rate_limit' })
@Index('ix_rate_limit_window_start', ['windowStart'])
export class RateLimitEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_rate_limit' })
  key: string;

  @PrimaryColumn({
    name: 'window_start',
    type: 'timestamptz',
    primaryKeyConstraintName: 'pk_rate_limit',
  })
  windowStart: Date;

  @Column({ type: 'integer' })
  hits: number;
}
