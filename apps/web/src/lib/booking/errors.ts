import type { CombinedError } from '@urql/vue';

/** The codes the booking pages explain in plain words; anything else is "something went wrong". */
export const KNOWN_CODES = [
  'SLOT_UNAVAILABLE',
  'LIMIT_REACHED',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'CITIZEN_BUSY',
  'HOLD_EXPIRED',
  'NOT_FOUND',
  'CONFLICT',
] as const;

/** The i18n key for an API error, by its `extensions.code`. */
export function errorKey(error: CombinedError | undefined): string {
  if (!error) return 'booking.errors.UNKNOWN';
  if (error.networkError) return 'booking.errors.NETWORK';
  const code = error.graphQLErrors[0]?.extensions?.code;
  return typeof code === 'string' && (KNOWN_CODES as readonly string[]).includes(code)
    ? `booking.errors.${code}`
    : 'booking.errors.UNKNOWN';
}
