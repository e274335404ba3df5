import { createHash } from 'node:crypto';

/** The RFC 4122 URL namespace (appendix C). */
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * Namespace of the demo network's ids: uuidV5('https://samservice.example/demo-network',
 * URL_NAMESPACE). Fixed: changing it changes every demo id.
 */
export const DEMO_NAMESPACE = 'd94f0572-9d30-5ef7-a8c0-af67a074b5c0';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A name-based UUID, version 5 (RFC 4122 §4.3): SHA-1 of the namespace's 16 bytes followed by
 * the name in UTF-8, the first 16 bytes of it with the version (5) and the variant (10xx) set.
 * The `uuid` package is only a transitive dependency here, so these few lines instead.
 */
export function uuidV5(name: string, namespace: string): string {
  if (!UUID.test(namespace)) throw new Error(`not a UUID: ${namespace}`);
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of a demo row, from a stable name of it (`agency/FK`, `office/orebro/counter/Disk 1`):
 * the same on every fresh database, so every benchmark run books the same calendar (the
 * engine breaks ties by id).
 */
export function demoId(...path: string[]): string {
  return uuidV5(path.join('/'), DEMO_NAMESPACE);
}
