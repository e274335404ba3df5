import { getOperationAST, parse } from 'graphql';
import { REQUEST_LIMITS } from '@samservice/platform/http';
import { engineDayBudget, engineDays } from './engine-days';

function count(query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const document = parse(query);
  const operation = getOperationAST(document, operationName);
  if (!operation) throw new Error('no operation');
  return engineDays(document, operation, variables);
}

const SLOTS = (from: string, to: string) =>
  `availableSlots(officeId: "o", serviceId: "s", from: "${from}", to: "${to}") { start }`;

describe('engine days of an operation', () => {
  it('counts the days of availableSlots, with literal and variable arguments', () => {
    expect(count(`{ ${SLOTS('2027-03-01', '2027-03-05')} }`).total).toBe(5);
    expect(
      count(
        'query($f: Date!, $t: Date!) { availableSlots(officeId: "o", serviceId: "s", from: $f, to: $t) { start } }',
        { f: '2027-03-01', t: '2027-04-29' },
      ).total,
    ).toBe(60);
    // A default value counts when the variable is not given.
    expect(
      count(
        'query($f: Date = "2027-03-01", $t: Date = "2027-03-02") { availableSlots(officeId: "o", serviceId: "s", from: $f, to: $t) { start } }',
      ).total,
    ).toBe(2);
  });

  it('counts days × services for jointVisitOptions', () => {
    expect(
      count(
        '{ jointVisitOptions(serviceIds: ["a", "b", "c"], from: "2027-03-01", to: "2027-03-10") { start } }',
      ).total,
    ).toBe(30);
    expect(
      count(
        'query($s: [ID!]!) { jointVisitOptions(serviceIds: $s, from: "2027-03-01", to: "2027-03-02") { start } }',
        { s: ['a', 'b'] },
      ).total,
    ).toBe(4);
  });

  it('adds up every alias, inline fragment and fragment spread, once per response key', () => {
    const aliases = Array.from(
      { length: 200 },
      (_, i) => `a${i}: ${SLOTS('2027-03-01', '2027-04-29')}`,
    ).join(' ');
    expect(count(`{ ${aliases} }`).total).toBe(200 * 60);
    const fragments = `{ ... on Query { x: ${SLOTS('2027-03-01', '2027-03-10')} } ...F ...F }
      fragment F on Query { y: ${SLOTS('2027-03-01', '2027-03-03')} }`;
    expect(count(fragments).fields.map((f) => [f.key, f.days])).toEqual([
      ['x', 10],
      ['y', 3],
    ]);
  });

  it('weighs what it cannot read as the most the subgraph allows, never as nothing', () => {
    const max = REQUEST_LIMITS.maxRangeDays;
    expect(count(`{ ${SLOTS('9999-12-30', '9999-12-31')} }`).total).toBe(2);
    expect(count(`{ ${SLOTS('2027-02-30', '2027-03-01')} }`).total).toBe(max);
    expect(count(`{ ${SLOTS('2027-01-01', '2027-12-31')} }`).total).toBe(max);
    expect(count(`{ ${SLOTS('2027-03-05', '2027-03-01')} }`).total).toBe(1);
    expect(
      count(
        'query($f: Date!, $t: Date!) { availableSlots(officeId: "o", serviceId: "s", from: $f, to: $t) { start } }',
      ).total,
    ).toBe(max);
    expect(
      count(
        'query($s: [ID!]!) { jointVisitOptions(serviceIds: $s, from: "2027-03-01", to: "2027-03-01") { start } }',
      ).total,
    ).toBe(REQUEST_LIMITS.maxJointServices);
  });

  it('counts only the operation that runs, and nothing in mutations', () => {
    const document = `query A { ${SLOTS('2027-03-01', '2027-03-31')} } query B { agencies { code } }`;
    expect(count(document, {}, 'A').total).toBe(31);
    expect(count(document, {}, 'B').total).toBe(0);
    expect(count('mutation { cancelAppointment(reference: "X") { id } }').total).toBe(0);
  });
});

describe('the engine-day budget plugin', () => {
  async function check(query: string) {
    const document = parse(query);
    const operation = getOperationAST(document);
    const listener = await engineDayBudget(100).requestDidStart?.({} as never);
    return (listener?.didResolveOperation as (context: unknown) => Promise<void>)({
      document,
      operation,
      request: { variables: {} },
    });
  }

  it('lets an operation within the budget through', async () => {
    await expect(check(`{ ${SLOTS('2027-03-01', '2027-04-29')} }`)).resolves.toBeUndefined();
  });

  it('refuses one over it with BAD_USER_INPUT, HTTP 400 and the figures', async () => {
    const query = `{ a: ${SLOTS('2027-03-01', '2027-04-29')} b: ${SLOTS('2027-03-01', '2027-04-29')} }`;
    await expect(check(query)).rejects.toMatchObject({
      message: expect.stringMatching(/120 service-days.*at most 100/),
      extensions: {
        code: 'BAD_USER_INPUT',
        limit: 'engineDays',
        max: 100,
        found: 120,
        http: { status: 400 },
      },
    });
  });
});
