import {
  assignmentCandidates,
  availableSlots,
  capacityAt,
  unavailableReason,
  type AvailabilityInput,
  type EngineCounter,
  type EngineService,
  type EngineStaff,
  type Interval,
} from '../index';

const DAY = '2026-03-02';
const MIN = 60_000;

/** An instant on DAY (or another date), in UTC: the caller has already converted local times. */
const t = (hhmm: string, date = DAY): number => Date.parse(`${date}T${hhmm}:00.000Z`);
const span = (from: string, to: string, date = DAY): Interval => ({
  start: t(from, date),
  end: t(to, date),
});
const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

function service(overrides: Partial<EngineService> = {}): EngineService {
  return {
    id: 's1',
    agencyId: 'A',
    durationMinutes: 30,
    bufferAfterMinutes: 0,
    slotGranularityMinutes: 30,
    minNoticeMinutes: 0,
    needsPrivateRoom: false,
    languages: ['sv'],
    ...overrides,
  };
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

function person(id: string, overrides: Partial<EngineStaff> = {}): EngineStaff {
  return {
    id,
    agencyIds: ['A'],
    serviceIds: [],
    languages: ['sv'],
    available: [span('06:00', '20:00')],
    busy: [],
    ...overrides,
  };
}

function input(overrides: Partial<AvailabilityInput> = {}): AvailabilityInput {
  return {
    service: service(),
    open: [span('09:00', '12:00')],
    counters: [counter('c1')],
    staff: [person('p1')],
    now: t('00:00'),
    horizonEnd: t('00:00', '2026-04-01'),
    from: t('00:00'),
    to: t('00:00', '2026-03-03'),
    ...overrides,
  };
}

const starts = (i: AvailabilityInput): string[] => availableSlots(i).map((s) => hhmm(s.start));

describe('availableSlots', () => {
  it('lists grid starts of the open interval whose visit ends by closing', () => {
    expect(availableSlots(input({ open: [span('09:00', '10:30')] }))).toEqual([
      { start: t('09:00'), end: t('09:30'), capacity: 1 },
      { start: t('09:30'), end: t('10:00'), capacity: 1 },
      { start: t('10:00'), end: t('10:30'), capacity: 1 },
    ]);
  });

  it('anchors the grid at each open interval, also when they are 23 h or 25 h apart (DST)', () => {
    // Stockholm opens 10:00 local: 09:00Z on Sat 28 March (CET), 08:00Z on Sun 29 March (CEST),
    // 08:00Z on Sat 24 October (CEST), 09:00Z on Sun 25 October (CET).
    const spring = [span('09:00', '11:00', '2026-03-28'), span('08:00', '10:00', '2026-03-29')];
    const autumn = [span('08:00', '10:00', '2026-10-24'), span('09:00', '11:00', '2026-10-25')];
    expect(spring[1].start - spring[0].start).toBe(23 * 60 * MIN);
    expect(autumn[1].start - autumn[0].start).toBe(25 * 60 * MIN);
    const everywhere = {
      available: [{ start: t('00:00', '2026-01-01'), end: t('00:00', '2027-01-01') }],
    };
    // 40 min does not divide 23 h or 25 h: a grid carried over from the first day would be off.
    const at = (open: Interval[]): AvailabilityInput =>
      input({
        service: service({ slotGranularityMinutes: 40 }),
        open,
        staff: [person('p1', everywhere)],
        now: t('00:00', '2026-01-01'),
        from: t('00:00', '2026-01-01'),
        to: t('00:00', '2027-01-01'),
        horizonEnd: t('00:00', '2027-01-01'),
      });
    const iso = (i: AvailabilityInput): string[] =>
      availableSlots(i).map((s) => new Date(s.start).toISOString().slice(5, 16));
    expect(iso(at(spring))).toEqual([
      '03-28T09:00',
      '03-28T09:40',
      '03-28T10:20',
      '03-29T08:00',
      '03-29T08:40',
      '03-29T09:20',
    ]);
    expect(iso(at(autumn))).toEqual([
      '10-24T08:00',
      '10-24T08:40',
      '10-24T09:20',
      '10-25T09:00',
      '10-25T09:40',
      '10-25T10:20',
    ]);
    // On the first day's grid, but not on the second day's.
    expect(unavailableReason(at(spring), t('08:20', '2026-03-29'))).toBe('OFF_GRID');
  });

  it('respects the minimum notice (a start exactly at now + notice is allowed)', () => {
    const i = input({
      service: service({ slotGranularityMinutes: 15, minNoticeMinutes: 60 }),
      now: t('08:55'),
    });
    expect(starts(i)[0]).toBe('10:00');
    expect(unavailableReason(i, t('09:45'))).toBe('TOO_SOON');
    expect(capacityAt(i, t('09:45'))).toBe(0);
    expect(starts({ ...i, now: t('09:00') })[0]).toBe('10:00');
    expect(unavailableReason({ ...i, now: t('09:00') }, t('10:00'))).toBeUndefined();
  });

  it('stops at the booking horizon (starts before horizonEnd only)', () => {
    const i = input({ service: service({ slotGranularityMinutes: 15 }), horizonEnd: t('10:00') });
    expect(starts(i)).toEqual(['09:00', '09:15', '09:30', '09:45']);
    expect(unavailableReason(i, t('10:00'))).toBe('BEYOND_HORIZON');
  });

  it('returns only starts within [from, to), on the grid of the open interval', () => {
    const i = input({ from: t('09:10'), to: t('10:30') });
    expect(starts(i)).toEqual(['09:30', '10:00']);
    expect(unavailableReason(i, t('10:30'))).toBe('OUT_OF_RANGE');
    expect(availableSlots({ ...i, to: i.from })).toEqual([]);
  });

  it('lets the buffer run past closing, but not the visit', () => {
    const i = input({
      service: service({ bufferAfterMinutes: 15, slotGranularityMinutes: 15 }),
      staff: [person('p1', { available: [span('09:00', '12:15')] })],
    });
    expect(starts(i).slice(-2)).toEqual(['11:15', '11:30']);
    expect(availableSlots(i).at(-1)).toEqual({ start: t('11:30'), end: t('12:00'), capacity: 1 });
    expect(unavailableReason(i, t('11:45'))).toBe('CLOSED');
    // The buffer is work time: someone who leaves at closing cannot take the last start.
    const leavesAtClosing = {
      ...i,
      staff: [person('p1', { available: [span('09:00', '12:00')] })],
    };
    expect(unavailableReason(leavesAtClosing, t('11:30'))).toBe('FULL');
    expect(unavailableReason(leavesAtClosing, t('11:15'))).toBeUndefined();
  });

  it('keeps a visit inside one open interval, even when two of them touch', () => {
    const i = input({
      service: service({ durationMinutes: 45 }),
      open: [span('09:00', '10:00'), span('10:00', '11:00')],
    });
    expect(starts(i)).toEqual(['09:00', '10:00']);
    expect(unavailableReason(i, t('09:30'))).toBe('CLOSED');
  });

  it('lengthens the visit by the extra time of the needs', () => {
    const i = input({ needs: { extraTimeMinutes: 20 } });
    expect(availableSlots(i)[0]).toEqual({ start: t('09:00'), end: t('09:50'), capacity: 1 });
    expect(starts(i).at(-1)).toBe('11:00');
  });

  it('is empty without open intervals, counters or competent staff', () => {
    expect(availableSlots(input({ open: [] }))).toEqual([]);
    expect(availableSlots(input({ counters: [] }))).toEqual([]);
    expect(availableSlots(input({ staff: [person('p1', { agencyIds: ['B'] })] }))).toEqual([]);
  });
});

describe('counters', () => {
  it('an allocation to another agency blocks the counter; pooled or own time does not', () => {
    const i = input({
      service: service({ bufferAfterMinutes: 10, slotGranularityMinutes: 15 }),
      counters: [
        counter('c1', { allocations: [{ ...span('10:00', '11:00'), agencyId: 'B' }] }),
        counter('c2', {
          allocations: [
            { ...span('09:00', '10:30'), agencyId: 'A' },
            { ...span('10:30', '12:00'), agencyId: null },
          ],
        }),
      ],
      staff: [person('p1'), person('p2')],
    });
    expect(capacityAt(i, t('09:15'))).toBe(2); // occupies 09:15-09:55
    expect(capacityAt(i, t('09:30'))).toBe(1); // its buffer reaches into B's hour
    expect(assignmentCandidates(i, t('09:30')).map((a) => a.counterId)).toEqual(['c2', 'c2']);
    expect(capacityAt(i, t('11:00'))).toBe(2); // B's hour is over
  });

  it('a counter busy with another appointment (incl. its buffer) cannot serve', () => {
    const i = input({
      counters: [counter('c1', { busy: [span('09:00', '10:10')] })],
    });
    expect(starts(i)).toEqual(['10:30', '11:00', '11:30']);
  });

  it('gives a private-room service only the private room', () => {
    const counters = [counter('c1'), counter('c2', { privateRoom: true })];
    const staff = [person('p1'), person('p2')];
    const i = input({ service: service({ needsPrivateRoom: true }), counters, staff });
    expect(capacityAt(i, t('09:00'))).toBe(1);
    expect(new Set(assignmentCandidates(i, t('09:00')).map((a) => a.counterId))).toEqual(
      new Set(['c2']),
    );
    // The visit's own need for privacy works the same way.
    expect(capacityAt(input({ needs: { privateRoom: true }, counters, staff }), t('09:00'))).toBe(
      1,
    );
    expect(capacityAt(input({ counters, staff }), t('09:00'))).toBe(2);
  });

  it('needs an accessible desk for wheelchair access and a loop for hearing', () => {
    const counters = [
      counter('c1'),
      counter('c2', { accessibleDesk: true }),
      counter('c3', { hearingLoop: true }),
    ];
    const staff = [person('p1'), person('p2'), person('p3')];
    const wheelchair = input({ counters, staff, needs: { wheelchairAccess: true } });
    expect(capacityAt(wheelchair, t('09:00'))).toBe(1);
    expect(assignmentCandidates(wheelchair, t('09:00'))[0].counterId).toBe('c2');
    const loop = input({ counters, staff, needs: { hearingLoop: true } });
    expect(assignmentCandidates(loop, t('09:00'))[0].counterId).toBe('c3');
    const both = input({ counters, staff, needs: { hearingLoop: true, wheelchairAccess: true } });
    expect(unavailableReason(both, t('09:00'))).toBe('FULL');
  });
});

describe('staff', () => {
  it('needs competence for the agency or for the single service', () => {
    const staff = [
      person('p1', { agencyIds: ['B'] }),
      person('p2', { agencyIds: [], serviceIds: ['s1'] }),
      person('p3', { agencyIds: ['B'], serviceIds: ['s2'] }),
    ];
    const i = input({ counters: [counter('c1'), counter('c2')], staff });
    expect(capacityAt(i, t('09:00'))).toBe(1);
    expect(assignmentCandidates(i, t('09:00')).map((a) => a.staffId)).toEqual(['p2', 'p2']);
  });

  it('needs a person who speaks the language, unless an interpreter is allowed', () => {
    const staff = [person('p1', { languages: ['sv'] }), person('p2', { languages: ['sv', 'ar'] })];
    const i = (needs: AvailabilityInput['needs']): AvailabilityInput =>
      input({
        service: service({ languages: ['sv', 'ar'] }),
        counters: [counter('c1'), counter('c2')],
        staff,
        needs,
      });
    expect(capacityAt(i({ language: 'ar' }), t('09:00'))).toBe(1);
    expect(assignmentCandidates(i({ language: 'ar' }), t('09:00'))[0].staffId).toBe('p2');
    expect(capacityAt(i({ language: 'AR' }), t('09:00'))).toBe(1); // codes compare case-insensitively
    expect(capacityAt(i({ language: 'ar', interpreterAllowed: true }), t('09:00'))).toBe(2);
    expect(capacityAt(i({}), t('09:00'))).toBe(2);
    // A language the service is not given in: nobody, interpreter or not.
    expect(unavailableReason(i({ language: 'so' }), t('09:00'))).toBe('FULL');
    expect(unavailableReason(i({ language: 'so', interpreterAllowed: true }), t('09:00'))).toBe(
      'FULL',
    );
  });

  it('a person busy elsewhere, absent, or off shift during the visit cannot serve', () => {
    const i = input({
      service: service({ slotGranularityMinutes: 15 }),
      staff: [
        person('p1', {
          // Back-to-back shifts cover a visit across the seam (09:45-10:15).
          available: [span('10:00', '11:00'), span('09:00', '10:00')],
          busy: [span('09:15', '09:30')], // a visit at another office
        }),
      ],
    });
    expect(starts(i)).toEqual(['09:30', '09:45', '10:00', '10:15', '10:30']);
  });
});

describe('capacity', () => {
  it('is the number of distinct counter/person pairs, not a product or a sum', () => {
    const three = [counter('c1'), counter('c2'), counter('c3')];
    expect(
      capacityAt(input({ counters: three, staff: [person('p1'), person('p2')] }), t('09:00')),
    ).toBe(2);
    expect(
      capacityAt(
        input({ counters: three.slice(0, 1), staff: [person('p1'), person('p2')] }),
        t('09:00'),
      ),
    ).toBe(1);
  });

  it('drops by one per booking of the first candidate until the start is full', () => {
    let i = input({
      service: service({ bufferAfterMinutes: 5 }),
      counters: [counter('c1'), counter('c2'), counter('c3')],
      staff: [person('p1'), person('p2')],
    });
    const s = t('10:00');
    for (const remaining of [2, 1]) {
      expect(capacityAt(i, s)).toBe(remaining);
      const [best] = assignmentCandidates(i, s);
      const taken = { start: s, end: s + 35 * MIN };
      i = {
        ...i,
        counters: i.counters.map((c) => (c.id === best.counterId ? { ...c, busy: [taken] } : c)),
        staff: i.staff.map((p) => (p.id === best.staffId ? { ...p, busy: [taken] } : p)),
      };
    }
    expect(capacityAt(i, s)).toBe(0);
    expect(assignmentCandidates(i, s)).toEqual([]);
    expect(unavailableReason(i, s)).toBe('FULL');
    expect(capacityAt(i, t('10:30'))).toBe(0); // the buffer keeps both people until 10:35
    expect(capacityAt(i, t('11:00'))).toBe(2);
  });
});

describe('assignmentCandidates', () => {
  it('puts the least flexible, least booked person and the plainest, idlest counter first', () => {
    const i = input({
      counters: [
        counter('c1', { privateRoom: true }),
        counter('c2', { busy: [span('09:30', '10:00')] }),
        counter('c3'),
        counter('c4', { busy: [span('13:00', '15:00')] }), // after closing: not this session
      ],
      staff: [
        person('p1', { agencyIds: ['A', 'B'], bookedMinutes: 0 }),
        person('p2', { agencyIds: ['A'], serviceIds: ['s1'], bookedMinutes: 120 }),
        person('p3', { agencyIds: ['A'], bookedMinutes: 60 }),
        person('p4', { agencyIds: ['A'], bookedMinutes: 60 }),
      ],
    });
    const pairs = assignmentCandidates(i, t('10:00'));
    const order = (key: 'staffId' | 'counterId'): string[] => [
      ...new Set(pairs.map((p) => p[key])),
    ];
    expect(order('staffId')).toEqual(['p3', 'p4', 'p2', 'p1']);
    expect(order('counterId')).toEqual(['c3', 'c4', 'c2', 'c1']);
    // Staff-major: the best person with every counter, then the next person.
    expect(pairs.slice(0, 5)).toEqual([
      { staffId: 'p3', counterId: 'c3' },
      { staffId: 'p3', counterId: 'c4' },
      { staffId: 'p3', counterId: 'c2' },
      { staffId: 'p3', counterId: 'c1' },
      { staffId: 'p4', counterId: 'c3' },
    ]);
    expect(pairs).toHaveLength(16);
  });

  it('is empty at a start that is not bookable', () => {
    expect(assignmentCandidates(input(), t('09:10'))).toEqual([]);
    expect(assignmentCandidates(input(), t('13:00'))).toEqual([]);
  });

  it('rechecks a booked start without the grid, under every other rule', () => {
    const i = input({ staff: [person('p1', { busy: [span('10:40', '11:00')] })] });
    // 09:35 is off the 30-minute grid: refused for a new booking, kept for a booked one (a
    // joint visit's later part, or booked before the grid or the opening time changed).
    expect(assignmentCandidates(i, t('09:35'))).toEqual([]);
    expect(unavailableReason(i, t('09:35'))).toBe('OFF_GRID');
    expect(unavailableReason(i, t('09:35'), 'AS_BOOKED')).toBeUndefined();
    expect(assignmentCandidates(i, t('09:35'), 'AS_BOOKED')).toEqual([
      { counterId: 'c1', staffId: 'p1' },
    ]);
    // Still closed after closing, still full when the person is busy.
    expect(unavailableReason(i, t('11:35'), 'AS_BOOKED')).toBe('CLOSED');
    expect(unavailableReason(i, t('10:25'), 'AS_BOOKED')).toBe('FULL');
    expect(assignmentCandidates(i, t('10:25'), 'AS_BOOKED')).toEqual([]);
  });
});

describe('unavailableReason', () => {
  const i = input({
    service: service({ minNoticeMinutes: 60, slotGranularityMinutes: 30 }),
    open: [span('09:00', '12:00'), span('13:00', '16:00')],
    now: t('09:30'), // earliest start 10:30
    horizonEnd: t('14:00'),
    from: t('09:00'),
    to: t('13:30'),
    staff: [person('p1', { busy: [span('11:00', '11:30')] })],
  });

  it('is undefined for a bookable start', () => {
    expect(unavailableReason(i, t('10:30'))).toBeUndefined();
    expect(capacityAt(i, t('10:30'))).toBe(1);
  });

  it('applies the precedence OFF_GRID/CLOSED, TOO_SOON, BEYOND_HORIZON, OUT_OF_RANGE, FULL', () => {
    expect(unavailableReason(i, t('09:10'))).toBe('OFF_GRID'); // and too soon
    expect(unavailableReason(i, t('09:00') + 1)).toBe('OFF_GRID'); // one millisecond off
    expect(unavailableReason(i, t('12:00'))).toBe('CLOSED'); // lunch
    expect(unavailableReason(i, t('11:45'))).toBe('OFF_GRID'); // also runs into lunch
    expect(unavailableReason(i, t('16:30'))).toBe('CLOSED'); // and beyond the horizon
    expect(unavailableReason(i, t('09:30'))).toBe('TOO_SOON'); // and the person is free
    expect(unavailableReason({ ...i, now: t('15:00') }, t('14:30'))).toBe('TOO_SOON'); // and beyond
    expect(unavailableReason(i, t('14:00'))).toBe('BEYOND_HORIZON'); // and out of range
    expect(unavailableReason(i, t('13:30'))).toBe('OUT_OF_RANGE'); // and before the horizon
    expect(unavailableReason({ ...i, to: t('11:00') }, t('11:00'))).toBe('OUT_OF_RANGE'); // and full
    expect(unavailableReason(i, t('11:00'))).toBe('FULL');
    expect(unavailableReason(i, t('10:30') - 30 * MIN)).toBe('TOO_SOON');
  });

  it('agrees with capacityAt and availableSlots', () => {
    const bookable = availableSlots(i).map((s) => s.start);
    for (let s = t('08:00'); s < t('17:00'); s += 5 * MIN) {
      const reason = unavailableReason(i, s);
      expect(reason === undefined).toBe(bookable.includes(s));
      expect(capacityAt(i, s) > 0).toBe(bookable.includes(s));
    }
  });
});

describe('input validation', () => {
  it.each([
    ['slotGranularityMinutes', 0],
    ['durationMinutes', 0],
    ['bufferAfterMinutes', -1],
    ['minNoticeMinutes', Number.NaN],
  ] as const)('rejects service.%s = %p', (field, value) => {
    expect(() => availableSlots(input({ service: service({ [field]: value }) }))).toThrow(
      RangeError,
    );
  });

  it('rejects negative extra time', () => {
    expect(() => capacityAt(input({ needs: { extraTimeMinutes: -5 } }), t('09:00'))).toThrow(
      RangeError,
    );
  });
});
