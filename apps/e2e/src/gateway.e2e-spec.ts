import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { SignJWT, generateKeyPair } from 'jose';
import {
  ANONYMOUS,
  DEVELOPMENT_ISSUER,
  IDENTITY_HEADER,
  InternalIdentitySigner,
  mintDevelopmentToken,
} from '@samservice/platform/auth';
import { errorCodes, postGraphQL, startTestStack, type TestStack } from '@samservice/testing';

const ME = '{ me { role subject offices competences agency } }';

describe('the gateway, end to end over HTTP', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers the contract query { agencies { code } } with the seeded agencies', async () => {
    const response = await stack.query<{
      agencies: Array<{ code: string; name: string; level: string }>;
    }>('{ agencies { code name level } }');
    expect(response.errors).toBeUndefined();
    const codes = response.data?.agencies.map((agency) => agency.code);
    expect(codes).toEqual(expect.arrayContaining(['FK', 'SKV', 'PM', 'AF', 'MIGR', 'OREBRO']));
    expect(response.data?.agencies.find((a) => a.code === 'OREBRO')?.level).toBe('MUNICIPALITY');
  });

  it('reports liveness and readiness of the gateway and each subgraph', async () => {
    for (const base of [
      stack.gatewayUrl,
      ...Object.values(stack.subgraphs).map((u) => u.replace(/\/graphql$/, '')),
    ]) {
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { status: string }).status).toBe('ok');
    }
  });

  it('carries a request id: echoes a valid one, makes one up otherwise', async () => {
    const given = await stack.query(
      '{ agencies { code } }',
      {},
      { headers: { 'x-request-id': 'support-case-12345' } },
    );
    expect(given.headers.get('x-request-id')).toBe('support-case-12345');
    const made = await stack.query(
      '{ agencies { code } }',
      {},
      { headers: { 'x-request-id': 'bad id with spaces' } },
    );
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a malformed query with a code and no stack trace', async () => {
    const response = await stack.query('{ agencies { nonsense } }');
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(JSON.stringify(response.errors)).not.toMatch(/stacktrace|at \w+ \(/);
  });

  describe('identity', () => {
    it('treats a request without Authorization as anonymous', async () => {
      const response = await stack.query<{ me: { role: string } }>(ME);
      expect(response.data?.me.role).toBe('ANONYMOUS');
    });

    it('passes a verified staff identity through to the subgraphs', async () => {
      const token = await stack.tokenFor({
        role: 'staff',
        subject: 'staff-1',
        offices: ['office-a'],
        adminOffices: [],
        competences: ['FK', 'SKV'],
      });
      const response = await stack.query<{ me: Record<string, unknown> }>(ME, {}, { token });
      expect(response.errors).toBeUndefined();
      expect(response.data?.me).toEqual({
        role: 'STAFF',
        subject: 'staff-1',
        offices: ['office-a'],
        competences: ['FK', 'SKV'],
        agency: null,
      });
    });

    it('accepts a token minted by `npm run token`, as the README shows', () => {
      const minted = execFileSync(
        process.execPath,
        [
          '-r',
          '@swc-node/register',
          'apps/launcher/src/commands/token.ts',
          '--role',
          'staff',
          '--office',
          'office-7',
          '--competence',
          'PM',
        ],
        {
          cwd: path.resolve(__dirname, '../../..'),
          env: { ...process.env, DATA_DIR: stack.config.dataDir },
          encoding: 'utf8',
        },
      ).trim();
      return stack
        .query<{ me: Record<string, unknown> }>(ME, {}, { token: minted })
        .then((response) => {
          expect(response.data?.me).toMatchObject({
            role: 'STAFF',
            offices: ['office-7'],
            competences: ['PM'],
          });
        });
    });

    it('knows an agency client by its agency code', async () => {
      const token = await stack.tokenFor({
        role: 'agency',
        subject: 'fk-client',
        clientId: 'fk-integration',
        agency: 'FK',
      });
      const response = await stack.query<{ me: Record<string, unknown> }>(ME, {}, { token });
      expect(response.data?.me).toMatchObject({ role: 'AGENCY', agency: 'FK' });
    });

    it.each([
      ['a malformed Authorization header', 'Basic dXNlcjpwYXNz'],
      ['a bearer value that is not a JWT', 'Bearer not-a-token'],
    ])('refuses %s with UNAUTHENTICATED', async (_label, header) => {
      const response = await postGraphQL(
        stack.graphqlUrl,
        ME,
        {},
        { headers: { authorization: header } },
      );
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      expect(response.data).toBeUndefined();
    });

    it('refuses an expired token', async () => {
      const token = await stack.tokenFor({ role: 'admin', subject: 'admin-1' }, -120);
      const response = await stack.query(ME, {}, { token });
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      expect(response.errors?.[0]?.message).toMatch(/expired/);
    });

    it('refuses a token signed by a key it does not know, even with the right issuer', async () => {
      const { privateKey } = await generateKeyPair('EdDSA');
      const forged = await new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer(DEVELOPMENT_ISSUER)
        .setAudience(stack.config.auth.audience)
        .setSubject('intruder')
        .setExpirationTime('5m')
        .sign(privateKey);
      const response = await stack.query(ME, {}, { token: forged });
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    });

    it('refuses a token for another audience', async () => {
      const token = await mintDevelopmentToken({
        dataDir: stack.config.dataDir,
        audience: 'some-other-api',
        principal: { role: 'admin', subject: 'admin-1' },
      });
      const response = await stack.query(ME, {}, { token });
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    });

    it('does not pass on an identity header a client sends to the gateway, even a validly signed one', async () => {
      const signer = await InternalIdentitySigner.create({
        isProduction: false,
        dataDir: stack.config.dataDir,
      });
      const smuggled = await signer.sign({ role: 'admin', subject: 'smuggled' });
      const response = await stack.query<{ me: { role: string } }>(
        ME,
        {},
        { headers: { [IDENTITY_HEADER]: smuggled } },
      );
      expect(response.data?.me.role).toBe('ANONYMOUS');
    });
  });

  describe('a subgraph called directly', () => {
    it('refuses a request that did not come through the gateway', async () => {
      const response = await postGraphQL(stack.subgraphs.scheduling, ME);
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    });

    it('refuses an identity header signed by anyone but the gateway', async () => {
      const { privateKey } = await generateKeyPair('EdDSA');
      const forged = await new SignJWT({
        principal: { role: 'admin', subject: 'intruder' },
        rid: 'x',
      })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer('urn:samservice:gateway')
        .setAudience('urn:samservice:subgraph')
        .setExpirationTime('1m')
        .sign(privateKey);
      const response = await postGraphQL(
        stack.subgraphs.directory,
        '{ agencies { code } }',
        {},
        {
          headers: { [IDENTITY_HEADER]: forged },
        },
      );
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    });

    it('answers a request signed with the gateway key', async () => {
      const signer = await InternalIdentitySigner.create({
        isProduction: false,
        dataDir: stack.config.dataDir,
      });
      const response = await postGraphQL<{ agencies: unknown[] }>(
        stack.subgraphs.directory,
        '{ agencies { code } }',
        {},
        {
          headers: { [IDENTITY_HEADER]: await signer.sign(ANONYMOUS, 'test-request-0001') },
        },
      );
      expect(response.status).toBe(200);
      expect(response.data?.agencies.length).toBeGreaterThan(0);
    });
  });
});
