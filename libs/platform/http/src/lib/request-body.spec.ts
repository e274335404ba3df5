import type { ServerResponse } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { answerBodyError, bodyErrorHandler, clientErrorStatus } from './request-body';

function fakeResponse() {
  const sent: { status?: number; headers: Record<string, string>; body?: string } = {
    headers: {},
  };
  const res = {
    headersSent: false,
    set statusCode(value: number) {
      sent.status = value;
    },
    get statusCode(): number {
      return sent.status ?? 200;
    },
    setHeader: (name: string, value: string) => (sent.headers[name] = value),
    end: (body?: string) => (sent.body = body),
  } as unknown as ServerResponse;
  return { res, sent };
}

/** What body-parser raises (through http-errors). */
function httpError(status: number, type: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error('raw parser message'), { status, expose: true, type, ...extra });
}

describe('request body refusals', () => {
  it('answers a body over the limit 413 PAYLOAD_TOO_LARGE, GraphQL-shaped', () => {
    const { res, sent } = fakeResponse();
    const error = httpError(413, 'entity.too.large', { limit: 65_536, length: 204_800 });
    expect(answerBodyError(error, res, 65_536)).toBe(true);
    expect(sent.status).toBe(413);
    expect(sent.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(sent.body ?? '')).toEqual({
      errors: [
        {
          message: expect.stringMatching(/larger than the 65536 bytes/),
          extensions: { code: 'PAYLOAD_TOO_LARGE', limit: 'requestBytes', max: 65_536 },
        },
      ],
    });
  });

  it('answers a body that is not JSON 400 BAD_REQUEST, without the parser message', () => {
    const { res, sent } = fakeResponse();
    expect(answerBodyError(httpError(400, 'entity.parse.failed'), res, 65_536)).toBe(true);
    expect(sent.status).toBe(400);
    const body = JSON.parse(sent.body ?? '') as { errors: Array<{ message: string }> };
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' } });
    expect(body.errors[0].message).not.toMatch(/raw parser message/);
  });

  it('leaves every other error to the backstop', () => {
    const { res, sent } = fakeResponse();
    expect(answerBodyError(new TypeError('boom'), res, 65_536)).toBe(false);
    expect(answerBodyError(Object.assign(new Error('x'), { status: 500 }), res)).toBe(false);
    expect(clientErrorStatus(Object.assign(new Error('x'), { status: 404 }))).toBeUndefined();
    expect(sent.status).toBeUndefined();
  });

  it('logs a refused body as one info line with the path only, and passes other errors on', () => {
    const logged: unknown[] = [];
    const handler = bodyErrorHandler(65_536, { info: (obj: unknown) => logged.push(obj) } as never);
    const { res } = fakeResponse();
    const req = { method: 'POST', url: '/graphql?query=secret' } as IncomingMessage;
    const next = jest.fn();
    handler(httpError(413, 'entity.too.large'), req, res, next);
    expect(next).not.toHaveBeenCalled();
    expect(logged).toEqual([
      { req: { method: 'POST', url: '/graphql' }, res: { statusCode: 413 }, limitBytes: 65_536 },
    ]);
    const other = new TypeError('boom');
    handler(other, req, res, next);
    expect(next).toHaveBeenCalledWith(other);
  });
});
