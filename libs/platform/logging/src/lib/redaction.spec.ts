import { Writable } from 'node:stream';
import pino from 'pino';
import { maskIdentityNumbers, maskIdentityNumbersDeep } from './redaction';
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
    const masked = maskIdentityNumbersDeep({
      list: ['8112289874'],
      err: new Error('bad 811228-9874'),
    }) as {
      list: string[];
      err: { message: string };
    };
    expect(masked.list[0]).toBe('[redacted-id]');
    expect(masked.err.message).toBe('bad [redacted-id]');
  });
});
