import type { Pool } from 'pg';
import type { FlushBatch, KeyTotal } from './rate-limit-counter';

/** The shared side of a rate limit: what the gateway replicas counted, in `gateway.rate_limit`. */
export interface RateLimitStore {
  /** Adds a replica's hits and returns the sums of those keys and of `refresh`, in one round trip. */
  flush(batch: FlushBatch): Promise<KeyTotal[]>;
  /** Deletes the rows of windows that started before `before` (epoch ms). */
  deleteBefore(before: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * One statement per flush, whatever the number of callers: the hits arrive as two arrays
 * (keys sorted, so replicas flushing the same keys take the row locks in the same order),
 * are added to the shared sums, and the new sums come back, with the sums of the quiet keys
 * asked for (a plain read by primary key).
 */
const FLUSH_SQL = `
WITH added AS (
  INSERT INTO gateway.rate_limit AS r (key, window_start, hits)
  SELECT d.key, $1::timestamptz, d.hits FROM unnest($2::text[], $3::int[]) AS d(key, hits)
  ON CONFLICT (key, window_start) DO UPDATE SET hits = r.hits + EXCLUDED.hits
  RETURNING r.key, r.hits
)
SELECT key, hits FROM added
UNION ALL
SELECT key, hits FROM gateway.rate_limit WHERE window_start = $1::timestamptz AND key = ANY($4::text[])`;

export class PostgresRateLimitStore implements RateLimitStore {
  constructor(private readonly pool: Pool) {}

  async flush(batch: FlushBatch): Promise<KeyTotal[]> {
    const result = await this.pool.query<KeyTotal>({
      name: 'samservice-rate-limit-flush',
      text: FLUSH_SQL,
      values: [new Date(batch.windowStart), batch.keys, batch.hits, batch.refresh],
    });
    return result.rows;
  }

  async deleteBefore(before: number): Promise<number> {
    const result = await this.pool.query('DELETE FROM gateway.rate_limit WHERE window_start < $1', [
      new Date(before),
    ]);
    return result.rowCount ?? 0;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
