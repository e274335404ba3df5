import { GraphQLError } from 'graphql';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-codes';
import { INTERNAL_ERROR_MESSAGE, formatGraphQLError } from './format-graphql-error';

class FakeHttpException extends Error {
  constructor(
    private readonly status: number,
    private readonly response: unknown,
  ) {
    super('http');
  }
  getStatus() {
    return this.status;
  }
  getResponse() {
    return this.response;
  }
}

function format(error: unknown, formattedCode?: string, message = 'raw message') {
  const logged: unknown[] = [];
  const result = formatGraphQLError(
    {
      message,
      path: ['field'],
      extensions: {
        ...(formattedCode ? { code: formattedCode } : {}),
        stacktrace: ['at secret.ts:1'],
      },
    },
    new GraphQLError(message, { originalError: error as Error }),
    { logger: { error: (obj) => logged.push(obj) }, requestId: () => 'req-1' },
  );
  return { result, logged };
}

describe('formatGraphQLError', () => {
  it('passes a domain error with its code, message and extensions', () => {
    const { result, logged } = format(
      DomainError.badInput('The office does not offer this service.', 'serviceId'),
    );
    expect(result).toEqual({
      message: 'The office does not offer this service.',
      path: ['field'],
      locations: undefined,
      extensions: { code: 'BAD_USER_INPUT', field: 'serviceId' },
    });
    expect(logged).toEqual([]);
  });

  it.each([
    [400, ErrorCode.BAD_USER_INPUT],
    [401, ErrorCode.UNAUTHENTICATED],
    [403, ErrorCode.FORBIDDEN],
    [404, ErrorCode.NOT_FOUND],
  ])('maps a Nest HTTP exception with status %s to %s', (status, code) => {
    const { result } = format(new FakeHttpException(status, { message: ['start must be a date'] }));
    expect(result.extensions).toEqual({ code });
    expect(result.message).toBe('start must be a date');
  });

  it('hides an unexpected error behind a generic message with the request id, and logs it', () => {
    const { result, logged } = format(
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      'INTERNAL_SERVER_ERROR',
    );
    expect(result.message).toBe(INTERNAL_ERROR_MESSAGE);
    expect(result.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1' });
    expect(JSON.stringify(result)).not.toMatch(/stacktrace|secret\.ts|reading 'id'/);
    expect(logged).toHaveLength(1);
  });

  it('answers a text PostgreSQL cannot store (a NUL) BAD_USER_INPUT, without the SQL', () => {
    const failed = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      name: 'QueryFailedError',
      code: '22021',
      query: 'INSERT INTO "scheduling"."appointment_contact" ...',
    });
    const { result, logged } = format(failed, 'INTERNAL_SERVER_ERROR');
    expect(result.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(result.message).toMatch(/cannot be stored/);
    expect(JSON.stringify(result)).not.toMatch(/INSERT|UTF8|0x00/);
    expect(logged).toEqual([]);
  });

  it('answers a crafted _entities call for a type that is no entity BAD_USER_INPUT, without logging it', () => {
    for (const message of [
      'The _entities resolver tried to load an entity for type "StaffMember", but no object or interface type of that name was found in the schema',
      'Runtime Object type "Ticket" is not a possible type for "_Entity".',
    ]) {
      const { result, logged } = format(new Error(message));
      expect(result.extensions).toEqual({ code: 'BAD_USER_INPUT' });
      expect(result.message).toMatch(/not an entity of this service/);
      expect(logged).toEqual([]);
    }
    // Anything else with a similar text is still an unexpected error.
    expect(format(new Error('Runtime Object type "X" is broken')).result.extensions?.['code']).toBe(
      'INTERNAL_SERVER_ERROR',
    );
  });

  it('keeps GraphQL validation errors but drops their stack trace', () => {
    const { result } = format(
      undefined,
      'GRAPHQL_VALIDATION_FAILED',
      'Cannot query field "x" on type "Query".',
    );
    expect(result.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(result.message).toBe('Cannot query field "x" on type "Query".');
  });

  it("keeps the code our own code threw inside GraphQL's validation (a scalar refusing a literal)", () => {
    const scalar = new GraphQLError('"9999-12-31" is outside the days Samservice handles', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const { result, logged } = format(scalar, 'GRAPHQL_VALIDATION_FAILED', scalar.message);
    expect(result.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(result.message).toBe(scalar.message);
    expect(logged).toEqual([]);
    const internal = new GraphQLError('boom', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(format(internal, 'GRAPHQL_VALIDATION_FAILED').result.extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
  });

  it('relays a subgraph backstop answer as it is, but not a raw internal error', () => {
    expect(format(undefined, 'INTERNAL_SERVER_ERROR', INTERNAL_ERROR_MESSAGE).result.message).toBe(
      INTERNAL_ERROR_MESSAGE,
    );
    expect(
      format(undefined, 'INTERNAL_SERVER_ERROR', 'relation "x" does not exist').result.message,
    ).toBe(INTERNAL_ERROR_MESSAGE);
  });
  it('masks identity numbers in the message and every string of the extensions', () => {
    const coercion =
      'Variable "$input" got invalid value { personnummer: "19121212-1212", partySize: "x" }; Int cannot represent non-integer value: "x"';
    const { result } = format(undefined, 'BAD_USER_INPUT', coercion);
    expect(result.message).toBe(
      'Variable "$input" got invalid value { personnummer: "19121212-****", partySize: "x" }; Int cannot represent non-integer value: "x"',
    );
    const domain = format(
      new DomainError(ErrorCode.BAD_USER_INPUT, 'citizen.personnummer: 811228-9874 is wrong', {
        field: 'citizen.personnummer',
        tried: ['198112289874', { again: '701063+2391' }],
      }),
    ).result;
    expect(domain.message).toBe('citizen.personnummer: 811228-**** is wrong');
    expect(domain.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'citizen.personnummer',
      tried: ['19811228-****', { again: '701063+****' }],
    });
    expect(JSON.stringify(domain)).not.toMatch(/9874|2391/);
  });

  it('keeps the request id of the backstop whole', () => {
    const logged: unknown[] = [];
    const id = '19121212-1212-4212-8212-121212121212';
    const result = formatGraphQLError(
      { message: 'boom 191212121212' },
      new GraphQLError('boom', { originalError: new Error('boom 191212121212') }),
      { logger: { error: (obj) => logged.push(obj) }, requestId: () => id },
    );
    expect(result.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: id });
  });
});
