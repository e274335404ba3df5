import { Writable } from 'node:stream';
import pino from 'pino';
import { maskIdentityNumbers } from './redaction';
import { pinoOptions } from './logging.module';

function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  const logger = pino(pinoOptions({ service: 'test', level: 'info', pretty: false }), stream);
  return { logger, text: () => lines.join('') };
}

describe('log redaction', () => {
  it('censors fields that can hold personal data, at any of the first levels', () => {
    const { logger, text } = captureLogger();
    logger.info(
      {
        personnummer: '19121212-1212',
        citizen: { name: 'Tolvan Tolvansson', email: 'tolvan@example.se', phone: '070-1234567' },
        input: { citizen: { personnummer: '191212121212', birthDate: '1912-12-12' } },
        req: {
          headers: { authorization: 'Bearer abc.def.ghi', 'x-samservice-identity': 'signed' },
        },
      },
      'booking',
    );
    const line = text();
    for (const secret of [
      '1212',
      'Tolvan',
      'tolvan@example.se',
      '070-1234567',
      'abc.def.ghi',
      'signed',
      '1912-12-12',
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
  });

  it('masks identity numbers inside free text, whatever field carries them', () => {
    const { logger, text } = captureLogger();
    logger.warn(
      { detail: 'duplicate key for 19121212-1212 and 121212+1212' },
      'conflict for 191212121212',
    );
    expect(text()).not.toMatch(/1212-1212|121212\+1212|191212121212/);
    expect(text()).toContain('[redacted-id]');
  });

  it('leaves ordinary numbers, ids and times alone', () => {
    expect(maskIdentityNumbers('slot 2027-03-29T09:00:00+02:00 capacity 3 id 123e4567-e89b')).toBe(
      'slot 2027-03-29T09:00:00+02:00 capacity 3 id 123e4567-e89b',
    );
    expect(maskIdentityNumbers('order 12345678901234')).toBe('order 12345678901234');
  });

  it('masks inside nested objects, arrays and errors', () => {
    const { logger, text } = captureLogger();
    logger.error({
      list: ['8112289874'],
      deep: { a: { b: { c: ['811228-9874'] } } },
      err: new Error('bad 811228-9874'),
    });
    const line = JSON.parse(text()) as {
      list: string[];
      deep: { a: { b: { c: string[] } } };
      err: { message: string; stack: string };
    };
    expect(line.list[0]).toBe('[redacted-id]');
    expect(line.deep.a.b.c[0]).toBe('[redacted-id]');
    expect(line.err.message).toBe('bad [redacted-id]');
    expect(text()).not.toMatch(/9874/);
  });
});

describe('identity numbers and ids', () => {
  const ids = [
    '19121212-1212-4d18-beac-b514c97038b1',
    '00000000-0000-4000-8000-191212121212',
    'b514c970-8112-4289-8874-191212121212',
  ];

  it.each(ids)('leaves the UUID %s intact, in free text and in every log line', (id) => {
    expect(maskIdentityNumbers(`request ${id} done`)).toBe(`request ${id} done`);
    const { logger, text } = captureLogger();
    logger.child({ requestId: id }).info({ appointmentId: id }, `booked ${id}`);
    const line = JSON.parse(text()) as Record<string, unknown>;
    expect(line).toMatchObject({ requestId: id, appointmentId: id, msg: `booked ${id}` });
  });

  it.each([
    '191212121212',
    '19121212-1212',
    '121212-1212',
    '121212+1212',
    '1212121212',
    '%22191212121212%22',
    '%2219121212-1212%22',
    '121212%2B1212',
    '\\u0001191212121212',
  ])('masks %s', (form) => {
    const masked = maskIdentityNumbers(`p=${form}&x`);
    expect(masked).toContain('[redacted-id]');
    expect(masked).not.toMatch(/1212/);
  });

  it('masks identity numbers next to a UUID without touching the UUID', () => {
    expect(
      maskIdentityNumbers('19121212-1212 for 00000000-0000-4000-8000-191212121212 by 1212121212'),
    ).toBe('[redacted-id] for 00000000-0000-4000-8000-191212121212 by [redacted-id]');
  });
});

describe('masking on every path of a log line', () => {
  it('masks what a child logger is bound with', () => {
    const { logger, text } = captureLogger();
    logger
      .child({ url: '/graphql?variables=%7B%22p%22%3A%22191212121212%22%7D', note: '121212-1212' })
      .info('request completed');
    expect(text()).not.toMatch(/191212121212|121212-1212/);
    expect(text()).toContain('[redacted-id]');
  });

  it('masks what serializers return', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const logger = pino(
      {
        ...pinoOptions({ service: 'test', level: 'info', pretty: false }),
        serializers: { req: (req: { url: string }) => ({ url: req.url }) },
      },
      stream,
    );
    logger
      .child({ req: { url: '/x?p=19121212-1212' } })
      .info({ req: { url: '/y?p=191212121212' } });
    expect(lines.join('')).not.toMatch(/1212-1212|191212121212/);
  });

  it('masks numbers, and the line stays JSON', () => {
    const { logger, text } = captureLogger();
    logger.info({ count: 191212121212, list: [1212121212, 3], time2: 1712345678901 }, 'numbers');
    const line = JSON.parse(text()) as Record<string, unknown>;
    expect(line).toMatchObject({
      count: '[redacted-id]',
      list: ['[redacted-id]', 3],
      time2: 1712345678901,
    });
  });
});
