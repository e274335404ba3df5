import type { DemoOffice, DemoService, Slot } from './demo';
import { SLOTS_QUERY } from './demo';
import type { GraphQLClient } from './graphql';
import { plusDays } from './system';

/** One bookable unit: a free start of a service at an office. */
export interface Pair {
  officeId: string;
  serviceId: string;
  start: string;
}

/**
 * Every free start of every service at every office over `days` days from `from`, once per
 * unit of capacity, in the order of the offices and services (so a seeded shuffle of it is
 * the same each run).
 */
export async function freePairs(
  client: GraphQLClient,
  offices: DemoOffice[],
  from: string,
  days: number,
): Promise<{ pairs: Pair[]; requests: number; to: string }> {
  const to = plusDays(from, days - 1);
  const jobs: Array<{ office: DemoOffice; service: DemoService }> = offices.flatMap((office) =>
    office.services.map((service) => ({ office, service })),
  );
  const perJob: Pair[][] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < jobs.length; index = next++) {
      const { office, service } = jobs[index];
      const data = await client.query<{ availableSlots: Slot[] }>(SLOTS_QUERY, {
        o: office.id,
        s: service.id,
        from,
        to,
      });
      perJob[index] = data.availableSlots.flatMap((slot) =>
        Array.from({ length: slot.capacity }, () => ({
          officeId: office.id,
          serviceId: service.id,
          start: slot.start,
        })),
      );
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { pairs: perJob.flat(), requests: jobs.length, to };
}
