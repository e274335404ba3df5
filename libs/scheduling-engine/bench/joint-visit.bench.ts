/*
 * Micro-benchmark of the joint-visit search (not a test: no timing assertions). 4 services of
 * 4 agencies, 30 days, 8 counters, 15 staff, a busy office. Run from the repository root:
 *   node -r @swc-node/register libs/scheduling-engine/bench/joint-visit.bench.ts
 */
import {
  jointVisitOptions,
  jointVisitOptionsBaseline,
  type EngineService,
  type Interval,
  type JointVisitInput,
} from '../src/index';

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
const agencies = ['A', 'B', 'C', 'D'];
const counters = Array.from({ length: 8 }, (_, i) => ({
  id: `c${i}`,
  privateRoom: i === 0,
  accessibleDesk: i < 2,
  hearingLoop: i === 1,
  allocations: open.map((o) => ({ ...o, agencyId: i >= 6 ? agencies[i - 5] : null })),
  busy: [] as Interval[],
}));
const staff = Array.from({ length: 15 }, (_, i) => ({
  id: `p${i}`,
  agencyIds: i % 5 === 0 ? agencies : [agencies[i % 4], agencies[(i + 1) % 4]],
  serviceIds: [],
  languages: ['sv'],
  available: open.map((o) => ({ start: o.start, end: o.end + 30 * MIN })),
  busy: [] as Interval[],
}));

function service(id: string, agencyId: string, durationMinutes: number): EngineService {
  return {
    id,
    agencyId,
    durationMinutes,
    bufferAfterMinutes: 5,
    slotGranularityMinutes: 5,
    minNoticeMinutes: 120,
    needsPrivateRoom: false,
    languages: ['sv'],
  };
}

function book(appointments: number): void {
  for (let n = 0; n < appointments; n++) {
    const o = open[pick(open.length)];
    const s = o.start + pick(30) * 15 * MIN;
    const appointment = { start: s, end: s + 40 * MIN };
    counters[pick(counters.length)].busy.push(appointment);
    staff[pick(staff.length)].busy.push(appointment);
  }
}

const input = (): JointVisitInput => ({
  services: [
    service('a1', 'A', 30),
    service('b1', 'B', 20),
    service('c1', 'C', 15),
    service('d1', 'D', 25),
  ],
  open,
  counters,
  staff,
  now: start,
  horizonEnd: start + 30 * DAY,
  from: start,
  to: start + 30 * DAY,
});

function measure(name: string, f: () => unknown, runs: number): number {
  f(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) f();
  const perCall = (performance.now() - t0) / runs;
  process.stdout.write(`${name}: ${perCall.toFixed(2)} ms per call\n`);
  return perCall;
}

for (const appointments of [1000, 2500]) {
  book(appointments - (appointments === 1000 ? 0 : 1000));
  for (const anyOrder of [false, true]) {
    const i = { ...input(), anyOrder };
    const options = jointVisitOptions(i);
    const label = `${appointments} appointments, anyOrder ${anyOrder}`;
    process.stdout.write(
      `${label}: ${options.length} options, hand-offs ${options.map((o) => o.handOffs).join(',')}\n`,
    );
    const fast = measure('  jointVisitOptions', () => jointVisitOptions(i), 20);
    const slow = measure('  jointVisitOptionsBaseline', () => jointVisitOptionsBaseline(i), 1);
    process.stdout.write(`  speed-up ${(slow / fast).toFixed(0)}x\n`);
  }
}
