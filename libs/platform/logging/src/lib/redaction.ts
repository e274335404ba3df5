/**
 * Personal data must never reach a log line. Two layers:
 * 1. fields that can hold personal data are censored by name (pino's `redact`), at any
 *    of the first few nesting levels;
 * 2. as a backstop, anything shaped like a Swedish personal identity number inside a
 *    logged string is masked, whatever field it arrived in.
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

// 6 or 8 digits of birth date, optional - or +, 4 digits; not part of a longer number.
const IDENTITY_NUMBER = /(?<![\d])(?:\d{2})?\d{6}[-+]?\d{4}(?![\d])/g;

export function maskIdentityNumbers(text: string): string {
  return text.replace(IDENTITY_NUMBER, '[redacted-id]');
}

/** Masks identity numbers in every string of a log record (plain objects and arrays). */
export function maskIdentityNumbersDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskIdentityNumbers(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskIdentityNumbersDeep(item, depth + 1));
  if (value instanceof Error) {
    return {
      type: value.name,
      message: maskIdentityNumbers(value.message),
      stack: value.stack ? maskIdentityNumbers(value.stack) : undefined,
    };
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value))
    out[key] = maskIdentityNumbersDeep(inner, depth + 1);
  return out;
}
