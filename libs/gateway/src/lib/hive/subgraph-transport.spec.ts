import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import {
  IDENTITY_HEADER,
  InternalIdentityVerifier,
  InternalIdentitySigner,
} from '@samservice/platform/auth';
import type { SubgraphClient } from './subgraph-client';
import {
  samserviceTransports,
  SubgraphResponseError,
  SubgraphUnreachableError,
} from './subgraph-transport';

type Executor = (request: {
  document: ReturnType<typeof parse>;
  variables?: Record<string, unknown>;
  context?: Record<string, unknown>;
}) => Promise<ExecutionResult>;

interface Seen {
  headers: IncomingMessage['headers'];
  body: { query: string; variables?: Record<string, unknown> };
}

describe.each<SubgraphClient>(['fetch', 'http'])(
  'the Hive transport to a subgraph (%s)',
  (client) => {
    let dataDir: string;
    let signer: InternalIdentitySigner;
    let server: Server;
    let url: string;
    let answer: { status: number; body: string };
    const seen: Seen[] = [];

    const executor = (location = url) => {
      const transports = samserviceTransports(signer, client) as unknown as {
        http: { getSubgraphExecutor(payload: unknown): Executor };
      };
      return transports.http.getSubgraphExecutor({
        subgraphName: 'scheduling',
        transportEntry: { location },
      });
    };

    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'hive-transport-'));
      signer = await InternalIdentitySigner.create({ isProduction: false, dataDir });
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          seen.push({ headers: req.headers, body: JSON.parse(body) as Seen['body'] });
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(answer.body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(dataDir, { recursive: true, force: true });
    });

    it('posts the operation with the signed identity and the request id, not the client headers', async () => {
      answer = { status: 200, body: JSON.stringify({ data: { me: { role: 'STAFF' } } }) };
      const principal = {
        role: 'staff' as const,
        subject: 's-1',
        offices: ['o-1'],
        adminOffices: [],
        competences: [],
      };
      const result = await executor()({
        document: parse('query Me { me { role } }'),
        variables: { a: 1 },
        context: {
          principal,
          clientAddress: '192.0.2.7',
          requestId: 'req-12345678',
          headers: { authorization: 'Bearer client-token', cookie: 'c=1' },
        },
      });
      expect(result).toEqual({ data: { me: { role: 'STAFF' } } });
      const request = seen[seen.length - 1];
      expect(request.body).toMatchObject({
        query: 'query Me {\n  me {\n    role\n  }\n}',
        variables: { a: 1 },
      });
      expect(request.headers['x-request-id']).toBe('req-12345678');
      expect(request.headers['authorization']).toBeUndefined();
      expect(request.headers['cookie']).toBeUndefined();
      const verifier = await InternalIdentityVerifier.create({ isProduction: false, dataDir });
      const forwarded = await verifier.verify(request.headers[IDENTITY_HEADER] as string);
      expect(forwarded).toEqual({ principal, clientAddress: '192.0.2.7' });
    });

    it('keeps the extensions of the errors a subgraph answers with', async () => {
      answer = {
        status: 200,
        body: JSON.stringify({
          data: null,
          errors: [
            {
              message: 'That time is taken.',
              path: ['bookAppointment'],
              extensions: { code: 'SLOT_UNAVAILABLE', nextFreeStart: null },
            },
          ],
        }),
      };
      const result = await executor()({ document: parse('{ me { role } }') });
      expect(result.data).toBeNull();
      expect(result.errors?.[0]).toBeInstanceOf(GraphQLError);
      expect(result.errors?.[0].toJSON()).toEqual({
        message: 'That time is taken.',
        path: ['bookAppointment'],
        extensions: { code: 'SLOT_UNAVAILABLE', nextFreeStart: null },
      });
    });

    it('relays a request the subgraph refuses as a whole (HTTP 400 with a code) as that error', async () => {
      answer = {
        status: 400,
        body: JSON.stringify({
          errors: [
            { message: 'Not a date.', extensions: { code: 'BAD_USER_INPUT', stacktrace: ['x'] } },
          ],
        }),
      };
      await expect(executor()({ document: parse('{ me { role } }') })).rejects.toEqual(
        new GraphQLError('Not a date.', { extensions: { code: 'BAD_USER_INPUT' } }),
      );
    });

    it('fails with SubgraphResponseError on an answer that is not GraphQL', async () => {
      answer = { status: 502, body: '<html>Bad gateway</html>' };
      await expect(executor()({ document: parse('{ me { role } }') })).rejects.toBeInstanceOf(
        SubgraphResponseError,
      );
    });

    it('fails with SubgraphUnreachableError, naming the cause, when nothing answers', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const error = await executor(`http://127.0.0.1:${port}/graphql`)({
        document: parse('{ me { role } }'),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SubgraphUnreachableError);
      expect(error).toMatchObject({ subgraph: 'scheduling', reason: 'ECONNREFUSED' });
    });
  },
);
