import fc from 'fast-check';
import {
  callableNow,
  compareForCall,
  mayServe,
  nextFor,
  QueueEntry,
  queueClass,
} from './call-order';
import { MINUTE, newEntry, newServer, oneTimeIn, T0 } from './test-builders';

const none = new Set<string>();

describe('queue class', () => {
  it('puts a transfer first, then overdue, then appointments, then walk-ins', () => {
    const now = T0 + 40 * MINUTE;
    expect(queueClass(newEntry({ firstInLineAt: now, overdueAt: T0 }), now)).toBe(0);
    expect(queueClass(newEntry({ overdueAt: now }), now)).toBe(1);
    expect(queueClass(newEntry({ overdueAt: now, appointment: true }), now)).toBe(1);
    expect(queueClass(newEntry({ overdueAt: now + 1, appointment: true }), now)).toBe(2);
    expect(queueClass(newEntry({ overdueAt: now + 1 }), now)).toBe(3);
  });
});

describe('call order', () => {
  const now = T0 + 60 * MINUTE;

  it('orders by class, then firstInLineAt, overdueAt or dueAt, then sequence', () => {
    const notYet = now + 10 * MINUTE;
    const walkIn = newEntry({ sequence: 1, dueAt: T0 + 10 * MINUTE, overdueAt: notYet });
    const earlierWalkIn = newEntry({ sequence: 9, dueAt: T0 + 5 * MINUTE, overdueAt: notYet });
    const appointment = newEntry({ sequence: 5, dueAt: T0 + 50 * MINUTE, appointment: true });
    const overdue = newEntry({ sequence: 7, dueAt: T0 + 20 * MINUTE, overdueAt: now });
    const overdueEarlier = newEntry({ sequence: 8, dueAt: T0, overdueAt: now - MINUTE });
    const transferLater = newEntry({ sequence: 3, firstInLineAt: now - MINUTE, dueAt: T0 });
    const transfer = newEntry({ sequence: 4, firstInLineAt: now - 2 * MINUTE, dueAt: now });
    const sameDueLaterNumber = newEntry({
      sequence: 2,
      dueAt: T0 + 10 * MINUTE,
      overdueAt: notYet,
    });
    const sorted = [
      walkIn,
      earlierWalkIn,
      appointment,
      overdue,
      overdueEarlier,
      transferLater,
      transfer,
      sameDueLaterNumber,
    ].sort((a, b) => compareForCall(a, b, now));
    expect(sorted).toEqual([
      transfer,
      transferLater,
      overdueEarlier,
      overdue,
      appointment,
      earlierWalkIn,
      walkIn,
      sameDueLaterNumber,
    ]);
  });

  it('calls the overdue ticket whose target passed first, across services with other targets', () => {
    // FK's target wait is 20 minutes, MIGR's 45: the FK walk-in came later but passed its
    // target first.
    const migr = newEntry({
      sequence: 1,
      serviceId: 'MIGR-4',
      dueAt: T0,
      overdueAt: T0 + 45 * MINUTE,
    });
    const fk = newEntry({ sequence: 2, dueAt: T0 + 10 * MINUTE, overdueAt: T0 + 30 * MINUTE });
    expect(compareForCall(fk, migr, T0 + 50 * MINUTE)).toBeLessThan(0);
    expect(compareForCall(migr, fk, T0 + 50 * MINUTE)).toBeGreaterThan(0);
    // Targets passed at the same instant: the number decides, not dueAt.
    const fkSameInstant = newEntry({
      sequence: 3,
      dueAt: T0 + 25 * MINUTE,
      overdueAt: T0 + 45 * MINUTE,
    });
    expect(compareForCall(fkSameInstant, migr, T0 + 50 * MINUTE)).toBeGreaterThan(0);
    const earlierNumber = { ...fkSameInstant, sequence: 0 };
    expect(compareForCall(earlierNumber, migr, T0 + 50 * MINUTE)).toBeLessThan(0);
  });

  it('lets an overdue walk-in pass an appointment that is not', () => {
    const appointment = newEntry({ appointment: true, dueAt: T0 + 30 * MINUTE });
    const walkIn = newEntry({ dueAt: T0, overdueAt: T0 + 30 * MINUTE });
    expect(compareForCall(appointment, walkIn, T0 + 29 * MINUTE)).toBeLessThan(0);
    expect(compareForCall(appointment, walkIn, T0 + 30 * MINUTE)).toBeGreaterThan(0);
  });

  const entries: fc.Arbitrary<QueueEntry[]> = fc
    .array(
      fc.record({
        dueAt: fc.integer({ min: 0, max: 20 }),
        wait: fc.integer({ min: 0, max: 20 }),
        appointment: fc.boolean(),
        firstInLineAt: oneTimeIn(4, fc.integer({ min: 0, max: 20 })),
      }),
      { maxLength: 40 },
    )
    .chain((rows) =>
      fc
        .shuffledSubarray(
          rows.map((_, i) => i + 1),
          { minLength: rows.length, maxLength: rows.length },
        )
        .map((sequences) =>
          rows.map((row, i) =>
            newEntry({
              sequence: sequences[i],
              dueAt: row.dueAt * MINUTE,
              overdueAt: (row.dueAt + row.wait) * MINUTE,
              appointment: row.appointment,
              firstInLineAt:
                row.firstInLineAt === undefined ? undefined : row.firstInLineAt * MINUTE,
            }),
          ),
        ),
    );
  const instant = fc.integer({ min: 0, max: 45 }).map((m) => m * MINUTE);

  it('is a total order (sequences unique within a day) that sorting respects', () => {
    fc.assert(
      fc.property(entries, instant, (list, at) => {
        // Plain booleans in the loops, one expect each: the loops are cubic.
        let reflexive = true;
        let antisymmetric = true;
        let transitive = true;
        for (const a of list) {
          reflexive &&= compareForCall(a, a, at) === 0;
          for (const b of list) {
            if (a === b) continue;
            const ab = Math.sign(compareForCall(a, b, at));
            antisymmetric &&= ab !== 0 && Math.sign(compareForCall(b, a, at)) === -ab;
            if (ab < 0)
              for (const c of list)
                if (compareForCall(b, c, at) < 0) transitive &&= compareForCall(a, c, at) < 0;
          }
        }
        expect({ reflexive, antisymmetric, transitive }).toEqual({
          reflexive: true,
          antisymmetric: true,
          transitive: true,
        });
        const sorted = [...list].sort((a, b) => compareForCall(a, b, at));
        for (let i = 1; i < sorted.length; i++)
          expect(compareForCall(sorted[i - 1], sorted[i], at)).toBeLessThan(0);
        const reversed = [...list].reverse().sort((a, b) => compareForCall(a, b, at));
        expect(reversed).toEqual(sorted);
      }),
    );
  });

  it('orders overdue entries by overdueAt, then sequence; with one target wait as by dueAt', () => {
    const lexical = (x: [number, number], y: [number, number]) =>
      x[0] !== y[0] ? Math.sign(x[0] - y[0]) : Math.sign(x[1] - y[1]);
    fc.assert(
      fc.property(entries, instant, (list, at) => {
        const overdue = list.filter((e) => queueClass(e, at) === 1);
        for (const a of overdue)
          for (const b of overdue) {
            const order = Math.sign(compareForCall(a, b, at));
            expect(order).toBe(lexical([a.overdueAt, a.sequence], [b.overdueAt, b.sequence]));
            if (a.overdueAt - a.dueAt === b.overdueAt - b.dueAt)
              expect(order).toBe(lexical([a.dueAt, a.sequence], [b.dueAt, b.sequence]));
          }
      }),
    );
  });
});

describe('callable now', () => {
  it('waits for dueAt and for the earlier part of a joint visit', () => {
    expect(callableNow(newEntry({ dueAt: T0 }), T0, none)).toBe(true);
    expect(callableNow(newEntry({ dueAt: T0 + 1 }), T0, none)).toBe(false);
    expect(callableNow(newEntry({ dueAt: T0, afterId: 'fk-part' }), T0, none)).toBe(false);
    expect(callableNow(newEntry({ dueAt: T0, afterId: 'fk-part' }), T0, new Set(['fk-part']))).toBe(
      true,
    );
  });
});

describe('may serve', () => {
  const server = newServer({
    staffId: 'anna',
    counterId: 'desk-2',
    serviceIds: ['FK-1', 'AF-2'],
    counterFeatures: ['ACCESSIBLE_DESK', 'HEARING_LOOP'],
    languages: ['sv', 'en', 'ar'],
  });

  it('needs the competence, every counter feature, the language and a matching reservation', () => {
    expect(mayServe(newEntry(), server)).toBe(true);
    expect(mayServe(newEntry({ serviceId: 'SKV-1' }), server)).toBe(false);
    expect(mayServe(newEntry({ needs: ['HEARING_LOOP', 'ACCESSIBLE_DESK'] }), server)).toBe(true);
    expect(mayServe(newEntry({ needs: ['HEARING_LOOP', 'PRIVATE_ROOM'] }), server)).toBe(false);
    expect(mayServe(newEntry({ language: 'ar' }), server)).toBe(true);
    expect(mayServe(newEntry({ language: 'so' }), server)).toBe(false);
    expect(mayServe(newEntry({ reservedStaffId: 'anna' }), server)).toBe(true);
    expect(mayServe(newEntry({ reservedStaffId: 'bo' }), server)).toBe(false);
    expect(mayServe(newEntry({ reservedCounterId: 'desk-2' }), server)).toBe(true);
    expect(mayServe(newEntry({ reservedCounterId: 'desk-3' }), server)).toBe(false);
  });

  it('never serves a transfer to a counter from no counter', () => {
    const roaming = newServer({ staffId: 'anna', counterId: undefined });
    expect(mayServe(newEntry({ reservedCounterId: 'desk-2' }), roaming)).toBe(false);
    expect(mayServe(newEntry({ reservedStaffId: 'anna' }), roaming)).toBe(true);
  });
});

describe('next for a server', () => {
  const now = T0 + 20 * MINUTE;
  const server = newServer({ serviceIds: ['FK-1'], languages: ['sv'] });

  it('takes the first callable entry it may serve', () => {
    const other = newEntry({ serviceId: 'AF-2', dueAt: T0 });
    const later = newEntry({ dueAt: now + MINUTE, firstInLineAt: T0 });
    const joint = newEntry({ dueAt: T0, afterId: 'x', appointment: true });
    const walkIn = newEntry({ dueAt: T0 + 5 * MINUTE });
    const appointment = newEntry({ dueAt: T0 + 10 * MINUTE, appointment: true });
    const list = [other, later, joint, walkIn, appointment];
    expect(nextFor(list, server, now, none)).toBe(appointment);
    expect(nextFor(list, server, now, new Set(['x']))).toBe(joint);
    expect(nextFor([other, later], server, now, none)).toBeUndefined();
  });

  it('equals the minimum of a brute-force filter and sort', () => {
    const row = fc.record({
      serviceId: fc.constantFrom('FK-1', 'AF-2', 'SKV-3'),
      dueAt: fc.integer({ min: 0, max: 30 }),
      wait: fc.integer({ min: 0, max: 30 }),
      appointment: fc.boolean(),
      firstInLineAt: oneTimeIn(4, fc.integer({ min: 0, max: 30 })),
      afterId: fc.option(fc.constantFrom('e1', 'e2', 'e3', 'e4'), { nil: undefined }),
      needs: fc.subarray(['ACCESSIBLE_DESK', 'HEARING_LOOP', 'PRIVATE_ROOM'], { maxLength: 2 }),
      language: fc.option(fc.constantFrom('sv', 'en', 'ar'), { nil: undefined }),
      reservedStaffId: fc.option(fc.constantFrom('anna', 'bo'), { nil: undefined }),
      reservedCounterId: fc.option(fc.constantFrom('desk-1', 'desk-2'), { nil: undefined }),
    });
    const servers = fc.record({
      staffId: fc.constantFrom('anna', 'bo'),
      counterId: fc.option(fc.constantFrom('desk-1', 'desk-2'), { nil: undefined }),
      serviceIds: fc.subarray(['FK-1', 'AF-2', 'SKV-3']),
      counterFeatures: fc.subarray(['ACCESSIBLE_DESK', 'HEARING_LOOP', 'PRIVATE_ROOM']),
      languages: fc.subarray(['sv', 'en', 'ar']),
    });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 30 }),
        servers,
        fc.integer({ min: 0, max: 60 }),
        fc.subarray(['e1', 'e2', 'e3', 'e4']),
        (rows, s, minute, finished) => {
          const list = rows.map(({ wait, dueAt, firstInLineAt, ...rest }, i) =>
            newEntry({
              ...rest,
              id: `e${i + 1}`,
              sequence: i + 1,
              dueAt: dueAt * MINUTE,
              overdueAt: (dueAt + wait) * MINUTE,
              firstInLineAt: firstInLineAt === undefined ? undefined : firstInLineAt * MINUTE,
            }),
          );
          const server = newServer(s);
          const at = minute * MINUTE;
          const finishedIds = new Set(finished);
          const expected = list
            .filter((e) => callableNow(e, at, finishedIds) && mayServe(e, server))
            .sort((a, b) => compareForCall(a, b, at))[0];
          expect(nextFor(list, server, at, finishedIds)).toBe(expected);
        },
      ),
    );
  });
});
