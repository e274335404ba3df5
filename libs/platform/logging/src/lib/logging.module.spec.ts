import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { MiddlewareConsumer } from '@nestjs/common';
import pino from 'pino';
import { LoggingModule, createLogger, currentLogger, pinoOptions } from './logging.module';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** A server running the module's request middleware, as Nest does, with its lines captured. */
async function serverWithRequestLog(level = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  const logger = pino(pinoOptions({ service: 'test', level, pretty: false }), stream);
  let middleware: Middleware | undefined;
  const consumer = {
    apply: (fn: Middleware) => {
      middleware = fn;
      return { forRoutes: () => consumer };
    },
  } as unknown as MiddlewareConsumer;
  new LoggingModule(logger).configure(consumer);
  const server: Server = createServer((req, res) =>
    middleware?.(req, res, () => {
      currentLogger(logger).warn('handled');
      res.statusCode = 200;
      res.end('{}');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => lines.join(''),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('request log line', () => {
  const query =
    'query($r: String!, $p: String) { appointmentByReference(reference: $r, personnummer: $p) { id } }';
  const variables = JSON.stringify({ r: 'ABCD1234', p: '191212121212' });
  const search = `?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(variables)}`;

  it('logs the path without the query string', async () => {
    const server = await serverWithRequestLog();
    try {
      await fetch(`${server.base}/graphql${search}`, {
        headers: { 'apollo-require-preflight': '1' },
      });
      await fetch(`${server.base}/graphql?p=19121212-1212&raw="191212121212"`);
      const completed = server.lines().filter((line) => line['msg'] === 'request completed');
      expect(completed).toHaveLength(2);
      for (const line of completed) {
        expect(line['req']).toMatchObject({ method: 'GET', url: '/graphql' });
      }
      expect(server.text()).not.toMatch(/191212121212|1212-1212|personnummer|variables/);
    } finally {
      await server.close();
    }
  });

  it.each(['info', 'warn'])(
    'replaces an identity number sent as the request id with a fresh id, at level %s',
    async (level) => {
      const server = await serverWithRequestLog(level);
      try {
        const response = await fetch(`${server.base}/graphql`, {
          headers: { 'x-request-id': '191212121212' },
        });
        const id = response.headers.get('x-request-id') as string;
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(server.lines().map((line) => line['msg'])).toContain('handled');
        expect(server.text()).not.toContain('191212121212');
        expect(server.text()).toContain(id);
      } finally {
        await server.close();
      }
    },
  );

  it('skips health and readiness probes, with or without a query string', async () => {
    const server = await serverWithRequestLog();
    try {
      await fetch(`${server.base}/health`);
      await fetch(`${server.base}/ready?probe=1`);
      expect(server.lines().filter((line) => line['msg'] !== 'handled')).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('a log file (LOG_FILE)', () => {
  it('gets every line from the level up, masked, in a directory it creates', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'samservice-log-file-'));
    const file = path.join(dir, 'nested', 'service.log');
    // consoleLevel 'silent': nothing on stdout (the default with a file).
    const logger = createLogger({
      service: 'files',
      level: 'debug',
      pretty: false,
      file,
      consoleLevel: 'silent',
    });
    logger.trace('below the level');
    logger.debug('quiet detail');
    logger.info('booked for 19121212-1212');
    logger.warn('a problem');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line) as { msg: string; service: string })).toEqual([
      expect.objectContaining({ service: 'files', msg: 'quiet detail' }),
      expect.objectContaining({ msg: 'booked for [redacted-id]' }),
      expect.objectContaining({ msg: 'a problem' }),
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});
