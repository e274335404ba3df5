import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { pathOf } from '@samservice/platform/logging';

/** Close codes of our own, next to graphql-ws's (`CloseCode`: 4403 Forbidden, 4408 Init timeout, …). */
export const WebSocketCloseCode = {
  /** The bearer token is not valid, or has expired (graphql-ws clients do not retry it). */
  UNAUTHORIZED: 4401,
  /** The server holds as many connections as it takes (RFC 6455 "Try Again Later"). */
  TRY_AGAIN_LATER: 1013,
  /** The server is stopping. */
  GOING_AWAY: 1001,
} as const;

/** How often an idle connection is pinged; one that does not answer in as long is dropped. */
const KEEP_ALIVE_MS = 12_000;

export interface GraphQLWebSocketOptions<
  P extends Record<string, unknown>,
  E extends Record<PropertyKey, unknown>,
> {
  /** The HTTP server whose upgrade requests to `path` become graphql-ws connections. */
  httpServer: Server;
  path: string;
  /** The largest message a client may send (bytes); a larger one closes the socket (1009). */
  maxPayloadBytes: number;
  /** Connections held at once; one more is closed with 1013 "Try again later". */
  maxConnections?: number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /**
   * Decides on an upgrade request before any WebSocket is opened (a rate limit): a refusal
   * is answered as plain HTTP (status, headers, body) and the socket is closed.
   */
  refuseUpgrade?: (request: IncomingMessage) => UpgradeRefusal | undefined;
  /** graphql-ws's server options (the hooks deciding who connects and what runs). */
  server: ServerOptions<P, Extra & Partial<E>>;
}

/** An HTTP answer to an upgrade request that is not let through. */
export interface UpgradeRefusal {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

function writeRefusal(socket: Duplex, refusal: UpgradeRefusal): void {
  const headers = {
    ...refusal.headers,
    'Content-Length': String(Buffer.byteLength(refusal.body)),
    Connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${refusal.status} ${refusal.statusText}\r\n${head}\r\n${refusal.body}`);
}

export interface GraphQLWebSocketEndpoint {
  /** Connections open now. */
  readonly connections: number;
  /** Closes every connection ("Going away", 1001) and stops taking new ones. */
  close(): Promise<void>;
}

/**
 * graphql-ws (the GraphQL over WebSocket protocol) on an HTTP server's own port and path, next
 * to GraphQL over HTTP POST there: a WebSocket upgrade request to `path` is a graphql-ws
 * connection; every other request is left to the HTTP handlers. Bounded by message size and
 * by connections at once; the hooks in `server` decide who may connect and what may run.
 *
 * Why not the `subscriptions` option of Nest's Apollo drivers: it takes no message limit (ws's
 * default is 100 MiB), and the federation driver never closes its connections when the app
 * stops, so closing an app with an open subscription would wait for Apollo's 10-s drain. And
 * why graphql-ws's `makeServer` rather than its `useServer`: the same wiring (taken from it),
 * with socket errors (a message over the limit) in our log instead of on the console.
 */
export function serveGraphQLOverWebSocket<
  P extends Record<string, unknown>,
  E extends Record<PropertyKey, unknown>,
>(options: GraphQLWebSocketOptions<P, E>): GraphQLWebSocketEndpoint {
  const { logger } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes,
    handleProtocols: (protocols) => handleProtocols(protocols),
  });
  const server = makeServer<P, Extra & Partial<E>>(options.server);

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    socket.once('error', (error: Error & { code?: string }) => {
      // ws has already closed the socket with the right code (1009 for a message over the
      // limit, 1002 for a broken frame): the client's doing, not a fault of ours.
      logger.info(
        { path: pathOf(request.url), reason: error.code ?? error.message },
        'subscription connection dropped: the client broke the protocol',
      );
    });
    let pongWait: NodeJS.Timeout | undefined;
    const keepAlive = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.once('pong', () => clearTimeout(pongWait));
      socket.ping();
    }, KEEP_ALIVE_MS);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data: Buffer) => {
            handle(String(data)).catch((error: unknown) => {
              logger.error({ err: error }, 'unexpected error in a subscription connection');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request } as Extra & Partial<E>,
    );
    socket.once('close', (code: number, reason: Buffer) => {
      clearTimeout(pongWait);
      clearInterval(keepAlive);
      closed(code, String(reason)).catch((error: unknown) =>
        logger.error({ err: error }, 'unexpected error closing a subscription connection'),
      );
    });
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (pathOf(request.url) !== options.path) {
      // Nothing else on these servers speaks WebSocket.
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const refusal = options.refuseUpgrade?.(request);
    if (refusal) return writeRefusal(socket, refusal);
    wss.handleUpgrade(request, socket, head, (client) => {
      if (options.maxConnections !== undefined && wss.clients.size > options.maxConnections) {
        logger.warn(
          { connections: wss.clients.size - 1, max: options.maxConnections },
          'subscription connection refused: too many connections',
        );
        client.close(WebSocketCloseCode.TRY_AGAIN_LATER, 'Try again later');
        return;
      }
      wss.emit('connection', client, request);
    });
  };
  options.httpServer.on('upgrade', onUpgrade);

  let closing: Promise<void> | undefined;
  return {
    get connections() {
      return wss.clients.size;
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        options.httpServer.off('upgrade', onUpgrade);
        for (const client of wss.clients) client.close(WebSocketCloseCode.GOING_AWAY, 'Going away');
        // Resolves once every connection has closed (ws ends one that does not answer in 30 s).
        wss.close((error) => (error ? reject(error) : resolve()));
      });
      return closing;
    },
  };
}
