import {
  errorCodes,
  startTestStack,
  type TestStack,
  syntheticPersonnummer,
  eventually,
} from '@samservice/testing';

const NOW = '2027-03-01T08:00:00+01:00';

const personnummer = (n: number): string => syntheticPersonnummer(n, 1985);

interface Entry {
  reference: string;
  status: string;
  start: string;
  counterId: string;
  staffId: string;
}

describe('directory changes under booked appointments', () => {
  let stack: TestStack;
  let admin: string;
  let orebro: { id: string; services: Array<{ id: string; code: string }> };
  let taxHelp: string;
  let n = 0;

  const scheduleOf = async (date: string) =>
    (
      await stack.query<{ officeSchedule: Entry[] }>(
        'query($o: ID!, $d: Date!) { officeSchedule(officeId: $o, date: $d) { reference status start counterId staffId } }',
        { o: orebro.id, d: date },
        { token: admin },
      )
    ).data?.officeSchedule ?? [];

  async function bookFirstFree(date: string): Promise<Entry> {
    const slots = await stack.query<{ availableSlots: Array<{ start: string }> }>(
      'query($o: ID!, $s: ID!, $d: Date!) { availableSlots(officeId: $o, serviceId: $s, from: $d, to: $d) { start } }',
      { o: orebro.id, s: taxHelp, d: date },
    );
    const start = slots.data?.availableSlots[0]?.start as string;
    const booked = await stack.query<{ bookAppointment: { reference: string } }>(
      'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { reference } }',
      {
        input: {
          officeId: orebro.id,
          serviceId: taxHelp,
          start,
          citizen: { personnummer: personnummer(++n), name: 'Ändrad Person' },
        },
      },
    );
    expect(booked.errors).toBeUndefined();
    return (await scheduleOf(date)).find(
      (e) => e.reference === booked.data?.bookAppointment.reference,
    ) as Entry;
  }

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
    admin = await stack.tokenFor({ role: 'admin', subject: 'admin' });
    const response = await stack.query<{
      offices: Array<typeof orebro & { municipality: string }>;
    }>('{ offices { id municipality services { id code } } }');
    orebro = response.data?.offices.find((o) => o.municipality === 'Örebro') as typeof orebro;
    taxHelp = orebro.services.find((s) => s.code === 'tax-return-help')?.id as string;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('an absence reports the appointments it hits, and they move to another trained person', async () => {
    const entry = await bookFirstFree('2027-04-06');
    const absence = await stack.query<{ addAbsence: { affectedAppointments: number } }>(
      'mutation($s: ID!) { addAbsence(staffId: $s, input: { start: "2027-04-06T00:00:00+02:00", end: "2027-04-07T00:00:00+02:00", reason: "Sjuk" }) { affectedAppointments } }',
      { s: entry.staffId },
      { token: admin },
    );
    expect(absence.errors).toBeUndefined();
    expect(absence.data?.addAbsence.affectedAppointments).toBeGreaterThanOrEqual(1);
    const moved = await eventually(
      async () => (await scheduleOf('2027-04-06')).find((e) => e.reference === entry.reference),
      (e) => e?.staffId !== entry.staffId,
    );
    expect(moved).toMatchObject({ status: 'BOOKED', start: entry.start });
    expect(moved?.staffId).not.toBe(entry.staffId);
  });

  it('a counter out of order moves its appointments to another counter', async () => {
    const entry = await bookFirstFree('2027-04-08');
    const update = await stack.query<{
      updateCounter: { status: string; affectedAppointments: number };
    }>(
      'mutation($c: ID!) { updateCounter(id: $c, input: { status: OUT_OF_ORDER }) { status affectedAppointments } }',
      { c: entry.counterId },
      { token: admin },
    );
    expect(update.data?.updateCounter).toMatchObject({ status: 'OUT_OF_ORDER' });
    expect(update.data?.updateCounter.affectedAppointments).toBeGreaterThanOrEqual(1);
    const moved = await eventually(
      async () => (await scheduleOf('2027-04-08')).find((e) => e.reference === entry.reference),
      (e) => e?.counterId !== entry.counterId,
    );
    expect(moved).toMatchObject({ status: 'BOOKED', start: entry.start });
  });

  it('a closure flags what it hits NEEDS_REBOOKING for staff to move, never silently', async () => {
    const entry = await bookFirstFree('2027-04-07');
    const closure = await stack.query<{ addClosure: { affectedAppointments: number } }>(
      'mutation($o: ID!) { addClosure(officeId: $o, input: { from: "2027-04-07", to: "2027-04-07", reason: "Vattenläcka" }) { affectedAppointments } }',
      { o: orebro.id },
      { token: admin },
    );
    expect(closure.data?.addClosure.affectedAppointments).toBeGreaterThanOrEqual(1);
    const affected = await eventually(
      async () =>
        (
          await stack.query<{ affectedAppointments: Entry[] }>(
            'query($o: ID!) { affectedAppointments(officeId: $o) { reference status start } }',
            { o: orebro.id },
            { token: admin },
          )
        ).data?.affectedAppointments ?? [],
      (list) => list.some((e) => e.reference === entry.reference),
    );
    expect(affected.find((e) => e.reference === entry.reference)).toMatchObject({
      status: 'NEEDS_REBOOKING',
    });

    // Staff move it to another day: booked again, off the list.
    const staff = await stack.tokenFor({
      role: 'staff',
      subject: 'desk',
      offices: [orebro.id],
      adminOffices: [],
      competences: ['SKV'],
    });
    const moved = await stack.query<{ rescheduleAppointment: { status: string } }>(
      'mutation($r: String!) { rescheduleAppointment(reference: $r, start: "2027-04-09T10:00:00+02:00") { status } }',
      { r: entry.reference },
      { token: staff },
    );
    expect(moved.data?.rescheduleAppointment.status).toBe('BOOKED');
    const after = await stack.query<{ affectedAppointments: Entry[] }>(
      'query($o: ID!) { affectedAppointments(officeId: $o) { reference } }',
      { o: orebro.id },
      { token: staff },
    );
    expect(after.data?.affectedAppointments.map((e) => e.reference)).not.toContain(entry.reference);
    expect(
      errorCodes(
        await stack.query('query($o: ID!) { affectedAppointments(officeId: $o) { reference } }', {
          o: orebro.id,
        }),
      ),
    ).toEqual(['UNAUTHENTICATED']);
  });

  it('shorter hours on a day flag the visits left outside them', async () => {
    const entry = await bookFirstFree('2027-04-12');
    const exception = await stack.query(
      'mutation($o: ID!) { addOpeningException(officeId: $o, input: { date: "2027-04-12", start: "13:00", end: "16:00", note: "Personalmöte på förmiddagen" }) { id } }',
      { o: orebro.id },
      { token: admin },
    );
    expect(exception.errors).toBeUndefined();
    const flagged = await eventually(
      async () => (await scheduleOf('2027-04-12')).find((e) => e.reference === entry.reference),
      (e) => e?.status === 'NEEDS_REBOOKING',
    );
    expect(flagged?.status).toBe('NEEDS_REBOOKING');
  });

  it('a booking is judged as booked: opening later by ten minutes closes 09:00, not the grid it was on', async () => {
    const offices = (
      await stack.query<{
        offices: Array<{
          id: string;
          municipality: string;
          services: Array<{ id: string; code: string }>;
        }>;
      }>('{ offices { id municipality services { id code } } }')
    ).data?.offices;
    const hallsberg = offices?.find((o) => o.municipality === 'Hallsberg') as NonNullable<
      typeof offices
    >[number];
    const date = '2027-04-13'; // a Tuesday
    const schedule = async () =>
      (
        await stack.query<{ officeSchedule: Entry[] }>(
          'query($o: ID!, $d: Date!) { officeSchedule(officeId: $o, date: $d) { reference status start counterId staffId } }',
          { o: hallsberg.id, d: date },
          { token: admin },
        )
      ).data?.officeSchedule ?? [];
    const booked: Record<string, Entry> = {};
    for (const time of ['09:00', '09:15']) {
      const start = `${date}T${time}:00+02:00`;
      for (const service of hallsberg.services) {
        const response = await stack.query<{ bookAppointment: { reference: string } }>(
          'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { reference } }',
          {
            input: {
              officeId: hallsberg.id,
              serviceId: service.id,
              start,
              citizen: { personnummer: personnummer(++n), name: 'Tidig Person' },
            },
          },
        );
        if (!response.errors) {
          booked[time] = (await schedule()).find(
            (e) => e.reference === response.data?.bookAppointment.reference,
          ) as Entry;
          break;
        }
      }
      expect(booked[time]).toBeDefined();
    }
    const weekly =
      (
        await stack.query<{
          office: { weeklyOpeningHours: Array<{ weekday: number; start: string; end: string }> };
        }>('query($o: ID!) { office(id: $o) { weeklyOpeningHours { weekday start end } } }', {
          o: hallsberg.id,
        })
      ).data?.office.weeklyOpeningHours ?? [];
    const later = weekly.map((h) =>
      h.weekday === 2 && h.start === '09:00' ? { ...h, start: '09:10' } : h,
    );
    expect(later).not.toEqual(weekly);
    const edit = await stack.query(
      'mutation($o: ID!, $h: [WeeklyHoursInput!]!) { setWeeklyOpeningHours(officeId: $o, hours: $h) { id } }',
      { o: hallsberg.id, h: later },
      { token: admin },
    );
    expect(edit.errors).toBeUndefined();
    const flagged = await eventually(
      async () => (await schedule()).find((e) => e.reference === booked['09:00'].reference),
      (e) => e?.status === 'NEEDS_REBOOKING',
    );
    expect(flagged?.status).toBe('NEEDS_REBOOKING');
    // 09:15 is off the new grid (09:10, 09:25, …) but still open and served: it stays as it was.
    expect((await schedule()).find((e) => e.reference === booked['09:15'].reference)).toEqual(
      booked['09:15'],
    );
  });
});
