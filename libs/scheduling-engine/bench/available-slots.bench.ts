/*
 * Micro-benchmark of the hot path (not a test: no timing assertions). 30 days, 8 counters,
 * 15 staff, 1000 existing appointments. Run from the repository root:
 *   node -r @swc-node/register libs/scheduling-engine/bench/available-slots.bench.ts
 */
import { availableSlots, type AvailabilityInput, type Interval } from '../src/index';

const MIN = 60_000;
const DAY = 1440 * MIN;
const start = Date.UTC(2026, 2, 2);

// Seeded, so every run measures the same input.
let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}
const pick = (n: number): number => Math.floor(random() * n);

const open: Interval[] = [];
for (let d = 0; d < 30; d++) {
  if (d % 7 < 5)
    open.push({ start: start + d * DAY + 480 * MIN, end: start + d * DAY + 960 * MIN });
}
const counters = Array.from({ length: 8 }, (_, i) => ({
  id: `c${i}`,
  privateRoom: i === 0,
  accessibleDesk: i < 2,
  hearingLoop: i === 1,
  allocations: open.map((o) => ({ ...o, agencyId: i === 7 ? 'B' : null })),
  busy: [] as Interval[],
}));
const staff = Array.from({ length: 15 }, (_, i) => ({
  id: `p${i}`,
  agencyIds: i % 3 === 0 ? ['A', 'B'] : ['A'],
  serviceIds: [],
  languages: ['sv'],
  available: open.map((o) => ({ start: o.start, end: o.end + 30 * MIN })),
  busy: [] as Interval[],
}));
for (let n = 0; n < 1000; n++) {
  const o = open[pick(open.length)];
  const s = o.start + pick(30) * 15 * MIN;
  const appointment = { start: s, end: s + 40 * MIN };
  counters[pick(counters.length)].busy.push(appointment);
  staff[pick(staff.length)].busy.push(appointment);
}

const input: AvailabilityInput = {
  service: {
    id: 's1',
    agencyId: 'A',
    durationMinutes: 30,
    bufferAfterMinutes: 10,
    slotGranularityMinutes: 15,
    minNoticeMinutes: 120,
    needsPrivateRoom: false,
    languages: ['sv'],
  },
  open,
  counters,
  staff,
  now: start,
  horizonEnd: start + 30 * DAY,
  from: start,
  to: start + 30 * DAY,
};

let slots = 0;
for (let i = 0; i < 50; i++) slots += availableSlots(input).length; // warm-up
const runs = 500;
const t0 = performance.now();
for (let i = 0; i < runs; i++) slots += availableSlots(input).length;
const perCall = (performance.now() - t0) / runs;
process.stdout.write(`availableSlots: ${perCall.toFixed(3)} ms per call (${slots} slots seen)\n`);
