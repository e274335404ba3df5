import * as path from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

/**
 * Every environment variable Samservice reads, validated once at boot. The README's
 * configuration table mirrors this list; keep them together.
 */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const port = z.coerce
  .number({ message: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

const jwkJson = z.string().transform((value, ctx) => {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null && 'kty' in parsed) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'must be a JSON Web Key (JSON object with "kty")' });
  return z.NEVER;
});

// Compiled by the same library the gateway applies them with, so what passes here works there.
const trustedProxies = z.string().transform((value, ctx) => {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    try {
      proxyaddr.compile(entry);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `"${entry}" is not an IP address or CIDR range (a comma-separated list, e.g. 10.0.0.0/8,192.0.2.7)`,
      });
    }
  }
  return entries;
});

const bodyBytes = z.coerce
  .number({ message: 'must be a number of bytes' })
  .int('must be a whole number of bytes')
  .min(4_096, 'must be at least 4096 bytes')
  .max(16 * 1024 * 1024, 'must be at most 16777216 bytes (16 MiB)');

/** Ten years: a demo or a test shifts its clock by days, not by decades. */
const MAX_CLOCK_OFFSET_SECONDS = 10 * 366 * 86_400;

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(4000),
  DIRECTORY_PORT: port.optional(),
  SCHEDULING_PORT: port.optional(),
  DIRECTORY_URL: httpUrl.optional(),
  SCHEDULING_URL: httpUrl.optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  WEB_DIR: z.string().min(1).default('dist/apps/web'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// URL' })
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  SEED_DEMO: booleanFlag.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  // A path: log lines are appended there (as JSON lines, whatever LOG_FORMAT) instead of stdout.
  LOG_FILE: z.string().min(1).optional(),
  // With LOG_FILE: lines at this level and above are written to stdout too (default: none).
  LOG_CONSOLE_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('silent'),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).default('samservice-api'),
  AUTH_JWKS_URL: httpUrl.optional(),
  PUBLIC_URL: httpUrl.optional(),
  EID_ISSUER: httpUrl.optional(),
  EID_CLIENT_ID: z.string().min(1).max(200).default('samservice'),
  EID_CLIENT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  EID_SCOPES: z
    .string()
    .min(1)
    .default('openid profile https://id.oidc.se/scope/naturalPersonNumber'),
  EID_CLAIM_PERSONNUMMER: z
    .string()
    .min(1)
    .default('https://id.oidc.se/claim/personalIdentityNumber'),
  EID_CLAIM_NAME: z.string().min(1).default('name'),
  EID_ACCEPTED_ACR: z
    .string()
    .min(1)
    .default('http://id.elegnamnden.se/loa/1.0/loa3,http://id.elegnamnden.se/loa/1.0/loa4'),
  EID_SESSION_MINUTES: z.coerce.number().int().min(5).max(480).default(30),
  EID_SESSION_SIGNING_KEY: jwkJson.optional(),
  STAFF_OIDC_ISSUER: httpUrl.optional(),
  STAFF_OIDC_CLIENT_ID: z.string().min(1).max(200).default('samservice-staff'),
  STAFF_OIDC_CLIENT_SECRET: z.string().min(16).optional(),
  STAFF_OIDC_SCOPES: z.string().min(1).default('openid profile'),
  STAFF_OIDC_RESOURCE: z.url().optional(),
  TEST_EID: z.enum(['on', 'off'], { message: 'must be on or off' }).optional(),
  TEST_EID_PORT: port.optional(),
  INTERNAL_SIGNING_KEY: jwkJson.optional(),
  INTERNAL_VERIFY_KEY: jwkJson.optional(),
  PERSONAL_DATA_KEY: z
    .string()
    .refine(
      (value) => Buffer.from(value, 'base64').length >= 32,
      'must be at least 32 random bytes, base64',
    )
    .optional(),
  HOLD_MINUTES: z.coerce.number().int().min(1).max(30).default(5),
  JOINT_VISIT_MAX_GAP_MINUTES: z.coerce.number().int().min(0).max(60).default(10),
  REVALIDATION_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  FRONTDESK_CHECK_IN_EARLY_MINUTES: z.coerce.number().int().min(0).max(240).default(15),
  FRONTDESK_CHECK_IN_LATE_MINUTES: z.coerce.number().int().min(0).max(240).default(10),
  FRONTDESK_NO_SHOW_CALLS: z.coerce.number().int().min(1).max(10).default(3),
  FRONTDESK_TARGET_WAIT_MINUTES: z.coerce.number().int().min(1).max(480).default(30),
  FRONTDESK_TRANSFER_CAP: z.coerce.number().int().min(0).max(20).default(3),
  PERSONAL_DATA_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  RETENTION_SWEEP_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  ABUSE_TRADING_CANCELS: z.coerce.number().int().min(1).max(1000).default(3),
  ABUSE_TRADING_WINDOW_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  ABUSE_IDENTITIES_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(10),
  ABUSE_IDENTITIES_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  TRUSTED_PROXIES: trustedProxies.optional(),
  GATEWAY_ADMISSION_LIMIT: z.coerce.number().int().min(1).max(10_000).default(64),
  SUBGRAPH_ADMISSION_LIMIT: z.coerce.number().int().min(1).max(10_000).optional(),
  ADMISSION_QUEUE_LIMIT: z.coerce.number().int().min(0).max(100_000).default(5_000),
  ADMISSION_MAX_WAIT_SECONDS: z.coerce.number().min(0.1).max(120).default(20),
  MAX_REQUEST_BYTES: bodyBytes.default(64 * 1024),
  SUBGRAPH_MAX_REQUEST_BYTES: bodyBytes.default(1024 * 1024),
  GATEWAY_MAX_SUBSCRIPTION_CONNECTIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(5_000),
  MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(1_000).default(10),
  SUBSCRIPTION_INIT_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(60).default(5),
  RATE_LIMIT_ENABLED: booleanFlag.optional(),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(600),
  RATE_LIMIT_PER_CLIENT: z.coerce.number().int().min(1).max(1_000_000).default(300),
  RATE_LIMIT_PER_AGENCY_CLIENT: z.coerce.number().int().min(1).max(1_000_000).default(3_000),
  RATE_LIMIT_FLUSH_MILLISECONDS: z.coerce.number().int().min(10).max(10_000).default(250),
  FIXED_NOW: z.iso
    .datetime({ offset: true, message: 'must be an ISO-8601 instant with offset' })
    .optional(),
  CLOCK_OFFSET_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(-MAX_CLOCK_OFFSET_SECONDS, 'must be within ten years of the real time')
    .max(MAX_CLOCK_OFFSET_SECONDS, 'must be within ten years of the real time')
    .optional(),
  DEMO_CLOCK: z.enum(['auto', 'real'], { message: 'must be auto or real' }).default('auto'),
});

export type Environment = 'development' | 'test' | 'production';

export interface AppConfig {
  env: Environment;
  isProduction: boolean;
  host: string;
  port: number;
  directoryPort: number;
  schedulingPort: number;
  subgraphUrls: { directory: string; scheduling: string };
  dataDir: string;
  /** The built web (apps/web), served by the gateway at its origin when it is there. */
  webDir: string;
  /** Absent: the embedded PostgreSQL in `dataDir` is used. */
  databaseUrl?: string;
  databasePoolSize: number;
  seedDemo: boolean;
  log: {
    level: string;
    pretty: boolean;
    /** LOG_FILE: append the lines there instead of writing them to stdout. */
    file?: string;
    /** LOG_CONSOLE_LEVEL: with `file`, the lines also written to stdout. */
    consoleLevel?: string;
  };
  auth: {
    /** The configured OIDC issuer; its keys come from `jwksUrl`. */
    issuer?: string;
    audience: string;
    jwksUrl?: string;
    /** Only outside production: tokens of the local development issuer are accepted too. */
    acceptDevelopmentTokens: boolean;
  };
  /** Master key (base64) personal-data hashing and encryption keys are derived from. */
  personalDataKey?: string;
  /** How long a held slot stays reserved while the citizen fills in the form. */
  holdMinutes: number;
  /** Longest wait between two parts of a joint visit. */
  jointVisitMaxGapMinutes: number;
  /** How often each scheduling replica sweeps the directory's change log for unhandled changes. */
  revalidationSweepSeconds: number;
  /**
   * Personal data of a visit (contact details, identity numbers, citizen keys, ticket notes)
   * is purged this many days after the visit; the rows stay for statistics.
   */
  retention: { days: number; sweepSeconds: number };
  /** When a pattern is flagged as possible abuse (docs/security.md, "Abuse"); flags never block. */
  abuse: {
    tradingCancels: number;
    tradingWindowMinutes: number;
    identitiesPerClient: number;
    identitiesWindowMinutes: number;
  };
  /** The front desk's rules (docs/frontdesk.md). */
  frontDesk: {
    /** An appointment may check in this many minutes before its start... */
    checkInEarlyMinutes: number;
    /** ...and this many after it; later, it becomes a walk-in ticket for the same service. */
    checkInLateMinutes: number;
    /** A called ticket may be marked as a no-show after this many calls. */
    noShowCalls: number;
    /** The wait a service's queue aims at when it has no rule of its own (the ageing rule). */
    targetWaitMinutes: number;
    /** Transfers that keep the citizen's place; later ones queue from the transfer. */
    transferCap: number;
  };
  /**
   * Proxies (addresses, CIDR ranges) whose X-Forwarded-For the gateway believes when it works
   * out a caller's address. Empty: none, the socket's peer is the caller.
   */
  trustedProxies: string[];
  /**
   * Bounded work per process (see AdmissionGate): requests worked on at once, by the gateway
   * (forwarded to subgraphs) and by each subgraph (default: its database pool size, so a
   * request that is admitted gets a connection), how many may wait, and for how long.
   */
  admission: { gatewayLimit: number; subgraphLimit: number; maxQueue: number; maxWaitMs: number };
  /**
   * The largest request body each server reads; a larger one is answered 413
   * PAYLOAD_TOO_LARGE without being parsed. The gateway's bounds what clients send; a
   * subgraph's what the gateway forwards (entity representations of a query plan included).
   */
  maxRequestBytes: { gateway: number; subgraph: number };
  /**
   * Subscriptions over graphql-ws at /graphql (the gateway's, and a subgraph's that serves
   * some). `maxConnections`: WebSocket connections one gateway process holds (one more is
   * closed with 1013); `maxPerConnection`: subscriptions one connection runs at once (gateway
   * and subgraphs: the gateway opens one upstream connection per client connection);
   * `initTimeoutMs`: how long a new connection may take to send its connection_init.
   * A message is at most the server's `maxRequestBytes`.
   */
  subscriptions: { maxConnections: number; maxPerConnection: number; initTimeoutMs: number };
  /**
   * Requests per fixed window at the gateway, held across replicas through the `gateway`
   * schema (docs/security.md, "Rate limits"). Anonymous callers count per network address
   * (`perIp`, WebSocket connection attempts too), signed-in callers per identity: an agency's
   * integration (`perAgencyClient`) or a person (`perClient`). Off by default outside
   * production, so tests and benchmarks are not throttled unless they ask to be.
   * `flushMs`: how often each replica adds its counts to the shared ones and learns theirs.
   */
  rateLimit: {
    enabled: boolean;
    windowSeconds: number;
    perIp: number;
    perClient: number;
    perAgencyClient: number;
    flushMs: number;
  };
  /** Tests only: the instant the services take as "now" (epoch ms). */
  fixedNow?: number;
  /**
   * Tests and demos: a running clock shifted by this much (ms), `Date.now() + clockOffsetMs`;
   * `fixedNow` wins when both are set. Absent: the real time (or the launcher's demo clock).
   */
  clockOffsetMs?: number;
  /**
   * `npm start` with the demo network: `auto` shifts the clock to an open morning when the
   * demo offices are closed at the real now; `real` keeps the real time.
   */
  demoClock: 'auto' | 'real';
  /**
   * The gateway's origin as browsers reach it (e-ID redirect URIs). Absent: worked out from
   * HOST and PORT by the launcher.
   */
  publicUrl?: string;
  /** Citizen sign-in with e-ID: the gateway is an OIDC relying party (docs/security.md, "E-ID"). */
  eid: {
    /** The e-ID broker's issuer (discovery at /.well-known/openid-configuration); absent: no sign-in. */
    issuer?: string;
    clientId: string;
    clientSecret?: string;
    scopes: string;
    /** Which claims of the ID token carry the identity number and the name. */
    claims: { personnummer: string; name: string };
    /** `acr` values (assurance levels) accepted; a sign-in at a lower level is refused. */
    acceptedAcr: string[];
    /** How long a citizen stays signed in. */
    sessionMinutes: number;
    /** Private JWK the gateway signs citizen sessions with (absent: development key in dataDir). */
    sessionSigningKey?: Record<string, unknown>;
    /** Development: `npm start` runs the local test e-ID (apps/test-eid) and signs in against it. */
    testProvider: boolean;
  };
  /**
   * Staff sign-in at the workstation (docs/security.md, "Staff sign-in"): the gateway is an
   * OIDC relying party of the organisation's identity provider, whose access tokens for the
   * API are the bearer tokens of AUTH_ISSUER. Absent issuer: staff use tokens of their own.
   */
  staffSignIn: {
    issuer?: string;
    clientId: string;
    clientSecret?: string;
    scopes: string;
    /** RFC 8707 resource indicator asked for, so the access token is for this API. */
    resource?: string;
  };
  /** Port of the local test e-ID (development; 0: any free one). */
  testEidPort: number;
  internalIdentity: {
    /** Private key the gateway signs forwarded identities with (absent: development key in dataDir). */
    signingKey?: Record<string, unknown>;
    /** Public key subgraphs verify forwarded identities with (absent: development key in dataDir). */
    verifyKey?: Record<string, unknown>;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  const problems: string[] = [];

  if (isProduction) {
    if (e.SEED_DEMO)
      problems.push('SEED_DEMO: demo data is never seeded into a production database');
    if (!e.AUTH_ISSUER) problems.push('AUTH_ISSUER: required in production');
    if (!e.AUTH_JWKS_URL) problems.push('AUTH_JWKS_URL: required in production');
    if (!e.DATABASE_URL) problems.push('DATABASE_URL: required in production');
    if (!e.PERSONAL_DATA_KEY) problems.push('PERSONAL_DATA_KEY: required in production');
    if (e.FIXED_NOW) problems.push('FIXED_NOW: only for tests, never in production');
    if (e.CLOCK_OFFSET_SECONDS !== undefined)
      problems.push('CLOCK_OFFSET_SECONDS: only for tests and demos, never in production');
    if (e.TEST_EID === 'on') problems.push('TEST_EID: the test e-ID never runs in production');
    if (e.EID_ISSUER && !e.EID_SESSION_SIGNING_KEY)
      problems.push('EID_SESSION_SIGNING_KEY: required in production when EID_ISSUER is set');
    if (e.EID_ISSUER && !e.PUBLIC_URL)
      problems.push('PUBLIC_URL: required in production when EID_ISSUER is set');
    if (e.STAFF_OIDC_ISSUER && !e.EID_SESSION_SIGNING_KEY)
      problems.push(
        'EID_SESSION_SIGNING_KEY: required in production when STAFF_OIDC_ISSUER is set (it signs the sign-in under way)',
      );
    if (e.STAFF_OIDC_ISSUER && !e.PUBLIC_URL)
      problems.push('PUBLIC_URL: required in production when STAFF_OIDC_ISSUER is set');
  }
  if (e.EID_ISSUER && !e.EID_CLIENT_SECRET) {
    problems.push('EID_CLIENT_SECRET: required when EID_ISSUER is set');
  }
  if (e.STAFF_OIDC_ISSUER && !e.STAFF_OIDC_CLIENT_SECRET) {
    problems.push('STAFF_OIDC_CLIENT_SECRET: required when STAFF_OIDC_ISSUER is set');
  }
  if (
    e.STAFF_OIDC_ISSUER &&
    e.STAFF_OIDC_ISSUER.replace(/\/+$/, '') !== e.AUTH_ISSUER?.replace(/\/+$/, '')
  ) {
    problems.push(
      'STAFF_OIDC_ISSUER: must be AUTH_ISSUER (its access tokens are verified as bearer tokens of AUTH_ISSUER)',
    );
  }
  if (e.AUTH_JWKS_URL && !e.AUTH_ISSUER) {
    problems.push('AUTH_ISSUER: required when AUTH_JWKS_URL is set');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const directoryPort = e.DIRECTORY_PORT ?? (e.PORT === 0 ? 0 : e.PORT + 1);
  const schedulingPort = e.SCHEDULING_PORT ?? (e.PORT === 0 ? 0 : e.PORT + 2);
  return {
    env: e.NODE_ENV,
    isProduction,
    host: e.HOST,
    port: e.PORT,
    directoryPort,
    schedulingPort,
    subgraphUrls: {
      directory: e.DIRECTORY_URL ?? `http://127.0.0.1:${directoryPort}/graphql`,
      scheduling: e.SCHEDULING_URL ?? `http://127.0.0.1:${schedulingPort}/graphql`,
    },
    dataDir: path.resolve(e.DATA_DIR),
    webDir: path.resolve(e.WEB_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    admission: {
      gatewayLimit: e.GATEWAY_ADMISSION_LIMIT,
      subgraphLimit: e.SUBGRAPH_ADMISSION_LIMIT ?? e.DATABASE_POOL_SIZE,
      maxQueue: e.ADMISSION_QUEUE_LIMIT,
      maxWaitMs: Math.round(e.ADMISSION_MAX_WAIT_SECONDS * 1000),
    },
    seedDemo: e.SEED_DEMO ?? e.NODE_ENV === 'development',
    log: {
      level: e.LOG_LEVEL,
      pretty: (e.LOG_FORMAT ?? (e.NODE_ENV === 'development' ? 'pretty' : 'json')) === 'pretty',
      ...(e.LOG_FILE ? { file: e.LOG_FILE, consoleLevel: e.LOG_CONSOLE_LEVEL } : {}),
    },
    auth: {
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      jwksUrl: e.AUTH_JWKS_URL,
      acceptDevelopmentTokens: !isProduction,
    },
    personalDataKey: e.PERSONAL_DATA_KEY,
    holdMinutes: e.HOLD_MINUTES,
    jointVisitMaxGapMinutes: e.JOINT_VISIT_MAX_GAP_MINUTES,
    revalidationSweepSeconds: e.REVALIDATION_SWEEP_SECONDS,
    abuse: {
      tradingCancels: e.ABUSE_TRADING_CANCELS,
      tradingWindowMinutes: e.ABUSE_TRADING_WINDOW_HOURS * 60,
      identitiesPerClient: e.ABUSE_IDENTITIES_PER_CLIENT,
      identitiesWindowMinutes: e.ABUSE_IDENTITIES_WINDOW_MINUTES,
    },
    retention: {
      days: e.PERSONAL_DATA_RETENTION_DAYS,
      sweepSeconds: e.RETENTION_SWEEP_SECONDS,
    },
    frontDesk: {
      checkInEarlyMinutes: e.FRONTDESK_CHECK_IN_EARLY_MINUTES,
      checkInLateMinutes: e.FRONTDESK_CHECK_IN_LATE_MINUTES,
      noShowCalls: e.FRONTDESK_NO_SHOW_CALLS,
      targetWaitMinutes: e.FRONTDESK_TARGET_WAIT_MINUTES,
      transferCap: e.FRONTDESK_TRANSFER_CAP,
    },
    trustedProxies: e.TRUSTED_PROXIES ?? [],
    maxRequestBytes: { gateway: e.MAX_REQUEST_BYTES, subgraph: e.SUBGRAPH_MAX_REQUEST_BYTES },
    subscriptions: {
      maxConnections: e.GATEWAY_MAX_SUBSCRIPTION_CONNECTIONS,
      maxPerConnection: e.MAX_SUBSCRIPTIONS_PER_CONNECTION,
      initTimeoutMs: Math.round(e.SUBSCRIPTION_INIT_TIMEOUT_SECONDS * 1000),
    },
    rateLimit: {
      enabled: e.RATE_LIMIT_ENABLED ?? isProduction,
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      perIp: e.RATE_LIMIT_PER_IP,
      perClient: e.RATE_LIMIT_PER_CLIENT,
      perAgencyClient: e.RATE_LIMIT_PER_AGENCY_CLIENT,
      flushMs: e.RATE_LIMIT_FLUSH_MILLISECONDS,
    },
    fixedNow: e.FIXED_NOW ? Date.parse(e.FIXED_NOW) : undefined,
    clockOffsetMs: e.CLOCK_OFFSET_SECONDS === undefined ? undefined : e.CLOCK_OFFSET_SECONDS * 1000,
    demoClock: e.DEMO_CLOCK,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    eid: {
      issuer: e.EID_ISSUER,
      clientId: e.EID_CLIENT_ID,
      clientSecret: e.EID_CLIENT_SECRET,
      scopes: e.EID_SCOPES,
      claims: { personnummer: e.EID_CLAIM_PERSONNUMMER, name: e.EID_CLAIM_NAME },
      acceptedAcr: e.EID_ACCEPTED_ACR.split(',')
        .map((value) => value.trim())
        .filter(Boolean),
      sessionMinutes: e.EID_SESSION_MINUTES,
      sessionSigningKey: e.EID_SESSION_SIGNING_KEY,
      testProvider: (e.TEST_EID ?? (e.NODE_ENV === 'development' ? 'on' : 'off')) === 'on',
    },
    staffSignIn: {
      issuer: e.STAFF_OIDC_ISSUER,
      clientId: e.STAFF_OIDC_CLIENT_ID,
      clientSecret: e.STAFF_OIDC_CLIENT_SECRET,
      scopes: e.STAFF_OIDC_SCOPES,
      resource: e.STAFF_OIDC_RESOURCE,
    },
    testEidPort: e.TEST_EID_PORT ?? (e.PORT === 0 ? 0 : e.PORT + 3),
    internalIdentity: {
      signingKey: e.INTERNAL_SIGNING_KEY,
      verifyKey: e.INTERNAL_VERIFY_KEY,
    },
  };
}

/** For entry points: the validated config, or the problems on stderr and exit code 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
