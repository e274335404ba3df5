import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Principal } from '@samservice/platform/auth';

/** The limits per window (AppConfig.rateLimit). */
export interface RateLimits {
  perIp: number;
  perClient: number;
  perAgencyClient: number;
}

/** Whose requests one request counts against, and how many that caller may send. */
export interface RateLimitSubject {
  key: string;
  limit: number;
}

/** Longer subjects are hashed: the key stays a small index entry whatever the issuer sends. */
const MAX_SUBJECT_LENGTH = 100;

function subjectPart(subject: string): string {
  return subject.length <= MAX_SUBJECT_LENGTH
    ? subject
    : `sha256:${createHash('sha256').update(subject).digest('hex')}`;
}

/** The eight hextets of an IPv6 address (with an embedded IPv4 tail, if any). */
function hextets(address: string): number[] | undefined {
  let text = address.split('%')[0] as string; // a zone (`fe80::1%eth0`) is not part of it
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = (v4[1] as string).split('.').map(Number) as [
      number,
      number,
      number,
      number,
    ];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  const all = tail === undefined ? left : [...left, ...Array(missing).fill('0'), ...right];
  if (all.length !== 8) return undefined;
  return all.map((part) => parseInt(part, 16));
}

/**
 * The part of a network address that counts as one caller: an IPv4 address as it is (an
 * IPv4-mapped IPv6 address as its IPv4 address), an IPv6 address by its /64 network. One
 * subscriber gets a whole /64 and may use any address in it, so counting single IPv6
 * addresses would give one client 2^64 buckets. Something else (proxy-addr only returns
 * addresses, so: never) is taken whole.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (isIPv4(address)) return address;
  if (isIPv6(address.split('%')[0] as string)) {
    const parts = hextets(address);
    if (parts) {
      return `${parts
        .slice(0, 4)
        .map((part) => part.toString(16))
        .join(':')}::/64`;
    }
  }
  return address;
}

/**
 * Anonymous callers count per network address (the gateway's client-address resolver:
 * the socket's peer, or the first untrusted address behind TRUSTED_PROXIES); signed-in
 * callers per identity, whatever address they come from, so staff and kiosks behind one
 * office's NAT do not share a bucket with each other or with the anonymous traffic there.
 * An agency's integration (machine to machine, many citizens' matters) has a limit of its
 * own. No address (a request not from a socket): not limited.
 */
export function rateLimitSubject(
  principal: Principal | undefined,
  address: string | undefined,
  limits: RateLimits,
): RateLimitSubject | undefined {
  if (!principal || principal.role === 'anonymous') {
    return address === undefined ? undefined : ipSubject(address, limits);
  }
  if (principal.role === 'agency') {
    return { key: `agency:${subjectPart(principal.clientId)}`, limit: limits.perAgencyClient };
  }
  return {
    key: `client:${principal.role}:${subjectPart(principal.subject)}`,
    limit: limits.perClient,
  };
}

/** An address's bucket: anonymous requests and WebSocket connection attempts. */
export function ipSubject(address: string, limits: Pick<RateLimits, 'perIp'>): RateLimitSubject {
  return { key: `ip:${addressKey(address)}`, limit: limits.perIp };
}
