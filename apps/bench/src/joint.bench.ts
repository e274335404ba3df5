import { isDeepStrictEqual } from 'node:util';
import { JointVisitSearchService } from '@samservice/scheduling';
import { inProcessScheduling } from './lib/in-process';
import {
  jointVisitOptions,
  jointVisitOptionsBaseline,
  type JointVisitInput,
} from '@samservice/scheduling-engine';
import { demoOffices, officeIn, type DemoOffice } from './lib/demo';
import { fillOffice } from './lib/fill';
import { errorCode } from './lib/graphql';
import { progress } from './lib/output';
import { elapsed, percentile, round } from './lib/stats';
import { plusDays, runBench, type BenchSystem } from './lib/system';

/**
 * bench:joint — `jointVisitOptions` for 3 and 4 services over 30 days at the busiest demo
 * office (Örebro) with at least 60 % of its capacity booked (of its counters' open time, which
 * runs out before its staff time; see lib/fill.ts):
 * - through the gateway (sequential calls, what a booking page asks: office name, each
 *   part's service name and times): p50/p95/p99;
 * - in-process, for the same requests: building the engine's input (SQL + assembly), the
 *   search (`jointVisitOptions`), and the straightforward enumeration baseline
 *   (`jointVisitOptionsBaseline`: every order, every start, every free counter and person per
 *   part, no memo, no bound) on the same inputs, in the same run. The baseline must give the
 *   same options; the speed-up is, per visit, the ratio of the medians (interleaved runs),
 *   and over the visits their geometric mean.
 * Visits of real life (VISITS): moving to Sweden, retiring, a family's papers, looking for work.
 */

const DAYS = 30;
const TARGET_FRACTION = 0.6;
const WARMUP_CALLS = 10;
const CALLS = 150;
/** In-process: rounds per input of ENGINE_RUNS_PER_ROUND searches and one baseline run. */
const ROUNDS = 15;
const ENGINE_RUNS_PER_ROUND = 4;
const INPUT_RUNS = 30;
const GOAL_P95_MS = 50;
const GOAL_SPEEDUP = 10;

/** Visits of real life, 4 per size (the 4-service ones are the 3-service ones plus one). */
const VISITS: Record<'3' | '4', string[][]> = {
  '3': [
    ['SKV/move-to-sweden', 'FK/parental-benefit', 'AF/register-jobseeker'],
    ['PM/apply-pension', 'FK/housing-allowance', 'OREBRO/citizen-guidance'],
    ['SKV/id-card', 'FK/eu-card', 'MIGR/biometrics'],
    ['AF/job-guidance', 'SKV/tax-return-help', 'OREBRO/citizen-guidance'],
  ],
  '4': [
    ['SKV/move-to-sweden', 'FK/parental-benefit', 'AF/register-jobseeker', 'MIGR/biometrics'],
    ['PM/apply-pension', 'FK/housing-allowance', 'OREBRO/citizen-guidance', 'SKV/tax-return-help'],
    ['SKV/id-card', 'FK/eu-card', 'MIGR/biometrics', 'SKV/coordination-number'],
    ['AF/job-guidance', 'SKV/tax-return-help', 'OREBRO/citizen-guidance', 'PM/pension-guidance'],
  ],
};

const OPTIONS_QUERY = `query Joint($s: [ID!]!, $o: ID, $from: Date!, $to: Date!) {
  jointVisitOptions(serviceIds: $s, officeId: $o, from: $from, to: $to) {
    office { id name } start end parts { service { id name } start end } } }`;

function serviceIds(office: DemoOffice, visit: string[]): string[] {
  return visit.map((key) => {
    const [agency, code] = key.split('/');
    const found = office.services.find((s) => s.agency.code === agency && s.code === code);
    if (!found) throw new Error(`${office.name} does not offer ${key}`);
    return found.id;
  });
}

async function bench(system: BenchSystem): Promise<Record<string, unknown>> {
  const { client, stack, today, config } = system;
  const orebro = officeIn(await demoOffices(client), 'Örebro');
  const from = today;
  const to = plusDays(today, DAYS - 1);
  progress(`office ${orebro.name}: joint visits of 3 and 4 services, days ${from}..${to}`);

  const scheduling = await inProcessScheduling(system);
  try {
    const { repository, availability } = scheduling;
    const search = new JointVisitSearchService(repository, availability, config);

    const load = await fillOffice(availability, stack.databaseUrl, orebro, from, to, {
      days: DAYS,
      target: TARGET_FRACTION,
    });
    progress(
      `load: ${load.inserted} appointments; capacity booked ${load.capacityFraction.toFixed(3)} ` +
        `(staff ${load.bookedFraction.toFixed(3)}, counters ${load.counterBusyFraction.toFixed(3)})`,
    );

    const sizes = Object.keys(VISITS) as Array<'3' | '4'>;
    const results: Record<string, Record<string, number>> = {};
    for (const size of sizes) {
      const visits = VISITS[size].map((visit) => serviceIds(orebro, visit));

      // ---- Through the gateway. ----
      let options = 0;
      const call = async (i: number): Promise<number> => {
        const result = await client.request<{ jointVisitOptions: unknown[] }>(OPTIONS_QUERY, {
          s: visits[i % visits.length],
          o: orebro.id,
          from,
          to,
        });
        if (result.errors?.length || !result.data) {
          throw new Error(
            `jointVisitOptions failed (${errorCode(result)}): ${result.errors?.[0]?.message}`,
          );
        }
        options += result.data.jointVisitOptions.length;
        return result.ms;
      };
      for (let i = 0; i < WARMUP_CALLS; i++) await call(i);
      options = 0;
      const gateway: number[] = [];
      for (let i = 0; i < CALLS; i++) gateway.push(await call(i));

      // ---- In-process: input, search, baseline on the same inputs. ----
      const inputMs: number[] = [];
      const engineMs: number[] = [];
      const baselineMs: number[] = [];
      const inputs: JointVisitInput[] = [];
      for (const ids of visits) {
        const { office, services } = await search.officeServices(orebro.id, ids, {});
        for (let i = 0; i < WARMUP_CALLS + INPUT_RUNS / visits.length; i++) {
          const t = performance.now();
          const input = await search.engineInput(office, services, from, to, {});
          if (i >= WARMUP_CALLS) inputMs.push(elapsed(t));
          if (i === 0) inputs.push(input);
        }
      }
      // Interleaved, round after round on each input, so a noisy neighbour slows both alike.
      for (const input of inputs) {
        if (!isDeepStrictEqual(jointVisitOptionsBaseline(input), jointVisitOptions(input))) {
          throw new Error(`the baseline and the search disagree for ${size} services`);
        }
        for (let i = 0; i < WARMUP_CALLS; i++) jointVisitOptions(input);
      }
      const perInput = inputs.map(() => ({ engine: [] as number[], baseline: [] as number[] }));
      for (let round = 0; round < ROUNDS; round++) {
        inputs.forEach((input, k) => {
          for (let i = 0; i < ENGINE_RUNS_PER_ROUND; i++) {
            const t = performance.now();
            jointVisitOptions(input);
            perInput[k].engine.push(elapsed(t));
            engineMs.push(elapsed(t));
          }
          const t = performance.now();
          jointVisitOptionsBaseline(input);
          perInput[k].baseline.push(elapsed(t));
          baselineMs.push(elapsed(t));
        });
      }
      // Per visit, the ratio of the medians; over the visits, their geometric mean (a ratio of
      // pooled medians would weigh the visits by how long each takes).
      const ratios = perInput.map((m) => percentile(m.baseline, 50) / percentile(m.engine, 50));
      const speedup = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
      progress(
        `${size} services: speed-up per visit ${ratios.map((r) => r.toFixed(1)).join(', ')}`,
      );
      results[size] = {
        p50: percentile(gateway, 50),
        p95: percentile(gateway, 95),
        p99: percentile(gateway, 99),
        optionsPerAnswer: options / CALLS,
        inputP50: percentile(inputMs, 50),
        engineP50: percentile(engineMs, 50),
        engineP95: percentile(engineMs, 95),
        baselineP50: percentile(baselineMs, 50),
        speedup,
      };
      const r = results[size];
      progress(
        `${size} services: gateway p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ` +
          `p99 ${r.p99.toFixed(1)} ms (${r.optionsPerAnswer.toFixed(1)} options per answer); ` +
          `in-process engine input ${r.inputP50.toFixed(2)} ms, search p50 ${r.engineP50.toFixed(2)} ms ` +
          `p95 ${r.engineP95.toFixed(2)} ms, baseline p50 ${r.baselineP50.toFixed(1)} ms: ` +
          `${speedup.toFixed(1)}x`,
      );
    }

    const by = (key: string, digits = 2) =>
      Object.fromEntries(sizes.map((size) => [size, round(results[size][key], digits)]));
    const p95Four = results['4'].p95;
    const speedupFour = results['4'].speedup;
    return {
      bench: 'joint',
      office: 'Örebro',
      days: DAYS,
      capacity_booked_fraction: round(load.capacityFraction, 3),
      staff_booked_fraction: round(load.bookedFraction, 3),
      counter_busy_fraction: round(load.counterBusyFraction, 3),
      appointments: load.inserted,
      calls: CALLS,
      p50_ms: by('p50'),
      p95_ms: by('p95'),
      p99_ms: by('p99'),
      engine_input_p50_ms: by('inputP50'),
      engine_p50_ms: by('engineP50'),
      engine_p95_ms: by('engineP95'),
      baseline_p50_ms: by('baselineP50', 1),
      speedup_vs_baseline: by('speedup', 1),
      options_per_answer: by('optionsPerAnswer', 1),
      goal_p95_ms: GOAL_P95_MS,
      goal_speedup: GOAL_SPEEDUP,
      goal_met: p95Four <= GOAL_P95_MS && speedupFour >= GOAL_SPEEDUP,
    };
  } finally {
    await scheduling.close();
  }
}

void runBench('joint', bench, { deadlineMs: 600_000 });
