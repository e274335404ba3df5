import { request as httpRequest } from 'node:http';
import { startTestStack, type TestStack } from '@samservice/testing';

/**
 * Identity numbers in every place a request can carry them, and not one of them in any log
 * line of any service. Tolvan Tolvansson, Skatteverket's test personnummer 811228-9874 and
 * the samordningsnummer 701063-2391 (day + 60), each in its 12-digit form.
 */
const NUMBERS = ['191212121212', '198112289874', '197010632391'];

/** Every way one of them can be written, plain and URL-encoded. */
function forms(twelve: string): string[] {
  const ten = twelve.slice(2);
  const written = [
    twelve,
    `${twelve.slice(0, 8)}-${twelve.slice(8)}`,
    `${twelve.slice(0, 8)}+${twelve.slice(8)}`,
    ten,
    `${ten.slice(0, 6)}-${ten.slice(6)}`,
    `${ten.slice(0, 6)}+${ten.slice(6)}`,
  ];
  return [...new Set([...written, ...written.map(encodeURIComponent)])];
}

const BY_REFERENCE = `query($r: String!, $p: String) {
  appointmentByReference(reference: $r, personnummer: $p) { id } }`;

interface RawResponse {
  status: number;
  body: string;
}

/** A request exactly as written: no client library re-encodes the path or the headers. */
function rawRequest(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, method, path, headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('no identity number in any log line', () => {
  let stack: TestStack;
  const lines: Array<{ service: string; line: string }> = [];

  beforeAll(async () => {
    stack = await startTestStack(
      { LOG_LEVEL: 'trace', LOG_FORMAT: 'json' },
      { gatewayProcess: true, output: (service, line) => lines.push({ service, line }) },
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('whether it comes in the body, the query string or a header', async () => {
    const [tolvan, person, coordination] = NUMBERS as [string, string, string];
    const sent: Array<Promise<unknown>> = [];
    const preflight = { 'apollo-require-preflight': '1' };

    for (const number of forms(tolvan).concat(forms(person), forms(coordination))) {
      const variables = { r: 'ABCD1234', p: number };
      // JSON body: in the variables, and inline in the query text.
      sent.push(stack.query(BY_REFERENCE, variables));
      sent.push(
        stack.query(
          `{ appointmentByReference(reference: "ABCD1234", personnummer: ${JSON.stringify(number)}) { id } }`,
        ),
      );
      // GET: the query string URL-encoded, as a browser sends it.
      const search = `?query=${encodeURIComponent(BY_REFERENCE)}&variables=${encodeURIComponent(JSON.stringify(variables))}`;
      sent.push(fetch(`${stack.graphqlUrl}${search}`, { headers: preflight }));
    }
    // GET: the query string raw, quotes and all.
    for (const number of NUMBERS.flatMap(forms).filter((form) => !form.includes('%'))) {
      sent.push(
        rawRequest(
          stack.gatewayUrl,
          'GET',
          `/graphql?query={appointmentByReference(reference:"ABCD1234",personnummer:"${number}"){id}}&variables={"p":"${number}"}&p=${number}`,
          preflight,
        ),
      );
    }
    // Headers: the request id (shaped like an id, but holding a number, so it is replaced), a
    // custom one, the referer, the user agent, a cookie, a bearer token.
    for (const number of [tolvan, `${person.slice(0, 8)}-${person.slice(8)}`, coordination]) {
      sent.push(
        stack.query('{ offices { id } }', {}, { headers: { 'x-request-id': number } }),
        stack.query(BY_REFERENCE, { r: 'ABCD1234' }, { headers: { 'x-request-id': number } }),
        stack.query(
          '{ agencies { code } }',
          {},
          {
            headers: {
              'x-personnummer': number,
              referer: `https://boka.example.se/avbok?pnr=${number}`,
              'user-agent': `kiosk ${number}`,
              cookie: `pnr=${number}`,
            },
          },
        ),
        stack.query(
          '{ agencies { code } }',
          {},
          { headers: { authorization: `Bearer ${number}` } },
        ),
      );
    }
    // A variable of the wrong type and an unknown argument: refusals that quote the query.
    sent.push(
      stack.query(`{ appointmentByReference(reference: "X", pnr: "${tolvan}") { id } }`),
      stack.query(BY_REFERENCE, { r: 'ABCD1234', p: Number(person) }),
    );
    const logged = (await Promise.all(sent)).length;
    // A body that is not JSON: the body parser refuses it before the request log starts,
    // with a message that quotes the body.
    const malformed = await rawRequest(
      stack.gatewayUrl,
      'POST',
      '/graphql',
      { 'content-type': 'application/json' },
      `{"query": "{ appointmentByReference(personnummer: \\"${tolvan}\\") ", "variables": {"p": "${person}"`,
    );
    expect(malformed.status).toBe(400);

    // Every request reached the gateway's log, and the subgraphs logged theirs.
    const completed = () =>
      lines.filter((l) => l.service === 'gateway' && l.line.includes('"request completed"'));
    const deadline = Date.now() + 20_000;
    while (completed().length < logged && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(completed().length).toBe(logged);
    for (const service of ['directory', 'scheduling']) {
      expect(
        lines.filter((l) => l.service === service && l.line.includes('"request completed"')).length,
      ).toBeGreaterThan(0);
    }
    // The GET requests are there, by their path.
    expect(completed().some((l) => l.line.includes('"method":"GET","url":"/graphql"'))).toBe(true);
    // Request ids that were identity numbers were replaced by fresh ones, not passed on masked.
    expect(lines.filter((l) => l.line.includes('"requestId":"[redacted-id]"'))).toEqual([]);

    const leaks = lines.filter(({ line }) =>
      NUMBERS.flatMap(forms).some((form) => line.includes(form)),
    );
    expect(leaks).toEqual([]);
  });
});
