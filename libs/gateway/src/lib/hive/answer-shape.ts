import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';

type Extensions = Record<string, unknown> & { http?: { spec?: boolean; status?: number } };

/**
 * A request refused before it runs keeps its own HTTP status (400), as with the Apollo
 * gateway, also for a client that accepts `application/json`: Yoga marks such errors as
 * "spec" errors and answers them 200 then, as the GraphQL-over-HTTP spec allows.
 */
export function keepHttpStatus(error: GraphQLError): void {
  const http = (error.extensions as Extensions).http;
  if (http?.spec) http.spec = false;
}

function httpStatus400(error: GraphQLError): void {
  const extensions = error.extensions as Extensions;
  extensions.http = { ...extensions.http, spec: false, status: 400 };
}

/** graphql-js's messages for variables that cannot be coerced (missing, wrong type, null). */
const VARIABLE_ERROR = /^Variable "\$[_A-Za-z][_0-9A-Za-z]*" /;

/**
 * A variable the supergraph refuses (Hive's query-plan executor coerces variables itself and
 * throws graphql-js's error as it is): BAD_USER_INPUT with HTTP 400, as the Apollo gateway
 * answers. Changed in place: Yoga logs every error its error masking replaces.
 */
export function codeVariableError(error: GraphQLError): void {
  if (
    error.extensions?.['code'] === undefined &&
    !error.originalError &&
    !error.path &&
    VARIABLE_ERROR.test(error.message)
  ) {
    (error.extensions as Extensions)['code'] = 'BAD_USER_INPUT';
    httpStatus400(error);
  }
}

/**
 * Answers in the shape the Apollo gateway gives, which clients may rely on:
 * - a query that does not validate: GRAPHQL_VALIDATION_FAILED (Yoga's code) with HTTP 400;
 * - an operation that ran with errors and produced no data at all: `"data": null`, as the
 *   GraphQL spec asks (Hive's plan executor leaves `data` out).
 * (Parse errors and variables are shaped where Yoga masks errors: `keepHttpStatus`,
 * `codeVariableError`.)
 */
export function apolloCompatibleAnswers(): GatewayPlugin {
  return {
    onValidate() {
      return ({ valid, result }) => {
        if (!valid) for (const error of result) httpStatus400(error);
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          if (result.errors?.length && !('data' in result)) setResult({ ...result, data: null });
        },
      };
    },
  };
}
