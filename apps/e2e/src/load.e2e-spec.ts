import {
  demoOfficeService,
  errorCodes,
  eventually,
  postGraphQL,
  startTestStack,
  syntheticPersonnummer,
  type TestStack,
} from '@samservice/testing';

const NOW = '2027-03-01T08:00:00+01:00';
const SLOTS = `query($o: ID!, $s: ID!, $d: Date!) {
  availableSlots(officeId: $o, serviceId: $s, from: $d, to: $d) { start capacity } }`;
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }`;
/** What a booking may answer under load: booked, or one of these. Never a server error. */
const ACCEPTABLE = new Set(['SLOT_UNAVAILABLE', 'LIMIT_REACHED']);

async function orebroTaxHelp(stack: TestStack) {
  const { officeId, serviceId } = await demoOfficeService(stack, 'Örebro', 'tax-return-help');
  return { office: officeId, service: serviceId };
}

const ACTIVE = `('HELD', 'BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE')`;
const OVERLAPS = `SELECT count(*)::int AS count FROM scheduling.appointment a JOIN scheduling.appointment b
  ON a.id < b.id AND (a.counter_id = b.counter_id OR a.staff_id = b.staff_id)
  AND tstzrange(a.starts_at, a.busy_until) && tstzrange(b.starts_at, b.busy_until)
  WHERE a.status IN ${ACTIVE} AND b.status IN ${ACTIVE}`;

describe('under load: bounded work, retryable refusals, processes that come back', () => {
  describe('more concurrent bookings than every admission limit', () => {
    let stack: TestStack;
    let target: { office: string; service: string };

    beforeAll(async () => {
      // Tiny limits, so 60 bookings at once are far more than the gateway forwards (4) and
      // the scheduling subgraph admits (its pool: 2 connections).
      stack = await startTestStack({
        FIXED_NOW: NOW,
        GATEWAY_ADMISSION_LIMIT: '4',
        DATABASE_POOL_SIZE: '2',
      });
      target = await orebroTaxHelp(stack);
    });

    afterAll(async () => {
      await stack?.stop();
    });

    it('queues them: each is booked or refused with a booking answer, none is a server error', async () => {
      const date = '2027-03-09';
      const slots =
        (
          await stack.query<{ availableSlots: Array<{ start: string; capacity: number }> }>(SLOTS, {
            o: target.office,
            s: target.service,
            d: date,
          })
        ).data?.availableSlots ?? [];
      const wanted = slots.slice(0, 3);
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          stack.query<{ bookAppointment: { id: string } }>(BOOK, {
            input: {
              officeId: target.office,
              serviceId: target.service,
              start: wanted[i % wanted.length].start,
              citizen: { personnummer: syntheticPersonnummer(i + 1, 1970), name: 'Rusning' },
            },
          }),
        ),
      );
      const codes = answers.flatMap((a) => errorCodes(a));
      expect(codes.filter((code) => !ACCEPTABLE.has(code as string))).toEqual([]);
      expect(answers.every((a) => a.status === 200)).toBe(true);
      const booked = answers.filter((a) => a.data?.bookAppointment?.id).length;
      expect(booked).toBeGreaterThan(0);
      // Every refusal was honest: those times are full now.
      const after =
        (
          await stack.query<{ availableSlots: Array<{ start: string }> }>(SLOTS, {
            o: target.office,
            s: target.service,
            d: date,
          })
        ).data?.availableSlots ?? [];
      expect(after.filter((slot) => wanted.some((w) => w.start === slot.start))).toEqual([]);
      expect((await stack.sql<{ count: number }>(OVERLAPS))[0].count).toBe(0);
      expect((await fetch(`${stack.gatewayUrl}/ready`)).status).toBe(200);
    });

    it('brings a subgraph killed under load back, and answers SERVICE_UNAVAILABLE meanwhile', async () => {
      const directory = stack.processes.find((p) => p.name === 'directory');
      const pid = directory?.pid() as number;
      expect(pid).toBeGreaterThan(0);
      const codes: unknown[] = [];
      let loading = true;
      const load = (async () => {
        while (loading) {
          const answer = await postGraphQL(stack.graphqlUrl, '{ offices { id name } }');
          codes.push(...(answer.errors ? errorCodes(answer) : ['OK']));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 200));
      process.kill(pid, 'SIGKILL');
      const down = await eventually(
        async () => (await fetch(`${stack.gatewayUrl}/ready`)).status,
        (status) => status === 503,
        50,
      );
      expect(down).toBe(503);
      const up = await eventually(
        async () => (await fetch(`${stack.gatewayUrl}/ready`)).status,
        (status) => status === 200,
        200,
      );
      loading = false;
      await load;
      expect(up).toBe(200);
      expect(directory?.restarts()).toBe(1);
      expect(directory?.pid()).not.toBe(pid);
      // Before, during and after: answers or a retryable refusal, never a server error.
      expect(new Set(codes)).toEqual(new Set(['OK', 'SERVICE_UNAVAILABLE']));
      const after = await postGraphQL(stack.graphqlUrl, '{ offices { id } }');
      expect(after.errors).toBeUndefined();
    });
  });

  describe('when the line is full', () => {
    let stack: TestStack;

    beforeAll(async () => {
      stack = await startTestStack({
        FIXED_NOW: NOW,
        GATEWAY_ADMISSION_LIMIT: '1',
        ADMISSION_QUEUE_LIMIT: '0',
      });
    });

    afterAll(async () => {
      await stack?.stop();
    });

    it('refuses at once with HTTP 503, SERVICE_UNAVAILABLE and when to try again', async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          postGraphQL(stack.graphqlUrl, '{ offices { id services { id name } } }'),
        ),
      );
      const refused = answers.filter((a) => a.status === 503);
      expect(refused.length).toBeGreaterThan(0);
      for (const answer of refused) {
        expect(errorCodes(answer)).toEqual(['SERVICE_UNAVAILABLE']);
        const seconds = answer.errors?.[0]?.extensions?.['retryAfterSeconds'];
        expect(typeof seconds).toBe('number');
        expect(answer.headers.get('retry-after')).toBe(String(seconds));
        expect(answer.errors?.[0]?.message).toMatch(/try again/);
      }
      // The rest were answered in full, and health checks never wait in the line.
      expect(answers.filter((a) => a.status === 200).every((a) => !a.errors)).toBe(true);
      expect((await fetch(`${stack.gatewayUrl}/health`)).status).toBe(200);
    });
  });
});
