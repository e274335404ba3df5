// proxy-addr (the package behind Express's `trust proxy`) ships no types: the part
// Samservice uses, for TRUSTED_PROXIES (validated here, applied by the gateway).
declare module 'proxy-addr' {
  import type { IncomingMessage } from 'node:http';

  /** Whether `address`, the `hop`-th from the socket, is a trusted proxy. */
  type Trust = (address: string, hop: number) => boolean;

  /** The client address: X-Forwarded-For walked from the right past trusted hops. */
  function proxyaddr(req: IncomingMessage, trust: Trust): string;

  namespace proxyaddr {
    /** Addresses and CIDR ranges (or loopback, linklocal, uniquelocal); throws on a bad one. */
    function compile(value: string | string[]): Trust;
  }

  export = proxyaddr;
}
