import * as path from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('gives development defaults from an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 4000,
      directoryPort: 4001,
      schedulingPort: 4002,
      dataDir: path.resolve('.data'),
      seedDemo: true,
      log: { level: 'info', pretty: true },
      auth: { audience: 'samservice-api', acceptDevelopmentTokens: true },
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.subgraphUrls.directory).toBe('http://127.0.0.1:4001/graphql');
  });

  it('writes logs to LOG_FILE instead of stdout, and to stdout too from LOG_CONSOLE_LEVEL up', () => {
    expect(loadConfig({}).log).toEqual({ level: 'info', pretty: true });
    expect(loadConfig({ LOG_FILE: '/tmp/a.log' }).log).toMatchObject({
      file: '/tmp/a.log',
      consoleLevel: 'silent',
    });
    expect(
      loadConfig({ LOG_FILE: '/tmp/a.log', LOG_CONSOLE_LEVEL: 'warn', LOG_FORMAT: 'json' }).log,
    ).toEqual({ level: 'info', pretty: false, file: '/tmp/a.log', consoleLevel: 'warn' });
    expect(() => loadConfig({ LOG_CONSOLE_LEVEL: 'loud' })).toThrow(/LOG_CONSOLE_LEVEL/);
  });

  it('derives subgraph ports from PORT, so two instances with different PORT do not collide', () => {
    expect(loadConfig({ PORT: '5000' })).toMatchObject({
      directoryPort: 5001,
      schedulingPort: 5002,
    });
    expect(loadConfig({ PORT: '0' })).toMatchObject({ directoryPort: 0, schedulingPort: 0 });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT: must be a port number/],
    [{ PORT: '70000' }, /PORT: must be between 0 and 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: must be a postgres:\/\/ URL/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ SEED_DEMO: 'maybe' }, /SEED_DEMO: must be true or false/],
    [{ AUTH_JWKS_URL: 'ftp://idp/jwks' }, /AUTH_JWKS_URL: must be an http\(s\) URL/],
    [{ AUTH_JWKS_URL: 'https://idp/jwks' }, /AUTH_ISSUER: required when AUTH_JWKS_URL is set/],
    [{ INTERNAL_SIGNING_KEY: 'not json' }, /INTERNAL_SIGNING_KEY: must be a JSON Web Key/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ PERSONAL_DATA_KEY: 'c2hvcnQ=' }, /PERSONAL_DATA_KEY: must be at least 32 random bytes/],
    [{ HOLD_MINUTES: '0' }, /HOLD_MINUTES/],
    [{ REVALIDATION_SWEEP_SECONDS: '0' }, /REVALIDATION_SWEEP_SECONDS/],
    [{ TRUSTED_PROXIES: 'proxy.internal' }, /TRUSTED_PROXIES: "proxy.internal" is not an IP/],
    [{ TRUSTED_PROXIES: '10.0.0.0/8, 10.0.0.0/33' }, /TRUSTED_PROXIES: "10.0.0.0\/33" is not/],
    [{ TRUSTED_PROXIES: '127.0.0.1 10.0.0.1' }, /TRUSTED_PROXIES: "127.0.0.1 10.0.0.1" is not/],
    [{ MAX_REQUEST_BYTES: '64kb' }, /MAX_REQUEST_BYTES: must be a number of bytes/],
    [{ MAX_REQUEST_BYTES: '100' }, /MAX_REQUEST_BYTES: must be at least 4096 bytes/],
    [{ SUBGRAPH_MAX_REQUEST_BYTES: '1e9' }, /SUBGRAPH_MAX_REQUEST_BYTES: must be at most/],
    [{ CLOCK_OFFSET_SECONDS: '1.5' }, /CLOCK_OFFSET_SECONDS: must be a whole number of seconds/],
    [{ CLOCK_OFFSET_SECONDS: 'tomorrow' }, /CLOCK_OFFSET_SECONDS: must be a whole number/],
    [{ CLOCK_OFFSET_SECONDS: '999999999999' }, /CLOCK_OFFSET_SECONDS: must be within ten years/],
    [{ DEMO_CLOCK: 'fake' }, /DEMO_CLOCK: must be auto or real/],
    [{ GATEWAY_MAX_SUBSCRIPTION_CONNECTIONS: '0' }, /GATEWAY_MAX_SUBSCRIPTION_CONNECTIONS/],
    [{ MAX_SUBSCRIPTIONS_PER_CONNECTION: '2.5' }, /MAX_SUBSCRIPTIONS_PER_CONNECTION/],
    [{ SUBSCRIPTION_INIT_TIMEOUT_SECONDS: '0' }, /SUBSCRIPTION_INIT_TIMEOUT_SECONDS/],
    [{ RATE_LIMIT_ENABLED: 'sometimes' }, /RATE_LIMIT_ENABLED: must be true or false/],
    [{ RATE_LIMIT_WINDOW_SECONDS: '0' }, /RATE_LIMIT_WINDOW_SECONDS/],
    [{ RATE_LIMIT_PER_IP: '-5' }, /RATE_LIMIT_PER_IP/],
    [{ RATE_LIMIT_PER_CLIENT: 'many' }, /RATE_LIMIT_PER_CLIENT/],
    [{ RATE_LIMIT_PER_AGENCY_CLIENT: '1.5' }, /RATE_LIMIT_PER_AGENCY_CLIENT/],
    [{ RATE_LIMIT_FLUSH_MILLISECONDS: '1' }, /RATE_LIMIT_FLUSH_MILLISECONDS/],
  ])('refuses %p naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads at most 64 KiB of a client request and 1 MiB of a forwarded one, unless told', () => {
    expect(loadConfig({}).maxRequestBytes).toEqual({ gateway: 65_536, subgraph: 1_048_576 });
    expect(
      loadConfig({ MAX_REQUEST_BYTES: '131072', SUBGRAPH_MAX_REQUEST_BYTES: '2097152' })
        .maxRequestBytes,
    ).toEqual({ gateway: 131_072, subgraph: 2_097_152 });
  });

  it('rate-limits in production by default, elsewhere only when asked, with documented defaults', () => {
    const production = {
      NODE_ENV: 'production',
      AUTH_ISSUER: 'https://idp.example',
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      DATABASE_URL: 'postgres://db/samservice',
      PERSONAL_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    const defaults = {
      windowSeconds: 60,
      perIp: 600,
      perClient: 300,
      perAgencyClient: 3_000,
      flushMs: 250,
    };
    expect(loadConfig(production).rateLimit).toEqual({ enabled: true, ...defaults });
    expect(loadConfig({ ...production, RATE_LIMIT_ENABLED: 'false' }).rateLimit.enabled).toBe(
      false,
    );
    expect(loadConfig({}).rateLimit).toEqual({ enabled: false, ...defaults });
    expect(loadConfig({ NODE_ENV: 'test' }).rateLimit.enabled).toBe(false);
    expect(
      loadConfig({
        NODE_ENV: 'test',
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_WINDOW_SECONDS: '5',
        RATE_LIMIT_PER_IP: '4',
        RATE_LIMIT_PER_CLIENT: '3',
        RATE_LIMIT_PER_AGENCY_CLIENT: '20',
        RATE_LIMIT_FLUSH_MILLISECONDS: '100',
      }).rateLimit,
    ).toEqual({
      enabled: true,
      windowSeconds: 5,
      perIp: 4,
      perClient: 3,
      perAgencyClient: 20,
      flushMs: 100,
    });
  });

  it('bounds subscriptions: 5,000 connections per gateway, 10 subscriptions each, 5 s to init', () => {
    expect(loadConfig({}).subscriptions).toEqual({
      maxConnections: 5_000,
      maxPerConnection: 10,
      initTimeoutMs: 5_000,
    });
    expect(
      loadConfig({
        GATEWAY_MAX_SUBSCRIPTION_CONNECTIONS: '2',
        MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
        SUBSCRIPTION_INIT_TIMEOUT_SECONDS: '0.5',
      }).subscriptions,
    ).toEqual({ maxConnections: 2, maxPerConnection: 3, initTimeoutMs: 500 });
  });

  it('trusts no proxy unless TRUSTED_PROXIES lists them (IP addresses and CIDR ranges)', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: '' }).trustedProxies).toEqual([]);
    expect(
      loadConfig({ TRUSTED_PROXIES: ' 127.0.0.1, 10.0.0.0/8,fd00::/8 ,::1,' }).trustedProxies,
    ).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', '::1']);
  });

  it('shifts a running clock by CLOCK_OFFSET_SECONDS (may be negative), never in production', () => {
    expect(loadConfig({})).toMatchObject({ clockOffsetMs: undefined, demoClock: 'auto' });
    expect(loadConfig({ CLOCK_OFFSET_SECONDS: '86400' }).clockOffsetMs).toBe(86_400_000);
    expect(loadConfig({ CLOCK_OFFSET_SECONDS: '-3600' }).clockOffsetMs).toBe(-3_600_000);
    expect(loadConfig({ DEMO_CLOCK: 'real' }).demoClock).toBe('real');
    // Both given: the config keeps both, and the clock takes FIXED_NOW (libs/scheduling Clock).
    expect(
      loadConfig({ FIXED_NOW: '2027-03-01T10:00:00+01:00', CLOCK_OFFSET_SECONDS: '60' }),
    ).toMatchObject({ fixedNow: Date.parse('2027-03-01T09:00:00Z'), clockOffsetMs: 60_000 });
    const production = {
      NODE_ENV: 'production',
      AUTH_ISSUER: 'https://idp.example',
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      DATABASE_URL: 'postgres://db/samservice',
      PERSONAL_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    expect(() => loadConfig({ ...production, CLOCK_OFFSET_SECONDS: '0' })).toThrow(
      /CLOCK_OFFSET_SECONDS: only for tests and demos, never in production/,
    );
    expect(() => loadConfig({ ...production, FIXED_NOW: '2027-03-01T10:00:00+01:00' })).toThrow(
      /FIXED_NOW: only for tests, never in production/,
    );
  });

  it('in production requires a real issuer and database, and never seeds demo data', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /AUTH_ISSUER: required in production/,
    );
    const production = {
      NODE_ENV: 'production',
      AUTH_ISSUER: 'https://idp.example',
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      DATABASE_URL: 'postgres://db/samservice',
      PERSONAL_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    const config = loadConfig(production);
    expect(config).toMatchObject({ isProduction: true, seedDemo: false, log: { pretty: false } });
    expect(config.auth.acceptDevelopmentTokens).toBe(false);
    expect(() => loadConfig({ ...production, SEED_DEMO: 'true' })).toThrow(
      /SEED_DEMO: demo data is never seeded/,
    );
  });

  it('signs citizens in with e-ID: the test e-ID in development only, a real broker needs its secret, and production its session key and public URL', () => {
    expect(loadConfig({}).eid).toMatchObject({
      issuer: undefined,
      clientId: 'samservice',
      scopes: 'openid profile https://id.oidc.se/scope/naturalPersonNumber',
      claims: { personnummer: 'https://id.oidc.se/claim/personalIdentityNumber', name: 'name' },
      acceptedAcr: [
        'http://id.elegnamnden.se/loa/1.0/loa3',
        'http://id.elegnamnden.se/loa/1.0/loa4',
      ],
      sessionMinutes: 30,
      testProvider: true,
    });
    expect(loadConfig({ NODE_ENV: 'test' }).eid.testProvider).toBe(false);
    expect(loadConfig({ TEST_EID: 'off' }).eid.testProvider).toBe(false);
    expect(loadConfig({ PORT: '4700' }).testEidPort).toBe(4703);
    expect(loadConfig({ EID_ACCEPTED_ACR: ' a , b ,' }).eid.acceptedAcr).toEqual(['a', 'b']);
    expect(loadConfig({ PUBLIC_URL: 'https://boka.example.se/' }).publicUrl).toBe(
      'https://boka.example.se',
    );
    expect(() => loadConfig({ EID_ISSUER: 'https://eid.example' })).toThrow(
      /EID_CLIENT_SECRET: required when EID_ISSUER is set/,
    );
    expect(() => loadConfig({ EID_CLIENT_SECRET: 'short' })).toThrow(/EID_CLIENT_SECRET/);
    expect(() => loadConfig({ EID_SESSION_MINUTES: '1' })).toThrow(/EID_SESSION_MINUTES/);
    const production = {
      NODE_ENV: 'production',
      AUTH_ISSUER: 'https://idp.example',
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      DATABASE_URL: 'postgres://db/samservice',
      PERSONAL_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    expect(loadConfig(production).eid.testProvider).toBe(false);
    expect(() => loadConfig({ ...production, TEST_EID: 'on' })).toThrow(
      /TEST_EID: the test e-ID never runs in production/,
    );
    try {
      loadConfig({
        ...production,
        EID_ISSUER: 'https://eid.example',
        EID_CLIENT_SECRET: 'a-long-enough-secret',
      });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'EID_SESSION_SIGNING_KEY: required in production when EID_ISSUER is set',
        'PUBLIC_URL: required in production when EID_ISSUER is set',
      ]);
    }
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ PORT: 'x', DATABASE_POOL_SIZE: '0' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });
});
