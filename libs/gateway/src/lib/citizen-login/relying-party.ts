import * as oidc from 'openid-client';
import { DateTime } from 'luxon';
import { parseIdentityNumber } from '@samservice/identity';
import type { AppConfig } from '@samservice/platform/config';

/** Why a sign-in did not give a session: a stable code the web explains in its language. */
export type SignInProblem =
  | 'LOGIN_EXPIRED'
  | 'LOGIN_CANCELLED'
  | 'ASSURANCE_TOO_LOW'
  | 'NO_IDENTITY_NUMBER'
  | 'EID_UNAVAILABLE'
  /** Staff sign-in: the identity provider's token is not a staff member's. */
  | 'NOT_STAFF';

export class SignInError extends Error {
  override name = 'SignInError';
  constructor(
    readonly problem: SignInProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface SignedInCitizen {
  /** The e-ID's subject for the person. */
  subject: string;
  /** 12 digits, as the e-ID asserted it. */
  personnummer: string;
  name?: string;
  acr?: string;
}

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** An OpenID Provider the gateway signs people in at: its issuer and the gateway's client. */
export interface ProviderSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
}

/**
 * What the citizen's and the staff's sign-in share: discovery (once per process, retried
 * after a failure), the start of the authorization-code flow with PKCE (S256), state and
 * nonce, and RP-initiated logout. openid-client checks the protocol (state, nonce, the ID
 * token's signature, issuer, audience and expiry); the subclasses read the claims.
 */
export abstract class OidcRelyingParty {
  private configuration?: Promise<oidc.Configuration>;

  protected constructor(
    private readonly provider: ProviderSettings,
    protected readonly redirectUri: string,
    private readonly isProduction: boolean,
  ) {}

  protected async client(): Promise<oidc.Configuration> {
    this.configuration ??= (async () => {
      const issuer = new URL(this.provider.issuer);
      // Plain http only for a loopback issuer outside production: the local test e-ID.
      const insecure = !this.isProduction && issuer.protocol === 'http:' && isLoopback(issuer);
      return oidc.discovery(
        issuer,
        this.provider.clientId,
        undefined,
        oidc.ClientSecretBasic(this.provider.clientSecret),
        { ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}), timeout: 10 },
      );
    })();
    try {
      return await this.configuration;
    } catch (error) {
      this.configuration = undefined;
      throw new SignInError(
        'EID_UNAVAILABLE',
        `The sign-in service could not be reached (${(error as Error).message}). Please try again in a moment.`,
      );
    }
  }

  /** Where the browser goes to sign in, and the secrets the callback must show again. */
  protected async begin(parameters: Record<string, string>): Promise<{
    url: string;
    state: string;
    nonce: string;
    codeVerifier: string;
  }> {
    const client = await this.client();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(client, {
      redirect_uri: this.redirectUri,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...parameters,
    });
    return { url: url.href, state, nonce, codeVerifier };
  }

  /** The provider's own refusal on the callback (the person cancelled, or it failed). */
  protected refusal(callbackUrl: URL): void {
    const error = callbackUrl.searchParams.get('error');
    if (error) {
      throw new SignInError(
        error === 'access_denied' ? 'LOGIN_CANCELLED' : 'EID_UNAVAILABLE',
        error === 'access_denied'
          ? 'The sign-in was cancelled.'
          : 'The sign-in service could not sign you in. Please try again.',
      );
    }
  }

  /** The code exchanged (with the PKCE verifier); any protocol failure is one answer. */
  protected async exchange(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
    parameters: Record<string, string> = {},
  ): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
    const client = await this.client();
    try {
      return await oidc.authorizationCodeGrant(
        client,
        callbackUrl,
        {
          pkceCodeVerifier: expected.codeVerifier,
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          idTokenExpected: true,
        },
        parameters,
      );
    } catch (cause) {
      // A replayed or foreign code, a wrong state, a bad ID token: all one answer to the user.
      throw new SignInError(
        'LOGIN_EXPIRED',
        `The sign-in could not be completed (${(cause as Error).name}); please sign in again.`,
      );
    }
  }

  /** RP-initiated logout at the provider, back to the gateway's signed-out page. */
  async endSessionUrl(postLogoutRedirectUri: string): Promise<string | undefined> {
    try {
      const client = await this.client();
      if (!client.serverMetadata().end_session_endpoint) return undefined;
      return oidc.buildEndSessionUrl(client, {
        client_id: this.provider.clientId,
        post_logout_redirect_uri: postLogoutRedirectUri,
      }).href;
    } catch {
      return undefined;
    }
  }
}

/**
 * The gateway as an OpenID Connect relying party of the configured e-ID broker (EID_ISSUER),
 * reading the claims Samservice needs: the identity number, the name and an accepted
 * assurance level.
 */
export class EidRelyingParty extends OidcRelyingParty {
  constructor(
    private readonly eid: AppConfig['eid'] & { issuer: string },
    redirectUri: string,
    isProduction: boolean,
  ) {
    super(eid, redirectUri, isProduction);
  }

  start(): ReturnType<OidcRelyingParty['begin']> {
    return this.begin({
      scope: this.eid.scopes,
      ...(this.eid.acceptedAcr.length > 0 ? { acr_values: this.eid.acceptedAcr.join(' ') } : {}),
    });
  }

  /** The callback: the code exchanged (with the PKCE verifier) and the ID token's claims read. */
  async finish(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<SignedInCitizen> {
    this.refusal(callbackUrl);
    const claims = (await this.exchange(callbackUrl, expected)).claims();
    if (!claims) throw new SignInError('LOGIN_EXPIRED', 'The e-ID gave no ID token.');
    const acr = typeof claims.acr === 'string' ? claims.acr : undefined;
    if (this.eid.acceptedAcr.length > 0 && (!acr || !this.eid.acceptedAcr.includes(acr))) {
      throw new SignInError(
        'ASSURANCE_TOO_LOW',
        'This e-ID is not of a high enough assurance level for Samservice. Use BankID or Freja+, or book without signing in.',
      );
    }
    const raw = claims[this.eid.claims.personnummer];
    const parsed =
      typeof raw === 'string'
        ? parseIdentityNumber(raw, DateTime.now().setZone('Europe/Stockholm').toISODate() ?? '')
        : undefined;
    if (!parsed?.ok) {
      throw new SignInError(
        'NO_IDENTITY_NUMBER',
        'The e-ID did not give a Swedish personal identity number or coordination number. You can still book without signing in.',
      );
    }
    const name = claims[this.eid.claims.name];
    return {
      subject: claims.sub,
      personnummer: parsed.value.normalized,
      name: typeof name === 'string' && name.length <= 200 ? name : undefined,
      acr,
    };
  }
}
