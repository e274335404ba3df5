/**
 * Polls until `ok` (bounded: `reads` reads, 100 ms apart) and returns the last value read.
 * For what another process does shortly after a request (scheduling rechecking bookings
 * after a directory change); the caller asserts on the value, so a timeout fails clearly.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  reads = 100,
): Promise<T> {
  let value = await read();
  for (let i = 1; i < reads && !ok(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
