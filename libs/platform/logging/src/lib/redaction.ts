import { replaceIdentityNumbers } from '@samservice/identity';

/**
 * Personal data must never reach a log line. Two layers:
 * 1. fields that can hold personal data are censored by name (pino's `redact`), at any
 *    of the first few nesting levels;
 * 2. as a backstop, anything shaped like a Swedish personal identity number in the written
 *    line is masked, whatever field, binding or message it arrived in.
 */
export const SENSITIVE_FIELDS = [
  'personnummer',
  'personalIdentityNumber',
  'identityNumber',
  'name',
  'firstName',
  'lastName',
  'email',
  'phone',
  'birthDate',
  'password',
  'token',
  'accessToken',
  'idToken',
  'authorization',
  'cookie',
  'x-samservice-identity',
] as const;

export const REDACT_CENSOR = '[redacted]';

export function redactPaths(depth = 4): string[] {
  const paths: string[] = [];
  for (const field of SENSITIVE_FIELDS) {
    const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
    const joiner = key.startsWith('[') ? '' : '.';
    paths.push(key);
    let prefix = '*';
    for (let level = 1; level < depth; level++) {
      paths.push(`${prefix}${joiner}${key}`);
      prefix += '.*';
    }
  }
  return paths;
}

// In a JSON line: a string, or a bare number of 10 or 12 digits (an identity number logged
// as a number).
const IN_JSON = /"[^"\\]*(?:\\.[^"\\]*)*"|(?<![\w.-])-?(?:\d{2})?\d{10}(?![\w.])/g;
const MASK = '[redacted-id]';

/**
 * Every identity-number-shaped run replaced by `[redacted-id]` (a log line keeps not even the
 * birth date; responses keep it, `maskIdentityNumbersInText`). The shape and the UUIDs it
 * spares are @samservice/identity's, shared with the masking of responses.
 */
export function maskIdentityNumbers(text: string): string {
  return replaceIdentityNumbers(text, () => MASK);
}

/**
 * Masks identity numbers in a serialized log line (pino's `streamWrite` hook): the line as
 * it is written, so the message, the fields, what serializers made of them and what child
 * loggers were bound with are all covered. A number logged as a number becomes the string
 * `"[redacted-id]"`, so the line stays JSON.
 */
export function maskIdentityNumbersInJson(line: string): string {
  return line.replace(IN_JSON, (token) => {
    if (!token.startsWith('"')) return `"${MASK}"`;
    // Shorter than 10 characters and its quotes: a key, a level, a method.
    return token.length < 12 ? token : maskIdentityNumbers(token);
  });
}
