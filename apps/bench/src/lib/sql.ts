import { Pool } from 'pg';

/** Plain SQL on the benchmark's database (a small pool of its own, not the services'). */
export class Sql {
  private readonly pool: Pool;

  constructor(url: string, max = 4) {
    this.pool = new Pool({ connectionString: url, max, application_name: 'samservice-bench' });
  }

  async query<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, params)).rows as T[];
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}

const ACTIVE = `('HELD', 'BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE')`;

export interface Overlaps {
  counter: number;
  staff: number;
  citizen: number;
}

/**
 * Pairs of active appointments that overlap on one counter or one person (busy time, buffer
 * included) or for one citizen (the visit itself): what the exclusion constraints forbid.
 * Each query can use the constraint's own GiST index.
 */
export async function countOverlaps(sql: Sql): Promise<Overlaps> {
  const [row] = await sql.query<{ counter: number; staff: number; citizen: number }>(
    `SELECT
       (SELECT count(*)::int FROM scheduling.appointment a JOIN scheduling.appointment b
          ON a.id < b.id AND a.office_id = b.office_id AND a.counter_id = b.counter_id
         AND tstzrange(a.starts_at, a.busy_until) && tstzrange(b.starts_at, b.busy_until)
        WHERE a.status IN ${ACTIVE} AND b.status IN ${ACTIVE}) AS counter,
       (SELECT count(*)::int FROM scheduling.appointment a JOIN scheduling.appointment b
          ON a.id < b.id AND a.staff_id = b.staff_id
         AND tstzrange(a.starts_at, a.busy_until) && tstzrange(b.starts_at, b.busy_until)
        WHERE a.status IN ${ACTIVE} AND b.status IN ${ACTIVE}) AS staff,
       (SELECT count(*)::int FROM scheduling.appointment a JOIN scheduling.appointment b
          ON a.id < b.id AND a.citizen_key = b.citizen_key
         AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
        WHERE a.status IN ${ACTIVE} AND b.status IN ${ACTIVE}) AS citizen`,
  );
  return row;
}

/** The columns the booking path writes (BookingService.insertFirstFree through TypeORM). */
export const APPOINTMENT_COLUMNS = [
  'office_id',
  'agency_id',
  'service_id',
  'counter_id',
  'staff_id',
  'citizen_key',
  'reference',
  'status',
  'starts_at',
  'ends_at',
  'busy_until',
  'channel',
  'booked_by_role',
] as const;
