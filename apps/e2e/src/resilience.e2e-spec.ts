import { DirectoryModule } from '@samservice/directory';
import { GatewayModule } from '@samservice/gateway';
import { freePort } from '@samservice/platform/database';
import { startNestApp, type CreatedApp } from '@samservice/platform/http';
import {
  errorCodes,
  postGraphQL,
  startTcpProxy,
  testConfig,
  type TcpProxy,
} from '@samservice/testing';

const LOG = { level: 'silent', pretty: false };

describe('when a part is down', () => {
  describe('a subgraph that is not running', () => {
    let gateway: CreatedApp;

    beforeAll(async () => {
      const closed = `http://127.0.0.1:${await freePort()}/graphql`;
      const config = testConfig();
      gateway = await startNestApp(
        GatewayModule.forRoot(config, { directory: closed, scheduling: closed }),
        0,
        '127.0.0.1',
        { service: 'gateway', ...LOG },
        { maxRequestBytes: config.maxRequestBytes.gateway },
      );
    });

    afterAll(async () => {
      await gateway?.app.close();
    });

    it('still lets the gateway start, and /ready says which subgraph is missing', async () => {
      const ready = await fetch(`${gateway.url}/ready`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as {
        error: Record<string, { status: string; reason: string }>;
      };
      expect(body.error['directory']).toMatchObject({ status: 'down', reason: 'ECONNREFUSED' });
      expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    });

    it('answers its fields with SERVICE_UNAVAILABLE and a message, not a stack trace', async () => {
      const response = await postGraphQL(`${gateway.url}/graphql`, '{ agencies { code } }');
      expect(errorCodes(response)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(response.errors?.[0]?.message).toMatch(/try again/);
      expect(JSON.stringify(response)).not.toMatch(/ECONNREFUSED|stacktrace|\.ts:\d+/);
    });
  });

  describe('the database of a subgraph', () => {
    let proxy: TcpProxy;
    let directory: CreatedApp;

    beforeAll(async () => {
      const target = new URL(process.env.DATABASE_URL as string);
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const viaProxy = new URL(target.toString());
      viaProxy.port = String(proxy.port);
      const config = testConfig();
      directory = await startNestApp(
        DirectoryModule.forRoot(config, viaProxy.toString()),
        0,
        '127.0.0.1',
        {
          service: 'directory',
          ...LOG,
        },
        { maxRequestBytes: config.maxRequestBytes.subgraph },
      );
    });

    afterAll(async () => {
      await directory?.app.close();
      await proxy?.close();
    });

    it('turns /ready false while the database is unreachable, and true again when it is back', async () => {
      expect((await fetch(`${directory.url}/ready`)).status).toBe(200);
      await proxy.cut();
      const down = await fetch(`${directory.url}/ready`);
      expect(down.status).toBe(503);
      expect(
        ((await down.json()) as { error: Record<string, { status: string }> }).error['database']
          ?.status,
      ).toBe('down');
      expect((await fetch(`${directory.url}/health`)).status).toBe(200);
      await proxy.restore();
      let status = 0;
      for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
        status = (await fetch(`${directory.url}/ready`)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(status).toBe(200);
    });
  });
});
