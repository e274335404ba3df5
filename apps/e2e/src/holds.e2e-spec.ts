import {
  errorCodes,
  startTestStack,
  syntheticPersonnummer,
  type GraphQLResponse,
  type TestStack,
} from '@samservice/testing';

/**
 * Holds given back early (releaseHold) and holds of joint visits (holdJointVisit, then
 * bookJointVisit with its holdToken), through the gateway. Expiry is simulated as the slot
 * hold tests do (booking.e2e-spec): "now" is pinned with FIXED_NOW and a hold's expiry is
 * moved into the past in SQL.
 */

/** "Now" for this suite: Monday 1 March 2027, 08:00 in Stockholm. */
const NOW = '2027-03-01T08:00:00+01:00';

const personnummer = (n: number): string => syntheticPersonnummer(n, 1960);

interface Part {
  service: { id: string };
  start: string;
  end: string;
}

interface Option {
  start: string;
  end: string;
  parts: Part[];
}

interface JointHold {
  token: string;
  start: string;
  end: string;
  expiresAt: string;
  office: { id: string };
  parts: Part[];
}

const SLOTS = `query($o: ID!, $s: ID!, $d: Date!) {
  availableSlots(officeId: $o, serviceId: $s, from: $d, to: $d) { start capacity } }`;
const HOLD_SLOT = `mutation($input: HoldSlotInput!) { holdSlot(input: $input) { token start } }`;
const BOOK_ONE = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id status } }`;
const RELEASE = `mutation($t: ID!) { releaseHold(token: $t) }`;
const OPTIONS = `query($s: [ID!]!, $o: ID!, $d: Date!) {
  jointVisitOptions(serviceIds: $s, officeId: $o, from: $d, to: $d, limit: 50) {
    start end parts { service { id } start end } } }`;
const HOLD_JOINT = `mutation($input: HoldJointVisitInput!) {
  holdJointVisit(input: $input) { token start end expiresAt office { id } parts { service { id } start end } } }`;
const BOOK_JOINT = `mutation($input: BookJointVisitInput!) {
  bookJointVisit(input: $input) { id reference status start end appointments { id status start end service { id } } } }`;

describe('holds: releaseHold and joint-visit holds through the gateway', () => {
  let stack: TestStack;
  let orebro: { id: string; services: Array<{ id: string; code: string }> };
  let taxHelp: string;
  let joint: string[];
  let people = 0;

  const service = (code: string) => orebro.services.find((s) => s.code === code)?.id as string;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    stack.sql<T>(text, params);
  /** A client of its own (holds are counted per client): a citizen signed in with e-ID. */
  const client = () => {
    const n = ++people;
    return stack.tokenFor({
      role: 'citizen',
      subject: `holder-${n}`,
      personnummer: personnummer(n).replace('-', ''),
    });
  };
  const citizen = () => ({ personnummer: personnummer(++people), name: 'Test Person' });
  const as = <T>(query: string, variables: Record<string, unknown>, token?: string) =>
    stack.query<T>(query, variables, token ? { token } : {});

  const capacityAt = async (serviceId: string, start: string) =>
    (
      (
        await as<{ availableSlots: Array<{ start: string; capacity: number }> }>(SLOTS, {
          o: orebro.id,
          s: serviceId,
          d: start.slice(0, 10),
        })
      ).data?.availableSlots ?? []
    ).find((s) => s.start === start)?.capacity ?? 0;
  const release = (token: unknown): Promise<GraphQLResponse<{ releaseHold: boolean }>> =>
    as<{ releaseHold: boolean }>(RELEASE, { t: token });
  const options = async (date: string, ids = joint) =>
    (await as<{ jointVisitOptions: Option[] }>(OPTIONS, { s: ids, o: orebro.id, d: date })).data
      ?.jointVisitOptions ?? [];
  const holdJoint = (start: string, token?: string, extra: Record<string, unknown> = {}) =>
    as<{ holdJointVisit: JointHold }>(
      HOLD_JOINT,
      { input: { officeId: orebro.id, serviceIds: joint, start, ...extra } },
      token,
    );
  const bookJoint = (start: string, extra: Record<string, unknown> = {}) =>
    as<{
      bookJointVisit: {
        id: string;
        start: string;
        appointments: Array<{
          status: string;
          start: string;
          end: string;
          service: { id: string };
        }>;
      };
    }>(BOOK_JOINT, {
      input: { officeId: orebro.id, serviceIds: joint, start, citizen: citizen(), ...extra },
    });
  /** Holds every chain at `start`, each by a client of its own, until none is left. */
  const holdAll = async (start: string): Promise<JointHold[]> => {
    const held: JointHold[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await holdJoint(start, await client());
      if (response.errors) {
        expect(errorCodes(response)).toEqual(['SLOT_UNAVAILABLE']);
        return held;
      }
      held.push(response.data?.holdJointVisit as JointHold);
    }
    throw new Error('more than 20 chains at one start');
  };
  const heldRows = (token: string) =>
    sql<{ counter_id: string; staff_id: string; starts_at: Date; ends_at: Date }>(
      `SELECT counter_id, staff_id, starts_at, ends_at FROM scheduling.appointment
       WHERE hold_group = $1 AND status = 'HELD' ORDER BY starts_at`,
      [token],
    );
  const appointmentCount = async () =>
    (await sql<{ n: number }>('SELECT count(*)::int AS n FROM scheduling.appointment'))[0].n;
  const noOverlaps = async () =>
    expect(
      await sql(
        `SELECT 1 FROM scheduling.appointment a JOIN scheduling.appointment b
           ON a.id < b.id AND (a.staff_id = b.staff_id OR (a.office_id = b.office_id AND a.counter_id = b.counter_id))
          AND tstzrange(a.starts_at, a.busy_until) && tstzrange(b.starts_at, b.busy_until)
         WHERE a.status IN ('HELD', 'BOOKED') AND b.status IN ('HELD', 'BOOKED')`,
      ),
    ).toEqual([]);

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
    const response = await stack.query<{
      offices: Array<typeof orebro & { municipality: string }>;
    }>('{ offices { id municipality services { id code } } }');
    orebro = response.data?.offices.find((o) => o.municipality === 'Örebro') as typeof orebro;
    taxHelp = service('tax-return-help');
    joint = [service('move-to-sweden'), service('eu-card')];
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('releaseHold', () => {
    it('frees a held slot at once: availableSlots lists it again and another citizen books it', async () => {
      const day = '2027-03-02';
      const [target] =
        (
          await as<{ availableSlots: Array<{ start: string; capacity: number }> }>(SLOTS, {
            o: orebro.id,
            s: taxHelp,
            d: day,
          })
        ).data?.availableSlots ?? [];
      const tokens: string[] = [];
      for (let i = 0; i < target.capacity; i++) {
        const held = await as<{ holdSlot: { token: string } }>(
          HOLD_SLOT,
          { input: { officeId: orebro.id, serviceId: taxHelp, start: target.start } },
          await client(),
        );
        expect(held.errors).toBeUndefined();
        tokens.push(held.data?.holdSlot.token as string);
      }
      expect(await capacityAt(taxHelp, target.start)).toBe(0);
      const input = { officeId: orebro.id, serviceId: taxHelp, start: target.start };
      expect(errorCodes(await as(BOOK_ONE, { input: { ...input, citizen: citizen() } }))).toEqual([
        'SLOT_UNAVAILABLE',
      ]);

      // Anyone with the token may give it back (it is the capability): here an anonymous call.
      expect((await release(tokens[0])).data).toEqual({ releaseHold: true });
      expect(await capacityAt(taxHelp, target.start)).toBe(1);
      const booked = await as<{ bookAppointment: { status: string } }>(BOOK_ONE, {
        input: { ...input, citizen: citizen() },
      });
      expect(booked.errors).toBeUndefined();
      expect(booked.data?.bookAppointment.status).toBe('BOOKED');
      const events = await sql<{ type: string; actor_role: string }>(
        `SELECT type, actor_role FROM scheduling.appointment_event WHERE appointment_id = $1 ORDER BY occurred_at`,
        [tokens[0]],
      );
      expect(events.map((e) => [e.type, e.actor_role])).toEqual([
        ['HELD', 'CITIZEN'],
        ['RELEASED', 'ANONYMOUS'],
      ]);
      // Released once: a second release is like an unknown token.
      expect((await release(tokens[0])).data).toEqual({ releaseHold: false });
      for (const token of tokens.slice(1)) await release(token);
    });

    it('answers false for an unknown, malformed, expired or booked token and changes nothing', async () => {
      const day = '2027-03-02';
      const slots =
        (
          await as<{ availableSlots: Array<{ start: string }> }>(SLOTS, {
            o: orebro.id,
            s: taxHelp,
            d: day,
          })
        ).data?.availableSlots ?? [];
      const holder = await client();
      const hold = async (start: string) =>
        (
          await as<{ holdSlot: { token: string } }>(
            HOLD_SLOT,
            { input: { officeId: orebro.id, serviceId: taxHelp, start } },
            holder,
          )
        ).data?.holdSlot.token as string;
      const expired = await hold(slots[5].start);
      await sql(
        `UPDATE scheduling.appointment SET hold_expires_at = '2027-03-01T07:00:00+01:00' WHERE id = $1`,
        [expired],
      );
      const bookedToken = await hold(slots[6].start);
      const booked = await as<{ bookAppointment: { id: string } }>(BOOK_ONE, {
        input: {
          officeId: orebro.id,
          serviceId: taxHelp,
          start: slots[6].start,
          citizen: citizen(),
          holdToken: bookedToken,
        },
      });
      expect(booked.errors).toBeUndefined();

      const before = await sql(
        'SELECT id, status, hold_expires_at FROM scheduling.appointment ORDER BY id',
      );
      for (const token of [
        '00000000-0000-4000-8000-000000000000',
        'not-a-token',
        "' OR '1'='1",
        'x'.repeat(2000),
        expired,
        bookedToken,
        booked.data?.bookAppointment.id,
      ]) {
        const response = await release(token);
        expect({ token: String(token).slice(0, 40), ...response }).toMatchObject({
          token: String(token).slice(0, 40),
          data: { releaseHold: false },
        });
        expect(response.errors).toBeUndefined();
      }
      expect(
        await sql('SELECT id, status, hold_expires_at FROM scheduling.appointment ORDER BY id'),
      ).toEqual(before);
    });
  });

  describe('holdJointVisit', () => {
    it('holds exactly the chain listed first; bookJointVisit with its token books that chain', async () => {
      const [first] = await options('2027-03-03');
      expect(first).toBeDefined();
      const response = await holdJoint(first.start, await client());
      expect(response.errors).toBeUndefined();
      const hold = response.data?.holdJointVisit as JointHold;
      expect(hold).toMatchObject({
        start: first.start,
        end: first.end,
        expiresAt: '2027-03-01T08:05:00+01:00',
        office: { id: orebro.id },
        parts: first.parts,
      });
      const held = await heldRows(hold.token);
      expect(held).toHaveLength(2);
      expect(held.map((p) => p.starts_at.toISOString())).toEqual(
        first.parts.map((p) => new Date(p.start).toISOString()),
      );

      const booked = await bookJoint(first.start, { holdToken: hold.token });
      expect(booked.errors).toBeUndefined();
      const visit = booked.data?.bookJointVisit;
      expect(visit?.start).toBe(first.start);
      expect(
        visit?.appointments.map((a) => ({ service: a.service, start: a.start, end: a.end })),
      ).toEqual(first.parts);
      // The held rows became the booked ones: same counters and people, no hold left.
      const parts = await sql<{ counter_id: string; staff_id: string; starts_at: Date }>(
        `SELECT counter_id, staff_id, starts_at FROM scheduling.appointment
         WHERE joint_visit_id = $1 ORDER BY starts_at`,
        [visit?.id],
      );
      expect(parts.map((p) => [p.counter_id, p.staff_id])).toEqual(
        held.map((p) => [p.counter_id, p.staff_id]),
      );
      expect(await heldRows(hold.token)).toEqual([]);
      expect((await release(hold.token)).data).toEqual({ releaseHold: false });
      await noOverlaps();
    });

    it('while held, nobody else books or holds the chain; released, the start is offered again', async () => {
      const [first] = await options('2027-03-04');
      const holds = await holdAll(first.start);
      expect(holds.length).toBeGreaterThan(0);
      // Every chain at that start is held: not offered, not bookable, not holdable.
      expect((await options('2027-03-04')).map((o) => o.start)).not.toContain(first.start);
      const before = await appointmentCount();
      const refused = await bookJoint(first.start);
      expect(errorCodes(refused)).toEqual(['SLOT_UNAVAILABLE']);
      expect(refused.errors?.[0].extensions).toMatchObject({ reason: 'FULL' });
      expect(errorCodes(await holdJoint(first.start, await client()))).toEqual([
        'SLOT_UNAVAILABLE',
      ]);
      expect(await appointmentCount()).toBe(before);
      await noOverlaps();

      // A single booking cannot take over one part of a joint hold with its token: the token
      // is ignored (a normal attempt, which may find a counter and person no chain could use).
      await as<{ bookAppointment: { id: string } }>(BOOK_ONE, {
        input: {
          officeId: orebro.id,
          serviceId: joint[0],
          start: first.start,
          citizen: citizen(),
          holdToken: holds[0].token,
        },
      });
      expect(await heldRows(holds[0].token)).toHaveLength(2);
      await noOverlaps();

      // Released: every part at once, and the start is offered again.
      expect((await release(holds[0].token)).data).toEqual({ releaseHold: true });
      expect(await heldRows(holds[0].token)).toEqual([]);
      expect((await options('2027-03-04')).map((o) => o.start)).toContain(first.start);
      for (const hold of holds.slice(1)) await release(hold.token);
    });

    it('two concurrent holds of the last chain at a start: exactly one wins', async () => {
      const [first] = await options('2027-03-05');
      const holds = await holdAll(first.start);
      // One chain free again, then two clients at once.
      expect((await release(holds.at(-1)?.token)).data).toEqual({ releaseHold: true });
      const [a, b] = await Promise.all([client(), client()]);
      const results = await Promise.all([holdJoint(first.start, a), holdJoint(first.start, b)]);
      const won = results.filter((r) => !r.errors);
      const lost = results.filter((r) => r.errors);
      expect(won).toHaveLength(1);
      expect(errorCodes(lost[0])).toEqual(['SLOT_UNAVAILABLE']);
      expect(await heldRows(won[0].data?.holdJointVisit.token as string)).toHaveLength(2);
      await noOverlaps();
    });

    it('expires like a slot hold: then the time is free, and its token books like none', async () => {
      const [first] = await options('2027-03-08');
      const holds = await holdAll(first.start);
      expect((await options('2027-03-08')).map((o) => o.start)).not.toContain(first.start);
      await sql(
        `UPDATE scheduling.appointment SET hold_expires_at = '2027-03-01T07:00:00+01:00'
         WHERE hold_group = ANY($1::uuid[])`,
        [holds.map((h) => h.token)],
      );
      expect((await options('2027-03-08')).map((o) => o.start)).toContain(first.start);
      expect((await release(holds[0].token)).data).toEqual({ releaseHold: false });
      // An expired token is ignored, as bookAppointment ignores one: a normal booking attempt,
      // which removes the expired parts in its way.
      const booked = await bookJoint(first.start, { holdToken: holds[0].token });
      expect(booked.errors).toBeUndefined();
      expect(booked.data?.bookJointVisit.start).toBe(first.start);
      await noOverlaps();
    });

    it('counts a joint hold as one of the client’s holds; a release gives its place back', async () => {
      const holder = await client();
      const [first] = await options('2027-03-09');
      const jointHold = await holdJoint(first.start, holder);
      expect(jointHold.errors).toBeUndefined();
      const day =
        (
          await as<{ availableSlots: Array<{ start: string }> }>(SLOTS, {
            o: orebro.id,
            s: taxHelp,
            d: '2027-03-10',
          })
        ).data?.availableSlots ?? [];
      const holdSlot = (start: string) =>
        as(HOLD_SLOT, { input: { officeId: orebro.id, serviceId: taxHelp, start } }, holder);
      expect((await holdSlot(day[0].start)).errors).toBeUndefined();
      expect((await holdSlot(day[1].start)).errors).toBeUndefined();
      expect(errorCodes(await holdSlot(day[2].start))).toEqual(['LIMIT_REACHED']);
      const [second] = (await options('2027-03-11')) ?? [];
      expect(errorCodes(await holdJoint(second.start, holder))).toEqual(['LIMIT_REACHED']);
      expect((await release(jointHold.data?.holdJointVisit.token)).data).toEqual({
        releaseHold: true,
      });
      expect((await holdSlot(day[2].start)).errors).toBeUndefined();
    });

    it.each([
      [
        '100 service ids',
        { serviceIds: Array.from({ length: 100 }, (_, i) => `id-${i}`) },
        'BAD_USER_INPUT',
      ],
      ['one service twice', 'twice', 'BAD_USER_INPUT'],
      ['a single service', 'single', 'BAD_USER_INPUT'],
      [
        'an unknown service',
        { serviceIds: ['00000000-0000-4000-8000-000000000000', 'x'] },
        'NOT_FOUND',
      ],
      ['an unknown office', { officeId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND'],
      ['a start past every horizon', { start: '2030-03-05T10:00:00+01:00' }, 'SLOT_UNAVAILABLE'],
      ['a start in year 9999', { start: '9999-12-31T10:00:00+01:00' }, 'BAD_USER_INPUT'],
      ['a malformed start', { start: 'tomorrow' }, 'BAD_USER_INPUT'],
      ['a start when closed', { start: '2027-03-06T10:00:00+01:00' }, 'SLOT_UNAVAILABLE'],
      ['an unknown language', { language: 'xx' }, 'BAD_USER_INPUT'],
      ['200 needs', { needs: Array.from({ length: 200 }, () => 'HEARING_LOOP') }, 'BAD_USER_INPUT'],
    ] as const)(
      'refuses to hold %s with a stable code, writing nothing',
      async (_l, change, code) => {
        const [first] = await options('2027-03-12');
        const extra =
          change === 'twice'
            ? { serviceIds: [joint[0], joint[0]] }
            : change === 'single'
              ? { serviceIds: [joint[0]] }
              : change;
        const before = await appointmentCount();
        const response = await holdJoint(first.start, await client(), extra);
        expect(errorCodes(response)).toEqual([code]);
        expect(response.status).toBeLessThan(500);
        expect(await appointmentCount()).toBe(before);
      },
    );

    it('refuses a malformed holdToken when booking, writing nothing', async () => {
      const [first] = await options('2027-03-12');
      const before = await appointmentCount();
      expect(errorCodes(await bookJoint(first.start, { holdToken: 'garbage' }))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(await appointmentCount()).toBe(before);
    });
  });
});
