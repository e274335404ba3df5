import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { luhnCheckDigit } from '@samservice/identity';
import { startNestApp } from '@samservice/platform/http';
import { RevalidationService, SchedulingModule, type SweepResult } from '@samservice/scheduling';
import {
  demoOfficeService,
  eventually,
  startTestStack,
  testConfig,
  type TestStack,
} from '@samservice/testing';

// Changes the directory logged but nobody heard announced (no scheduling replica listening,
// a dropped listener connection): scheduling catches up from directory.published_change.

const NOW = '2027-03-01T08:00:00+01:00';

interface Entry {
  reference: string;
  status: string;
  start: string;
  counterId: string;
  staffId: string;
}

interface Handled {
  change_id: string;
  handled_at: Date | null;
  result: Record<string, unknown> | null;
}

/** Örebro's tax-return help on a stack, booking through the gateway, SQL on its database. */
async function network(stack: TestStack) {
  const admin = await stack.tokenFor({ role: 'admin', subject: 'admin' });
  const { officeId, serviceId } = await demoOfficeService(stack, 'Örebro', 'tax-return-help');
  const db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  let n = 0;

  const scheduleOf = async (date: string) =>
    (
      await stack.query<{ officeSchedule: Entry[] }>(
        'query($o: ID!, $d: Date!) { officeSchedule(officeId: $o, date: $d) { reference status start counterId staffId } }',
        { o: officeId, d: date },
        { token: admin },
      )
    ).data?.officeSchedule ?? [];

  return {
    admin,
    officeId,
    db,
    scheduleOf,
    async bookFirstFree(date: string): Promise<Entry> {
      const slots = await stack.query<{ availableSlots: Array<{ start: string }> }>(
        'query($o: ID!, $s: ID!, $d: Date!) { availableSlots(officeId: $o, serviceId: $s, from: $d, to: $d) { start } }',
        { o: officeId, s: serviceId, d: date },
      );
      const start = slots.data?.availableSlots[0]?.start as string;
      const nine = `86${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}${String(300 + n).padStart(3, '0')}`;
      n++;
      const booked = await stack.query<{ bookAppointment: { reference: string } }>(
        'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { reference } }',
        {
          input: {
            officeId,
            serviceId,
            start,
            citizen: { personnummer: `19${nine}${luhnCheckDigit(nine)}`, name: 'Ohörd Ändring' },
          },
        },
      );
      expect(booked.errors).toBeUndefined();
      return (await scheduleOf(date)).find(
        (e) => e.reference === booked.data?.bookAppointment.reference,
      ) as Entry;
    },
    /**
     * Closes the office for a day as the directory does (closure + change log row in one
     * transaction) but without the NOTIFY: a change nobody heard. Returns the change's id.
     */
    async closeUnannounced(date: string): Promise<string> {
      const from = new Date(`${date}T00:00:00+02:00`).toISOString();
      const to = new Date(Date.parse(from) + 86_400_000).toISOString();
      await db.query('BEGIN');
      try {
        await db.query(
          `INSERT INTO directory.closure (office_id, from_date, to_date, reason) VALUES ($1, $2, $2, 'Strömavbrott')`,
          [officeId, date],
        );
        const [change] = (
          await db.query<{ id: string }>(
            `INSERT INTO directory.change_log (office_id, kind, scope) VALUES ($1, 'CLOSURE', $2) RETURNING id`,
            [officeId, JSON.stringify({ officeId, kind: 'CLOSURE', from, to })],
          )
        ).rows;
        await db.query('COMMIT');
        return change.id;
      } catch (error) {
        await db.query('ROLLBACK');
        throw error;
      }
    },
    async handled(changeIds: string[]): Promise<Handled[]> {
      return (
        await db.query<Handled>(
          `SELECT change_id, handled_at, result FROM scheduling.directory_change_handled
           WHERE change_id = ANY($1::uuid[]) ORDER BY change_id`,
          [changeIds],
        )
      ).rows;
    },
    /** How many events of this type the appointment has (a recheck done twice would show). */
    async events(reference: string, type: string): Promise<number> {
      const { rows } = await db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM scheduling.appointment_event e
         JOIN scheduling.appointment a ON a.id = e.appointment_id
         WHERE a.reference = $1 AND e.type = $2`,
        [reference, type],
      );
      return rows[0].count;
    },
  };
}

describe('directory changes nobody heard announced', () => {
  describe('on a running system (sweep every second)', () => {
    let stack: TestStack;
    let net: Awaited<ReturnType<typeof network>>;

    beforeAll(async () => {
      stack = await startTestStack({ FIXED_NOW: NOW, REVALIDATION_SWEEP_SECONDS: '1' });
      net = await network(stack);
    });

    afterAll(async () => {
      await net?.db.end();
      await stack?.stop();
    });

    it('a change logged without a NOTIFY is picked up by the periodic sweep and recorded handled once', async () => {
      const entry = await net.bookFirstFree('2027-04-14');
      expect(entry.status).toBe('BOOKED');
      const changeId = await net.closeUnannounced('2027-04-14');

      const flagged = await eventually(
        async () =>
          (await net.scheduleOf('2027-04-14')).find((e) => e.reference === entry.reference),
        (e) => e?.status === 'NEEDS_REBOOKING',
      );
      expect(flagged?.status).toBe('NEEDS_REBOOKING');
      const handled = await eventually(
        () => net.handled([changeId]),
        (rows) => rows[0]?.handled_at != null,
      );
      expect(handled).toEqual([
        {
          change_id: changeId,
          handled_at: expect.any(Date),
          result: { kept: 0, reassigned: 0, flagged: 1 },
        },
      ]);
      expect(await net.events(entry.reference, 'NEEDS_REBOOKING')).toBe(1);
    });

    it('an announced change goes through the same record: handled once, by one replica', async () => {
      const entry = await net.bookFirstFree('2027-04-15');
      const absence = await stack.query<{ addAbsence: { affectedAppointments: number } }>(
        'mutation($s: ID!) { addAbsence(staffId: $s, input: { start: "2027-04-15T00:00:00+02:00", end: "2027-04-16T00:00:00+02:00", reason: "VAB" }) { affectedAppointments } }',
        { s: entry.staffId },
        { token: net.admin },
      );
      expect(absence.errors).toBeUndefined();
      const moved = await eventually(
        async () =>
          (await net.scheduleOf('2027-04-15')).find((e) => e.reference === entry.reference),
        (e) => e !== undefined && e.staffId !== entry.staffId,
      );
      expect(moved).toMatchObject({ status: 'BOOKED', start: entry.start });
      const { rows } = await net.db.query<{ id: string }>(
        `SELECT id FROM directory.published_change WHERE kind = 'ABSENCE' AND scope->>'staffId' = $1`,
        [entry.staffId],
      );
      expect(rows).toHaveLength(1);
      const handled = await eventually(
        () => net.handled([rows[0].id]),
        (list) => list[0]?.handled_at != null,
      );
      expect(handled).toHaveLength(1);
      expect(handled[0].result).toMatchObject({ reassigned: 1 });
      expect(await net.events(entry.reference, 'REASSIGNED')).toBe(1);
    });
    it('a dropped listener connection is opened again by the next sweep tick', async () => {
      const listeners = async () =>
        (
          await net.db.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity
             WHERE datname = current_database() AND application_name = 'samservice-scheduling-listener'`,
          )
        ).rows.map((row) => row.pid);
      const before = await listeners();
      expect(before).toHaveLength(1);
      await net.db.query('SELECT pg_terminate_backend($1)', [before[0]]);
      const after = await eventually(
        listeners,
        (pids) => pids.length === 1 && pids[0] !== before[0],
      );
      expect(after).toHaveLength(1);
      expect(after[0]).not.toBe(before[0]);
    });
  });

  describe('with several scheduling replicas on one database', () => {
    let stack: TestStack;
    let net: Awaited<ReturnType<typeof network>>;
    const replicas: INestApplication[] = [];

    /** One more scheduling replica in this process, once its start-up sweep is done; no periodic sweep within the test. */
    async function replica(): Promise<RevalidationService> {
      const config = testConfig({
        DATABASE_URL: stack.databaseUrl,
        FIXED_NOW: NOW,
        REVALIDATION_SWEEP_SECONDS: '3600',
      });
      const { app } = await startNestApp(
        SchedulingModule.forRoot(config, stack.databaseUrl),
        0,
        '127.0.0.1',
        { service: 'scheduling', level: 'silent', pretty: false },
        { maxRequestBytes: config.maxRequestBytes.subgraph },
      );
      replicas.push(app);
      const revalidation = app.get(RevalidationService);
      await revalidation.idle(); // its start-up sweep is over
      return revalidation;
    }

    beforeAll(async () => {
      // The stack's own scheduling replica sweeps only at start and on NOTIFY here: the
      // changes below are never announced, so only the replicas of this test handle them.
      stack = await startTestStack({ FIXED_NOW: NOW, REVALIDATION_SWEEP_SECONDS: '3600' });
      net = await network(stack);
    });

    afterAll(async () => {
      for (const app of replicas) await app.close();
      await net?.db.end();
      await stack?.stop();
    });

    it('two replicas sweeping at once (twice each) handle every change exactly once', async () => {
      const [a, b] = [await replica(), await replica()];
      const dates = ['2027-04-19', '2027-04-20', '2027-04-21', '2027-04-22', '2027-04-23'];
      const entries: Entry[] = [];
      for (const date of dates) entries.push(await net.bookFirstFree(date));
      const changeIds: string[] = [];
      for (const date of dates) changeIds.push(await net.closeUnannounced(date));

      const sweeps: SweepResult[] = await Promise.all([a.sweep(), b.sweep(), a.sweep(), b.sweep()]);
      const handledBySweeps = sweeps.flatMap((s) => s.handled);
      expect(sweeps.flatMap((s) => s.failed)).toEqual([]);
      expect([...handledBySweeps].sort()).toEqual([...changeIds].sort()); // each once, none twice

      const handled = await net.handled(changeIds);
      expect(handled).toHaveLength(dates.length);
      for (const row of handled) {
        expect(row.handled_at).toBeInstanceOf(Date);
        expect(row.result).toEqual({ kept: 0, reassigned: 0, flagged: 1 });
      }
      for (const entry of entries)
        expect(await net.events(entry.reference, 'NEEDS_REBOOKING')).toBe(1);
      // Nothing left: a further sweep finds no work.
      expect(await a.sweep()).toEqual({ handled: [], ended: 0, failed: [] });
    });

    it('a change another replica is working on is skipped, not waited for; handled by the next sweep if that replica dies', async () => {
      const [a, b] = [await replica(), await replica()];
      const entry = await net.bookFirstFree('2027-04-26');
      const changeId = await net.closeUnannounced('2027-04-26');
      // A replica notes the change and claims it (its row lock), then "dies" before recording it.
      await net.db.query(
        `INSERT INTO scheduling.directory_change_handled (change_id, office_id, changed_at)
         SELECT id, office_id, changed_at FROM directory.published_change WHERE id = $1`,
        [changeId],
      );
      const working = new Client({ connectionString: stack.databaseUrl });
      await working.connect();
      try {
        await working.query('BEGIN');
        await working.query(
          'SELECT 1 FROM scheduling.directory_change_handled WHERE change_id = $1 FOR UPDATE',
          [changeId],
        );
        expect(await a.sweep()).toEqual({ handled: [], ended: 0, failed: [] });
        expect((await net.handled([changeId]))[0].handled_at).toBeNull();
        await working.query('ROLLBACK');
      } finally {
        await working.end();
      }

      expect((await b.sweep()).handled).toEqual([changeId]);
      expect((await net.handled([changeId]))[0].result).toEqual({
        kept: 0,
        reassigned: 0,
        flagged: 1,
      });
      expect(await net.events(entry.reference, 'NEEDS_REBOOKING')).toBe(1);
    });

    it('a replica that starts after an unannounced change catches up at start', async () => {
      const entry = await net.bookFirstFree('2027-04-27');
      const changeId = await net.closeUnannounced('2027-04-27');
      await replica(); // sweeps at start, after LISTEN is set up
      expect((await net.handled([changeId]))[0]).toMatchObject({ result: { flagged: 1 } });
      const flagged = (await net.scheduleOf('2027-04-27')).find(
        (e) => e.reference === entry.reference,
      );
      expect(flagged?.status).toBe('NEEDS_REBOOKING');
    });

    it('a change whose span is over is recorded handled without a recheck', async () => {
      const sweeper = await replica();
      const { rows } = await net.db.query<{ id: string }>(
        `INSERT INTO directory.change_log (office_id, kind, scope) VALUES ($1, 'CLOSURE', $2) RETURNING id`,
        [
          net.officeId,
          JSON.stringify({
            officeId: net.officeId,
            kind: 'CLOSURE',
            from: '2027-02-01T23:00:00.000Z',
            to: '2027-02-02T23:00:00.000Z', // before NOW
          }),
        ],
      );
      const result = await sweeper.sweep();
      expect(result).toEqual({ handled: [], ended: 1, failed: [] });
      expect((await net.handled([rows[0].id]))[0]).toMatchObject({
        handled_at: expect.any(Date),
        result: { skipped: 'ended' },
      });
    });
  });
});
