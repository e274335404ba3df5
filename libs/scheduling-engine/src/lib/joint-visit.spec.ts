import {
  availableSlots,
  jointVisitOptions,
  jointVisitOptionsBaseline,
  type EngineCounter,
  type EngineService,
  type EngineStaff,
  type Interval,
  type JointVisitInput,
  type JointVisitOption,
} from '../index';

const DAY = '2026-03-02';

const t = (hhmm: string): number => Date.parse(`${DAY}T${hhmm}:00.000Z`);
const span = (from: string, to: string): Interval => ({ start: t(from), end: t(to) });
const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

function service(id: string, agencyId: string, overrides: Partial<EngineService> = {}) {
  return {
    id,
    agencyId,
    durationMinutes: 30,
    bufferAfterMinutes: 0,
    slotGranularityMinutes: 5,
    minNoticeMinutes: 0,
    needsPrivateRoom: false,
    languages: ['sv'],
    ...overrides,
  } satisfies EngineService;
}

function counter(id: string, overrides: Partial<EngineCounter> = {}): EngineCounter {
  return {
    id,
    privateRoom: false,
    accessibleDesk: false,
    hearingLoop: false,
    allocations: [],
    busy: [],
    ...overrides,
  };
}

function person(id: string, agencyIds: string[], overrides: Partial<EngineStaff> = {}) {
  return {
    id,
    agencyIds,
    serviceIds: [],
    languages: ['sv'],
    available: [span('08:00', '17:00')],
    busy: [],
    ...overrides,
  } satisfies EngineStaff;
}

const FK = service('fk-sjuk', 'FK');
const SKV = service('skv-flytt', 'SKV', { durationMinutes: 20 });

function input(overrides: Partial<JointVisitInput> = {}): JointVisitInput {
  return {
    services: [FK, SKV],
    open: [span('09:00', '12:00')],
    counters: [counter('c1'), counter('c2')],
    staff: [person('anna', ['FK', 'SKV'])],
    now: t('00:00'),
    horizonEnd: t('23:59'),
    // Only options starting at 09:00 unless a test widens the range.
    from: t('09:00'),
    to: t('09:01'),
    ...overrides,
  };
}

/** "09:00-09:30 fk-sjuk c1/anna" per part, for readable failures. */
const describeParts = (option: JointVisitOption | undefined): string[] =>
  (option?.parts ?? []).map(
    (p) => `${hhmm(p.start)}-${hhmm(p.end)} ${p.serviceId} ${p.counterId}/${p.staffId}`,
  );

/** Both implementations, asserting they agree. */
function options(i: JointVisitInput): JointVisitOption[] {
  const result = jointVisitOptions(i);
  expect(jointVisitOptionsBaseline(i)).toEqual(result);
  return result;
}

describe('jointVisitOptions', () => {
  it('prefers one cross-trained person at one counter (0 hand-offs) over a faster chain with a hand-off', () => {
    // The buffer after FK keeps anna and her counter busy until 09:40; bo and cia could do it
    // back to back by 09:50 with a hand-off, anna alone only by 10:00.
    const fk = service('fk-sjuk', 'FK', { bufferAfterMinutes: 10 });
    const staff = [person('bo', ['FK']), person('cia', ['SKV']), person('anna', ['FK', 'SKV'])];
    const [best] = options(input({ services: [fk, SKV], staff }));
    expect(describeParts(best)).toEqual([
      '09:00-09:30 fk-sjuk c1/anna',
      '09:40-10:00 skv-flytt c1/anna',
    ]);
    expect(best.handOffs).toBe(0);
    expect([hhmm(best.start), hhmm(best.end)]).toEqual(['09:00', '10:00']);

    // Without anna: the hand-off chain, the next part exactly at the previous end.
    const [handOff] = options(input({ services: [fk, SKV], staff: staff.slice(0, 2) }));
    expect(describeParts(handOff)).toEqual([
      '09:00-09:30 fk-sjuk c1/bo',
      '09:30-09:50 skv-flytt c2/cia',
    ]);
    expect(handOff.handOffs).toBe(1);
  });

  it('among chains with the fewest hand-offs takes the shortest, then the smallest ids', () => {
    const staff = [person('bo', ['FK', 'SKV']), person('anna', ['FK', 'SKV'])];
    const [best] = options(input({ staff, counters: [counter('c2'), counter('c1')] }));
    expect(describeParts(best)).toEqual([
      '09:00-09:30 fk-sjuk c1/anna',
      '09:30-09:50 skv-flytt c1/anna',
    ]);
  });

  it('refuses a next part more than the gap after the previous end', () => {
    // Only sven gives SKV, and he is busy until 09:41: the first later start is 09:45.
    const staff = [
      person('anna', ['FK']),
      person('sven', ['SKV'], { busy: [span('08:00', '09:41')] }),
    ];
    const services = [FK, service('skv-flytt', 'SKV', { durationMinutes: 20 })];
    expect(options(input({ services, staff }))).toEqual([]);
    expect(options(input({ services, staff, maxGapMinutes: 10 }))).toEqual([]);
    expect(options(input({ services, staff, maxGapMinutes: 14 }))).toEqual([]);
    for (const maxGapMinutes of [15, 20]) {
      const [best] = options(input({ services, staff, maxGapMinutes }));
      expect(describeParts(best)).toEqual([
        '09:00-09:30 fk-sjuk c1/anna',
        '09:45-10:05 skv-flytt c1/sven',
      ]);
    }
  });

  it('starts a later part in 5-minute steps from the previous end, off its own grid', () => {
    // SKV's grid is 15 minutes, but after a 25-minute part with a 5-minute buffer the same
    // person continues at 09:30: 5 minutes after the end, not at the grid point 09:45.
    const fk = service('fk-sjuk', 'FK', { durationMinutes: 25, bufferAfterMinutes: 5 });
    const skv = service('skv-flytt', 'SKV', { durationMinutes: 20, slotGranularityMinutes: 15 });
    const [best] = options(input({ services: [fk, skv], staff: [person('anna', ['FK', 'SKV'])] }));
    expect(describeParts(best)).toEqual([
      '09:00-09:25 fk-sjuk c1/anna',
      '09:30-09:50 skv-flytt c1/anna',
    ]);
    expect(best.handOffs).toBe(0);
  });

  it('keeps a gap of 0 strictly back to back', () => {
    // A gap of 0: strictly back to back.
    const [tight] = options(input({ staff: [person('anna', ['FK', 'SKV'])], maxGapMinutes: 0 }));
    expect(describeParts(tight)).toEqual([
      '09:00-09:30 fk-sjuk c1/anna',
      '09:30-09:50 skv-flytt c1/anna',
    ]);
  });

  it('with anyOrder finds an order the given order cannot', () => {
    // The SKV officer leaves at 09:30, the FK officer arrives at 09:20.
    const staff = [
      person('anna', ['FK'], { available: [span('09:20', '17:00')] }),
      person('sven', ['SKV'], { available: [span('08:00', '09:30')] }),
    ];
    const wide = { staff, from: t('09:00'), to: t('12:00') };
    expect(options(input(wide))).toEqual([]);
    const [best] = options(input({ ...wide, anyOrder: true }));
    expect(describeParts(best)).toEqual([
      '09:00-09:20 skv-flytt c1/sven',
      '09:20-09:50 fk-sjuk c1/anna',
    ]);
    expect(best.handOffs).toBe(1);
  });

  it('with anyOrder keeps the given order at a tie', () => {
    const [best] = options(input({ anyOrder: true }));
    expect(best.parts.map((p) => p.serviceId)).toEqual(['fk-sjuk', 'skv-flytt']);
  });

  it('respects the agency allocation of each part', () => {
    // c1 is FK's this morning and c2 SKV's: anna must change counters between the parts.
    const counters = [
      counter('c1', { allocations: [{ ...span('08:00', '12:00'), agencyId: 'FK' }] }),
      counter('c2', { allocations: [{ ...span('08:00', '12:00'), agencyId: 'SKV' }] }),
    ];
    const [best] = options(input({ counters }));
    expect(describeParts(best)).toEqual([
      '09:00-09:30 fk-sjuk c1/anna',
      '09:30-09:50 skv-flytt c2/anna',
    ]);
    expect(best.handOffs).toBe(1);
    // With only SKV's counter, FK cannot be served at all.
    expect(options(input({ counters: [counters[1]], to: t('12:00') }))).toEqual([]);
  });

  it('keeps the buffer between parts by the same person and at the same counter', () => {
    const fk = service('fk-sjuk', 'FK', { bufferAfterMinutes: 15 });
    // One person, one counter: the next part only at 09:45, which a gap of 10 does not allow.
    expect(options(input({ services: [fk, SKV], counters: [counter('c1')] }))).toEqual([]);
    const [late] = options(
      input({ services: [fk, SKV], counters: [counter('c1')], maxGapMinutes: 15 }),
    );
    expect(describeParts(late)).toEqual([
      '09:00-09:30 fk-sjuk c1/anna',
      '09:45-10:05 skv-flytt c1/anna',
    ]);
    // A second person does not help while the only counter is in its buffer...
    const two = [person('anna', ['FK', 'SKV']), person('bo', ['FK', 'SKV'])];
    expect(options(input({ services: [fk, SKV], counters: [counter('c1')], staff: two }))).toEqual(
      [],
    );
    // ...a second counter does: a hand-off at 09:30.
    const [handOff] = options(input({ services: [fk, SKV], staff: two }));
    expect(describeParts(handOff)).toEqual([
      '09:00-09:30 fk-sjuk c1/anna',
      '09:30-09:50 skv-flytt c2/bo',
    ]);
  });

  it('does not reuse a person for two parts of a chain that overlap, even non-adjacent ones', () => {
    // Part 1 has a long buffer; anna cannot come back for part 3 while it runs (no gaps).
    const a = service('a', 'A', { durationMinutes: 10, bufferAfterMinutes: 30 });
    const b = service('b', 'B', { durationMinutes: 10 });
    const c = service('c', 'A', { durationMinutes: 10 });
    const staff = [person('anna', ['A']), person('bo', ['B'])];
    const [best] = options(
      input({
        services: [a, b, c],
        staff,
        counters: [counter('c1'), counter('c2'), counter('c3')],
        maxGapMinutes: 0,
      }),
    );
    // b at 09:10-09:20, c at 09:20 would need anna (busy to 09:40): no chain from 09:00.
    expect(best).toBeUndefined();
    const [withCarl] = options(
      input({
        services: [a, b, c],
        staff: [...staff, person('carl', ['A'])],
        counters: [counter('c1'), counter('c2'), counter('c3')],
        maxGapMinutes: 0,
      }),
    );
    expect(describeParts(withCarl)).toEqual([
      '09:00-09:10 a c1/anna',
      '09:10-09:20 b c2/bo',
      '09:20-09:30 c c2/carl', // c1 is still in a's buffer
    ]);
    expect(withCarl.handOffs).toBe(2);
  });

  it('applies needs to every part, and extra minutes per part', () => {
    const staff = [
      person('anna', ['FK', 'SKV'], { languages: ['sv', 'ar'] }),
      person('bo', ['FK']),
    ];
    const counters = [counter('c1'), counter('c2', { accessibleDesk: true })];
    const needs = { language: 'ar', wheelchairAccess: true, extraTimeMinutes: 5 };
    const services = [
      service('fk-sjuk', 'FK', { languages: ['sv', 'ar'] }),
      service('skv-flytt', 'SKV', { durationMinutes: 20, languages: ['sv', 'ar'] }),
    ];
    const [best] = options(input({ staff, counters, needs, extraMinutes: [0, 10], services }));
    expect(describeParts(best)).toEqual([
      '09:00-09:35 fk-sjuk c2/anna',
      '09:35-10:10 skv-flytt c2/anna',
    ]);
    // A service not given in the language rules the whole visit out.
    expect(options(input({ staff, counters, needs, services: [services[0], SKV] }))).toEqual([]);
  });

  it('lists distinct starts in increasing order, at most limit, default 10', () => {
    const wide = input({ from: t('09:00'), to: t('12:00') });
    const all = options(wide);
    expect(all).toHaveLength(10);
    expect(all.map((o) => hhmm(o.start))).toEqual([
      '09:00',
      '09:05',
      '09:10',
      '09:15',
      '09:20',
      '09:25',
      '09:30',
      '09:35',
      '09:40',
      '09:45',
    ]);
    expect(options({ ...wide, limit: 3 })).toEqual(all.slice(0, 3));
    expect(options({ ...wide, limit: 0 })).toEqual([]);
    // The last part must still end by closing.
    const late = options({ ...wide, from: t('11:00'), limit: 100 });
    expect(hhmm(late[late.length - 1].start)).toBe('11:10');
    expect(hhmm(late[late.length - 1].end)).toBe('12:00');
  });

  it('treats one service as a chain of one: the starts availableSlots lists', () => {
    const one = input({ services: [FK], limit: 100 });
    const starts = availableSlots({ ...one, service: FK }).map((slot) => slot.start);
    const chains = jointVisitOptions(one);
    expect(chains.map((o) => o.start)).toEqual(starts.slice(0, 100));
    expect(chains.every((o) => o.parts.length === 1 && o.handOffs === 0)).toBe(true);
  });

  it('agrees with the enumeration over three weeks of a busy calendar', () => {
    // The search reads free time a day, two days, four days, ... at a time: over many days,
    // with most of the first ones full, it must still find exactly what the enumeration finds.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const DAY_MS = 86_400_000;
    const days = Array.from({ length: 21 }, (_, d) => d);
    const open = days.map((d) => ({
      start: t('09:00') + d * DAY_MS,
      end: t('16:00') + d * DAY_MS,
    }));
    const busyDuring = (fullDays: number) =>
      days.flatMap((d) => {
        if (d < fullDays) return [{ start: t('08:00') + d * DAY_MS, end: t('17:00') + d * DAY_MS }];
        return Array.from({ length: 6 }, () => {
          const start = t('09:00') + d * DAY_MS + Math.floor(random() * 84) * 5 * 60_000;
          return { start, end: start + (15 + Math.floor(random() * 4) * 15) * 60_000 };
        });
      });
    const staff = [
      person('anna', ['FK', 'SKV'], { busy: busyDuring(9) }),
      person('bo', ['FK'], { busy: busyDuring(12) }),
      person('cia', ['SKV', 'AF'], { busy: busyDuring(5) }),
      person('dan', ['AF'], { busy: busyDuring(10) }),
    ].map((p) => ({
      ...p,
      available: open.map((o) => ({ start: o.start - 3_600_000, end: o.end })),
    }));
    const counters = [
      counter('c1', { busy: busyDuring(11) }),
      counter('c2', { busy: busyDuring(8) }),
      counter('c3', { busy: busyDuring(3) }),
    ];
    const AF = service('af-inskr', 'AF', { durationMinutes: 25, bufferAfterMinutes: 5 });
    const wide = {
      open,
      staff,
      counters,
      from: open[0].start,
      to: open[open.length - 1].end,
      horizonEnd: open[open.length - 1].end,
      limit: 12,
    };
    for (const services of [
      [FK, SKV],
      [FK, SKV, AF],
      [AF, FK],
    ]) {
      for (const anyOrder of [false, true]) {
        const found = options(input({ ...wide, services, anyOrder }));
        expect(found.length).toBeGreaterThan(0);
        expect(found[0].start).toBeGreaterThanOrEqual(open[3].start);
      }
    }
  });

  it('rejects malformed input', () => {
    expect(() => jointVisitOptions(input({ services: [] }))).toThrow(RangeError);
    const six = Array.from({ length: 6 }, (_, i) => service(`s${i}`, 'FK'));
    expect(() => jointVisitOptions(input({ services: six }))).toThrow(RangeError);
    expect(() => jointVisitOptions(input({ services: [FK, FK] }))).toThrow(RangeError);
    expect(() => jointVisitOptions(input({ counters: [counter('c1'), counter('c1')] }))).toThrow(
      RangeError,
    );
    expect(() => jointVisitOptions(input({ maxGapMinutes: -1 }))).toThrow(RangeError);
    expect(() => jointVisitOptions(input({ limit: 1.5 }))).toThrow(RangeError);
    expect(() => jointVisitOptions(input({ extraMinutes: [0, -5] }))).toThrow(RangeError);
  });
});
