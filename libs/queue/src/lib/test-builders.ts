// Test data builders of the queue's specs: an entry or a server with defaults that a test
// overrides only where it matters.
import fc from 'fast-check';
import type { QueueEntry, QueueServer } from './call-order';

/** A server of the estimate (EstimateServer): who calls, and until when they are busy. */
export type TestServer = QueueServer & { busyUntil: number; servingId?: string };

export const T0 = Date.UTC(2027, 4, 4, 7, 0); // 09:00 in Stockholm, a Tuesday
export const MINUTE = 60_000;

let nextSequence = 1;

export function newEntry(overrides: Partial<QueueEntry> = {}): QueueEntry {
  const sequence = overrides.sequence ?? nextSequence++;
  const dueAt = overrides.dueAt ?? T0;
  return {
    id: `e${sequence}`,
    serviceId: 'FK-1',
    sequence,
    dueAt,
    overdueAt: dueAt + 30 * MINUTE,
    appointment: false,
    needs: [],
    ...overrides,
  };
}

export function newServer(
  overrides: Partial<Omit<TestServer, 'serviceIds' | 'counterFeatures' | 'languages'>> & {
    serviceIds?: string[];
    counterFeatures?: string[];
    languages?: string[];
  } = {},
): TestServer {
  const { serviceIds, counterFeatures, languages, ...rest } = overrides;
  return {
    staffId: 'staff-1',
    counterId: 'counter-1',
    busyUntil: 0,
    ...rest,
    serviceIds: new Set(serviceIds ?? ['FK-1']),
    counterFeatures: new Set(counterFeatures ?? []),
    languages: new Set(languages ?? ['sv']),
  };
}

/**
 * `arb` one time in `oneIn`, else undefined. (fc.option's `freq` works the other way round: it
 * makes undefined the rare value.)
 */
export function oneTimeIn<T>(oneIn: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: oneIn - 1 },
    { arbitrary: arb, weight: 1 },
  );
}
