import type { GraphQLClient } from './graphql';

export interface DemoService {
  id: string;
  code: string;
  durationMinutes: number;
  agency: { code: string };
}

export interface DemoOffice {
  id: string;
  name: string;
  municipality: string;
  services: DemoService[];
}

export interface Slot {
  start: string;
  end: string;
  capacity: number;
}

export const SLOTS_QUERY = `query Slots($o: ID!, $s: ID!, $from: Date!, $to: Date!) {
  availableSlots(officeId: $o, serviceId: $s, from: $from, to: $to) { start end capacity } }`;

export const BOOK_MUTATION = `mutation Book($input: BookAppointmentInput!) {
  bookAppointment(input: $input) { id reference start } }`;

/** The seeded demo network's offices and what each offers (public query). */
export async function demoOffices(client: GraphQLClient): Promise<DemoOffice[]> {
  const data = await client.query<{ offices: DemoOffice[] }>(
    '{ offices { id name municipality services { id code durationMinutes agency { code } } } }',
  );
  return data.offices;
}

export function officeIn(offices: DemoOffice[], municipality: string): DemoOffice {
  const office = offices.find((o) => o.municipality === municipality);
  if (!office) throw new Error(`the demo network has no office in ${municipality}`);
  return office;
}
