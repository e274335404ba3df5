import { generateKeyPairSync, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors, type OidcContext } from 'oidc-provider';
import { CLAIMS } from '@samservice/platform/auth';
import { demoStaffAccounts, type DemoStaffAccount } from '@samservice/directory/database';
import { TEST_CITIZENS, LOA2, LOA3, LOA4, testCitizen, type TestCitizen } from './test-citizens';

/** The Swedish OIDC profile's scope and claim for the identity number (id.oidc.se). */
export const NATURAL_PERSON_SCOPE = 'https://id.oidc.se/scope/naturalPersonNumber';
export const PERSONAL_IDENTITY_NUMBER_CLAIM = 'https://id.oidc.se/claim/personalIdentityNumber';

export interface TestEidOptions {
  host: string;
  port: number;
  /** The one relying party: Samservice's gateway. */
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /**
   * The staff workstation's client: the test e-ID then also plays the organisation's
   * identity provider, with the demo network's staff, issuing JWT access tokens for the API.
   */
  staff?: {
    clientId: string;
    clientSecret: string;
    redirectUris: string[];
    postLogoutRedirectUris: string[];
    /** The API's resource indicator (RFC 8707) and the audience of its access tokens. */
    resource: string;
    audience: string;
  };
}

/** The scope of the API's access tokens at the test e-ID (staff only). */
const STAFF_API_SCOPE = 'samservice:staff';

export interface RunningTestEid {
  /** The issuer identifier (also its base URL). */
  url: string;
  close(): Promise<void>;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:38rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}
fieldset{border:1px solid #767676;padding:1rem}label{display:block;padding:.4rem 0}
button{font-size:1rem;padding:.6rem 1.2rem;margin:1rem .5rem 0 0}
:focus-visible{outline:3px solid #1d70b8;outline-offset:2px}.note{color:#505050}
</style></head>
<body><main>${body}</main></body></html>`;
}

function loginPage(uid: string, clientName: string): string {
  const choices = TEST_CITIZENS.map(
    (citizen: TestCitizen, index) =>
      `<label><input type="radio" name="citizen" value="${escapeHtml(citizen.id)}"${index === 0 ? ' checked' : ''}> ${escapeHtml(
        `${citizen.givenName} ${citizen.familyName}`,
      )}, ${escapeHtml(citizen.personnummer.slice(0, 8))}-${escapeHtml(citizen.personnummer.slice(8))} <span class="note">(${escapeHtml(citizen.method)})</span></label>`,
  ).join('\n');
  return page(
    'Test-e-legitimation / Test e-ID',
    `<h1>Test-e-legitimation</h1>
<p>Endast för utveckling och test: välj en testperson att logga in som hos ${escapeHtml(clientName)}.
<span lang="en">For development and tests only: choose a test person to sign in as.</span></p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<fieldset><legend>Testperson / Test person</legend>
${choices}
</fieldset>
<button type="submit">Logga in / Sign in</button>
<button type="submit" formaction="/interaction/${escapeHtml(uid)}/abort">Avbryt / Cancel</button>
</form>`,
  );
}

function staffLoginPage(uid: string, accounts: DemoStaffAccount[]): string {
  const choices = accounts
    .map(
      (person, index) =>
        `<label><input type="radio" name="account" value="${escapeHtml(person.subject)}"${index === 0 ? ' checked' : ''}> ${escapeHtml(person.name)} <span class="note">(${escapeHtml(person.officeNames.join(', '))})</span></label>`,
    )
    .join('\n');
  return page(
    'Testinloggning för personal / Test staff sign-in',
    `<h1>Testinloggning för personal</h1>
<p>Endast för utveckling och test: välj en person i demonätverkets personal att logga in som.
<span lang="en">For development and tests only: choose a member of the demo network's staff.</span></p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<fieldset><legend>Personal / Staff</legend>
${choices}
</fieldset>
<button type="submit">Logga in / Sign in</button>
<button type="submit" formaction="/interaction/${escapeHtml(uid)}/abort">Avbryt / Cancel</button>
</form>`,
  );
}

async function formBody(req: http.IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 4096) throw new Error('form too large');
  }
  return new URLSearchParams(text);
}

/**
 * A local OpenID Provider standing in for a Swedish e-ID broker (an OIDC front for BankID
 * and Freja) in development and tests: `oidc-provider` with the Swedish OIDC profile's
 * identity-number scope and claim, assurance levels as `acr`, PKCE required, and a login
 * page where one picks a test citizen instead of opening BankID. Everything a real broker
 * checks in the protocol (redirect URIs, client secret, PKCE, one-time codes, signed ID
 * tokens with nonce) it checks too; only the person is chosen instead of proven.
 */
export async function startTestEid(options: TestEidOptions): Promise<RunningTestEid> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  const issuer = `http://${host}:${port}`;

  // Keys for this run only: tokens of an earlier run have expired long since.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingJwk = {
    ...privateKey.export({ format: 'jwk' }),
    kid: 'test-eid-1',
    alg: 'ES256',
    use: 'sig',
  };

  const staffAccounts = options.staff ? demoStaffAccounts() : [];
  const staffAccount = (id: string) => staffAccounts.find((a) => a.subject === id);
  const staffClient = options.staff
    ? [
        {
          client_id: options.staff.clientId,
          client_secret: options.staff.clientSecret,
          client_name: 'Samservice personal',
          redirect_uris: options.staff.redirectUris,
          post_logout_redirect_uris: options.staff.postLogoutRedirectUris,
          response_types: ['code'] as const,
          grant_types: ['authorization_code'],
          token_endpoint_auth_method: 'client_secret_basic' as const,
          id_token_signed_response_alg: 'ES256',
        },
      ]
    : [];

  const provider = new Provider(issuer, {
    clients: [
      ...staffClient,
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        client_name: 'Samservice',
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [signingJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    scopes: ['openid', 'profile', NATURAL_PERSON_SCOPE],
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'birthdate'],
      [NATURAL_PERSON_SCOPE]: [PERSONAL_IDENTITY_NUMBER_CLAIM],
    },
    // As Swedish e-ID brokers do: the identity claims in the ID token itself.
    conformIdTokenClaims: false,
    acrValues: [LOA2, LOA3, LOA4],
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // The provider's own page, in both languages and with nothing fetched from elsewhere.
        logoutSource(ctx: { body: string }, form: string) {
          ctx.body = page(
            'Logga ut / Sign out',
            `<h1>Logga ut från testinloggningen?</h1>
<p><span lang="en">Sign out of the test sign-in?</span></p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, logga ut / Yes, sign out</button>
<button type="submit" form="op.logoutForm">Nej / No</button>`,
          );
        },
      },
      // Staff: access tokens for the API are JWTs (RFC 9068) for its audience, as an
      // organisation's identity provider issues them; citizens get none for it.
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx: unknown, client: { clientId: string }) =>
          options.staff && client.clientId === options.staff.clientId
            ? options.staff.resource
            : undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string, client: { clientId: string }) => {
          if (
            !options.staff ||
            resource !== options.staff.resource ||
            client.clientId !== options.staff.clientId
          )
            throw new errors.InvalidTarget();
          return {
            scope: STAFF_API_SCOPE,
            audience: options.staff.audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 3600,
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    // The staff claims Samservice reads from a staff member's access token (docs/security.md).
    extraTokenClaims(_ctx: unknown, token: { kind: string; accountId?: string }) {
      const person =
        token.kind === 'AccessToken' && token.accountId && staffAccount(token.accountId);
      if (!person) return undefined;
      return {
        roles: ['staff'],
        name: person.name,
        [CLAIMS.offices]: person.offices,
        [CLAIMS.adminOffices]: person.adminOffices,
        [CLAIMS.competences]: person.competences,
      };
    },
    ttl: {
      // A staff member's access token for the API lasts an hour, as an identity provider's
      // typically does; the citizens' (for userinfo only) five minutes.
      AccessToken: (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) =>
        token.resourceServer?.accessTokenTTL ?? 300,
      AuthorizationCode: 60,
      IdToken: 300,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx: unknown, id: string) {
      const person = staffAccount(id);
      if (person)
        return {
          accountId: person.subject,
          claims: async () => ({ sub: person.subject, name: person.name }),
        };
      const citizen = testCitizen(id);
      if (!citizen) return undefined;
      return {
        accountId: citizen.id,
        claims: async () => ({
          sub: citizen.id,
          name: `${citizen.givenName} ${citizen.familyName}`,
          given_name: citizen.givenName,
          family_name: citizen.familyName,
          birthdate: citizen.birthdate,
          [PERSONAL_IDENTITY_NUMBER_CLAIM]: citizen.personnummer,
        }),
      };
    },
    // The one client is first-party: no consent page, the grant covers what it asks.
    async loadExistingGrant(ctx: OidcContext) {
      const { client, session, result, provider: self } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return self.Grant.find(grantId);
      const grant = new self.Grant({ clientId: client.clientId, accountId: session.accountId });
      if (options.staff && client.clientId === options.staff.clientId) {
        grant.addOIDCScope('openid profile');
        grant.addResourceScope(options.staff.resource, STAFF_API_SCOPE);
        await grant.save();
        return grant;
      }
      grant.addOIDCScope(`openid profile ${NATURAL_PERSON_SCOPE}`);
      await grant.save();
      return grant;
    },
    renderError(ctx: { type: string; body: string }, out: Record<string, string>) {
      ctx.type = 'html';
      ctx.body = page(
        'Fel / Error',
        `<h1>Inloggningen misslyckades / Sign-in failed</h1><p>${escapeHtml(out.error ?? 'error')}: ${escapeHtml(out.error_description ?? '')}</p>`,
      );
    },
  });
  const oidc = provider.callback();

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([\w-]+)(\/login|\/abort)?$/.exec(url.pathname);
    if (!match) {
      oidc(req, res);
      return;
    }
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (details.uid !== match[1]) throw new Error('interaction mismatch');
        const step = match[2];
        const forStaff = options.staff && details.params.client_id === options.staff.clientId;
        if (req.method === 'GET' && !step) {
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.setHeader('cache-control', 'no-store');
          res.end(
            forStaff
              ? staffLoginPage(details.uid, staffAccounts)
              : loginPage(details.uid, 'Samservice'),
          );
          return;
        }
        if (req.method === 'POST' && step === '/abort') {
          await provider.interactionFinished(
            req,
            res,
            { error: 'access_denied', error_description: 'The person cancelled the sign-in.' },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        if (req.method === 'POST' && step === '/login' && forStaff) {
          const person = staffAccount((await formBody(req)).get('account') ?? '');
          if (!person) {
            res.statusCode = 400;
            res.setHeader('content-type', 'text/html; charset=utf-8');
            res.end(page('Fel / Error', '<h1>Välj en person / Choose a person</h1>'));
            return;
          }
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: person.subject, amr: ['pwd'] } },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        if (req.method === 'POST' && step === '/login') {
          const citizen = testCitizen((await formBody(req)).get('citizen') ?? '');
          if (!citizen) {
            res.statusCode = 400;
            res.setHeader('content-type', 'text/html; charset=utf-8');
            res.end(page('Fel / Error', '<h1>Välj en testperson / Choose a test person</h1>'));
            return;
          }
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: citizen.id, acr: citizen.acr, amr: ['pwd'] } },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        res.statusCode = 405;
        res.end();
      } catch {
        res.statusCode = 400;
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(page('Fel / Error', '<h1>Inloggningen har gått ut / The sign-in has expired</h1>'));
      }
    })();
  });

  return {
    url: issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
