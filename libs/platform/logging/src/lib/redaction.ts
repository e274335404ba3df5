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

// A UUID (request ids, row ids) is kept whole: its groups of digits can look like a birth
// date and serial number, and a masked id no longer finds its request.
const UUID = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';
// Not part of a longer number, nor inside an escape, but the digits of an escape before it
// do not count: %22 before a number in a URL, \u0001 in a JSON string. Letters may touch it
// (\n in a JSON string, a parameter name): a number is masked wherever it stands, only
// UUIDs are spared.
const START = String.raw`(?:(?<=%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4})|(?<![\d%]|%[0-9A-Fa-f]|\\u[0-9A-Fa-f]{0,3}))`;
// - or +, also URL-encoded (a + in a query string arrives as %2B).
const SEPARATOR = '(?:[-+]|%2[BbDd])?';
// 6 or 8 digits of birth date (samordningsnummer: day + 60), a separator, 4 digits.
const IDENTITY_NUMBER = String.raw`${START}(?:\d{2})?\d{6}${SEPARATOR}\d{4}(?!\d)`;
// The lookaheads first: most characters fail there, before the lookbehinds are tried.
const IN_TEXT = new RegExp(`(?=[0-9A-Fa-f])(?:(${UUID})|(?=\\d)${IDENTITY_NUMBER})`, 'g');
// In a JSON line: a string, or a bare number of 10 or 12 digits (an identity number logged
// as a number).
const IN_JSON = /"[^"\\]*(?:\\.[^"\\]*)*"|(?<![\w.-])-?(?:\d{2})?\d{10}(?![\w.])/g;
const MASK = '[redacted-id]';

export function maskIdentityNumbers(text: string): string {
  return text.replace(IN_TEXT, (_match, uuid: string | undefined) => uuid ?? MASK);
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
