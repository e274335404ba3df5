import type { TestStack } from './test-stack';

/**
 * The ids of a demo office (by municipality) and one of its services (by code), read through
 * the gateway as a client would; fails the test clearly when the demo network lacks them.
 */
export async function demoOfficeService(
  stack: Pick<TestStack, 'query'>,
  municipality: string,
  serviceCode: string,
): Promise<{ officeId: string; serviceId: string }> {
  const response = await stack.query<{
    offices: Array<{
      id: string;
      municipality: string;
      services: Array<{ id: string; code: string }>;
    }>;
  }>('{ offices { id municipality services { id code } } }');
  const office = response.data?.offices.find((o) => o.municipality === municipality);
  const service = office?.services.find((s) => s.code === serviceCode);
  if (!office || !service) {
    throw new Error(`the demo network has no ${serviceCode} at an office in ${municipality}`);
  }
  return { officeId: office.id, serviceId: service.id };
}
