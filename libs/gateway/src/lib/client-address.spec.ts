import type { IncomingMessage } from 'node:http';
import { clientAddressResolver } from './client-address';

const request = (peer: string | undefined, forwardedFor?: string): IncomingMessage =>
  ({
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    socket: { remoteAddress: peer },
  }) as unknown as IncomingMessage;

describe('the client address the gateway forwards', () => {
  it('is the socket peer when no proxy is trusted; X-Forwarded-For is ignored', () => {
    const addressOf = clientAddressResolver([]);
    expect(addressOf(request('192.0.2.10'))).toBe('192.0.2.10');
    expect(addressOf(request('192.0.2.10', '203.0.113.5'))).toBe('192.0.2.10');
    expect(addressOf(request('127.0.0.1', '203.0.113.5'))).toBe('127.0.0.1');
  });

  it('behind a trusted proxy, is the address the proxy saw', () => {
    const addressOf = clientAddressResolver(['127.0.0.1']);
    expect(addressOf(request('127.0.0.1', '203.0.113.5'))).toBe('203.0.113.5');
    expect(addressOf(request('::ffff:127.0.0.1', '203.0.113.5'))).toBe('203.0.113.5');
    expect(addressOf(request('127.0.0.1'))).toBe('127.0.0.1');
  });

  it('walks X-Forwarded-For from the right past trusted hops to the first untrusted one', () => {
    const addressOf = clientAddressResolver(['127.0.0.1', '10.0.0.0/8']);
    expect(addressOf(request('127.0.0.1', '203.0.113.5, 10.1.2.3'))).toBe('203.0.113.5');
    expect(addressOf(request('127.0.0.1', '203.0.113.5,10.1.2.3, 10.9.9.9'))).toBe('203.0.113.5');
    // What the client wrote itself, left of the address the proxy saw, is never taken.
    expect(addressOf(request('127.0.0.1', '198.51.100.1, 203.0.113.5, 10.1.2.3'))).toBe(
      '203.0.113.5',
    );
    // Every hop trusted: the furthest one.
    expect(addressOf(request('127.0.0.1', '10.0.0.1'))).toBe('10.0.0.1');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    const addressOf = clientAddressResolver(['10.0.0.0/8']);
    expect(addressOf(request('192.0.2.10', '203.0.113.5'))).toBe('192.0.2.10');
    expect(addressOf(request('192.0.2.10', '203.0.113.5, 10.1.2.3'))).toBe('192.0.2.10');
  });

  it('matches IPv6 ranges', () => {
    const addressOf = clientAddressResolver(['fd00::/8']);
    expect(addressOf(request('fd00::1', '2001:db8::7'))).toBe('2001:db8::7');
    expect(addressOf(request('2001:db8::9', '2001:db8::7'))).toBe('2001:db8::9');
  });

  it('is unknown when the socket has no peer address (already closed)', () => {
    expect(clientAddressResolver(['127.0.0.1'])(request(undefined, '203.0.113.5'))).toBeUndefined();
  });
});
