import { Scalar, type CustomScalar } from '@nestjs/graphql';
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { DateTime } from 'luxon';
import { ErrorCode } from '@samservice/platform/errors';

/** Type markers for the contract's scalars (values travel as strings). */
export class LocalDate {}
export class IsoDateTime {}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

function stringLiteral(ast: ValueNode, scalar: string): string {
  if (ast.kind !== Kind.STRING) throw badInput(`${scalar} must be a string`);
  return ast.value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id argument that can be a row's id at all (anything else is simply not found). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** `YYYY-MM-DD` that is a real calendar day. */
export function isLocalDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

/** ISO-8601 instant with an explicit offset (or Z). */
export function isIsoDateTime(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    DateTime.fromISO(value, { setZone: true }).isValid
  );
}

@Scalar('Date', () => LocalDate)
export class DateScalar implements CustomScalar<string, string> {
  description = 'An office-local calendar day, YYYY-MM-DD';

  parseValue(value: unknown): string {
    if (typeof value !== 'string' || !isLocalDate(value)) {
      throw badInput(`"${String(value)}" is not a date; use YYYY-MM-DD, e.g. 2027-03-29`);
    }
    return value;
  }

  serialize(value: unknown): string {
    return String(value);
  }

  parseLiteral(ast: ValueNode): string {
    return this.parseValue(stringLiteral(ast, 'Date'));
  }
}

@Scalar('DateTime', () => IsoDateTime)
export class DateTimeScalar implements CustomScalar<string, string> {
  description = "ISO-8601 instant with the office's UTC offset, e.g. 2027-03-29T09:00:00+02:00";

  parseValue(value: unknown): string {
    if (typeof value !== 'string' || !isIsoDateTime(value)) {
      throw badInput(
        `"${String(value)}" is not a date and time with an offset; use e.g. 2027-03-29T09:00:00+02:00`,
      );
    }
    return value;
  }

  serialize(value: unknown): string {
    return String(value);
  }

  parseLiteral(ast: ValueNode): string {
    return this.parseValue(stringLiteral(ast, 'DateTime'));
  }
}
