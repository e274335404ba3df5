import { errorCodes, startTestStack, type TestStack } from '@samservice/testing';

const AGENCIES = '{ agencies { id code services { id code lifeSituations } } }';
const CREATE = `mutation($input: CreateServiceInput!) {
  createService(input: $input) { id lifeSituations } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateServiceInput!) {
  updateService(id: $id, input: $input) { id lifeSituations } }`;
const READ = 'query($id: ID!) { agency(id: $id) { services { id lifeSituations } } }';

interface Agency {
  id: string;
  code: string;
  services: Array<{ id: string; code: string; lifeSituations: string[] }>;
}

/**
 * `Service.lifeSituations` through the gateway: the booking offers matters by what is
 * happening in a citizen's life, from data the directory holds (never guessed from names).
 */
describe('the directory: the life situations of a service', () => {
  let stack: TestStack;
  let admin: string;
  let agencies: Agency[];
  let created: string;

  const agency = (code: string) => agencies.find((a) => a.code === code) as Agency;
  const situations = async (serviceId: string, agencyId: string) => {
    const response = await stack.query<{ agency: Agency }>(READ, { id: agencyId });
    expect(response.errors).toBeUndefined();
    return response.data?.agency.services.find((s) => s.id === serviceId)?.lifeSituations;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    admin = await stack.tokenFor({ role: 'admin', subject: 'network-admin' });
    const response = await stack.query<{ agencies: Agency[] }>(AGENCIES);
    expect(response.errors).toBeUndefined();
    agencies = response.data?.agencies ?? [];
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('the demo network files its matters under life situations', () => {
    const of = (agencyCode: string, code: string) =>
      agency(agencyCode).services.find((s) => s.code === code)?.lifeSituations;
    expect(of('SKV', 'id-card')).toEqual(['LOST_ID', 'MOVING_TO_SWEDEN']);
    expect(of('SKV', 'move-to-sweden')).toEqual(['MOVING_TO_SWEDEN']);
    expect(of('FK', 'parental-benefit')).toEqual(['NEW_BABY']);
    expect(of('PM', 'apply-pension')).toEqual(['RETIRING']);
    expect(of('AF', 'register-jobseeker')).toEqual(['LOOKING_FOR_WORK']);
    // A matter of its own belongs to no situation.
    expect(of('FK', 'sickness-benefit')).toEqual([]);
    // Every situation has at least one matter to offer.
    const all = new Set(agencies.flatMap((a) => a.services.flatMap((s) => s.lifeSituations)));
    expect([...all].sort()).toEqual([
      'LOOKING_FOR_WORK',
      'LOST_ID',
      'MOVING_TO_SWEDEN',
      'NEW_BABY',
      'RETIRING',
    ]);
  });

  it('an admin sets them on create, changes and clears them on update; they read back', async () => {
    const fk = agency('FK');
    const response = await stack.query<{ createService: { id: string; lifeSituations: string[] } }>(
      CREATE,
      {
        input: {
          agencyId: fk.id,
          code: 'child-allowance',
          nameSv: 'Barnbidrag',
          nameEn: 'Child allowance',
          durationMinutes: 20,
          lifeSituations: ['NEW_BABY', 'MOVING_TO_SWEDEN'],
        },
      },
      { token: admin },
    );
    expect(response.errors).toBeUndefined();
    created = response.data?.createService.id as string;
    expect(response.data?.createService.lifeSituations).toEqual(['NEW_BABY', 'MOVING_TO_SWEDEN']);
    expect(await situations(created, fk.id)).toEqual(['NEW_BABY', 'MOVING_TO_SWEDEN']);

    const changed = await stack.query(
      UPDATE,
      { id: created, input: { lifeSituations: ['NEW_BABY'] } },
      { token: admin },
    );
    expect(changed.errors).toBeUndefined();
    expect(await situations(created, fk.id)).toEqual(['NEW_BABY']);

    // Another change leaves them alone.
    await stack.query(UPDATE, { id: created, input: { durationMinutes: 25 } }, { token: admin });
    expect(await situations(created, fk.id)).toEqual(['NEW_BABY']);

    const cleared = await stack.query(
      UPDATE,
      { id: created, input: { lifeSituations: [] } },
      { token: admin },
    );
    expect(cleared.errors).toBeUndefined();
    expect(await situations(created, fk.id)).toEqual([]);
  });

  it('hostile: an unknown situation, duplicates, too many, null, or no admin change nothing', async () => {
    const fk = agency('FK');
    await stack.query(
      UPDATE,
      { id: created, input: { lifeSituations: ['RETIRING'] } },
      { token: admin },
    );
    const refused = async (input: Record<string, unknown>, token = admin) => {
      const response = await stack.query(UPDATE, { id: created, input }, { token });
      expect(response.data ?? null).toBeNull();
      expect(await situations(created, fk.id)).toEqual(['RETIRING']);
      return response;
    };
    const unknown = await refused({ lifeSituations: ['WINNING_THE_LOTTERY'] });
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
    const duplicates = await refused({ lifeSituations: ['NEW_BABY', 'NEW_BABY'] });
    expect(errorCodes(duplicates)).toEqual(['BAD_USER_INPUT']);
    expect(duplicates.errors?.[0]?.message).toContain('lifeSituations');
    const many = await refused({
      lifeSituations: [
        'NEW_BABY',
        'RETIRING',
        'LOST_ID',
        'LOOKING_FOR_WORK',
        'MOVING_TO_SWEDEN',
        'NEW_BABY',
      ],
    });
    expect(errorCodes(many)).toEqual(['BAD_USER_INPUT']);
    const nulled = await refused({ lifeSituations: null });
    expect(errorCodes(nulled)).toEqual(['BAD_USER_INPUT']);
    const citizenToken = await stack.tokenFor({
      role: 'citizen',
      subject: 'c',
      personnummer: '191212121212',
    });
    const citizen = await refused({ lifeSituations: ['NEW_BABY'] }, citizenToken);
    expect(errorCodes(citizen)).toEqual(['FORBIDDEN']);
    const anonymous = await refused({ lifeSituations: ['NEW_BABY'] }, '');
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);

    // The database keeps the invariant on its own: only the known situations.
    await expect(
      stack.sql(
        `UPDATE directory.service SET life_situations = '{WINNING_THE_LOTTERY}' WHERE id = $1`,
        [created],
      ),
    ).rejects.toThrow(/ck_service_life_situations/);
    expect(await situations(created, fk.id)).toEqual(['RETIRING']);
  });
});
