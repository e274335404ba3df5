import { demoOfficeService, errorCodes, startTestStack, type TestStack } from '@samservice/testing';

/** "Now" for this suite: Monday 1 March 2027, 08:00 in Stockholm. */
const NOW = '2027-03-01T08:00:00+01:00';

const SLOTS = `query($o: ID!, $s: ID!, $from: Date!, $to: Date!) {
  availableSlots(officeId: $o, serviceId: $s, from: $from, to: $to) { start } }`;
const HOLD = `mutation($input: HoldSlotInput!) { holdSlot(input: $input) { token } }`;

/**
 * Anonymous callers get 3 live holds per network address. Four anonymous holds of free
 * slots on `date`, the i-th sent with X-Forwarded-For `forwardedFor(i)`: the error codes of
 * each.
 */
async function fourAnonymousHolds(
  stack: TestStack,
  date: string,
  forwardedFor: (i: number) => string,
): Promise<unknown[][]> {
  const { officeId, serviceId } = await demoOfficeService(stack, 'Örebro', 'tax-return-help');
  const slots =
    (
      await stack.query<{ availableSlots: Array<{ start: string }> }>(SLOTS, {
        o: officeId,
        s: serviceId,
        from: date,
        to: date,
      })
    ).data?.availableSlots ?? [];
  expect(slots.length).toBeGreaterThanOrEqual(4);
  const codes: unknown[][] = [];
  for (const [i, slot] of slots.slice(0, 4).entries()) {
    const response = await stack.query(
      HOLD,
      { input: { officeId, serviceId, start: slot.start } },
      { headers: { 'x-forwarded-for': forwardedFor(i) } },
    );
    codes.push(errorCodes(response));
  }
  return codes;
}

describe('the client address behind a trusted proxy (TRUSTED_PROXIES=127.0.0.1)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW, TRUSTED_PROXIES: '127.0.0.1' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('is the address the proxy saw: four anonymous callers behind it hold a slot each', async () => {
    expect(await fourAnonymousHolds(stack, '2027-03-17', (i) => `203.0.113.${i + 1}`)).toEqual([
      [],
      [],
      [],
      [],
    ]);
  });

  it('is not what a client writes into X-Forwarded-For itself', async () => {
    expect(
      await fourAnonymousHolds(stack, '2027-03-18', (i) => `198.51.100.${i + 1}, 203.0.113.50`),
    ).toEqual([[], [], [], ['LIMIT_REACHED']]);
  });
});

describe('the client address without TRUSTED_PROXIES', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('is the socket peer: X-Forwarded-For is ignored', async () => {
    expect(await fourAnonymousHolds(stack, '2027-03-17', (i) => `203.0.113.${i + 1}`)).toEqual([
      [],
      [],
      [],
      ['LIMIT_REACHED'],
    ]);
  });
});
