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
  | 'EID_UNAVAILABLE';

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

/**
 * The gateway as an OpenID Connect relying party of the configured e-ID broker (EID_ISSUER):
 * discovery, the authorization-code flow with PKCE (S256), state and nonce, the ID token's
 * signature, issuer, audience and expiry checked by openid-client, and then the claims
 * Samservice needs: the identity number, the name and an accepted assurance level.
 */
export class EidRelyingParty {
  private configuration?: Promise<oidc.Configuration>;

  constructor(
    private readonly eid: AppConfig['eid'] & { issuer: string },
    private readonly redirectUri: string,
    private readonly isProduction: boolean,
  ) {}

  /** Discovery, once per process (retried after a failure). */
  private async client(): Promise<oidc.Configuration> {
    this.configuration ??= (async () => {
      const issuer = new URL(this.eid.issuer);
      // Plain http only for a loopback issuer outside production: the local test e-ID.
      const insecure = !this.isProduction && issuer.protocol === 'http:' && isLoopback(issuer);
      return oidc.discovery(
        issuer,
        this.eid.clientId,
        undefined,
        oidc.ClientSecretBasic(this.eid.clientSecret),
        { ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}), timeout: 10 },
      );
    })();
    try {
      return await this.configuration;
    } catch (error) {
      this.configuration = undefined;
      throw new SignInError(
        'EID_UNAVAILABLE',
        `The e-ID service could not be reached (${(error as Error).message}). Please try again in a moment.`,
      );
    }
  }

  /** Where the browser goes to sign in, and the secrets the callback must show again. */
  async start(): Promise<{
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
      scope: this.eid.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(this.eid.acceptedAcr.length > 0 ? { acr_values: this.eid.acceptedAcr.join(' ') } : {}),
    });
    return { url: url.href, state, nonce, codeVerifier };
  }

  /** The callback: the code exchanged (with the PKCE verifier) and the ID token's claims read. */
  async finish(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<SignedInCitizen> {
    const error = callbackUrl.searchParams.get('error');
    if (error) {
      throw new SignInError(
        error === 'access_denied' ? 'LOGIN_CANCELLED' : 'EID_UNAVAILABLE',
        error === 'access_denied'
          ? 'The sign-in was cancelled.'
          : 'The e-ID service could not sign you in. Please try again.',
      );
    }
    const client = await this.client();
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(client, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (cause) {
      // A replayed or foreign code, a wrong state, a bad ID token: all one answer to the user.
      throw new SignInError(
        'LOGIN_EXPIRED',
        `The sign-in could not be completed (${(cause as Error).name}); please sign in again.`,
      );
    }
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

  /** RP-initiated logout at the broker, back to the gateway's signed-out page. */
  async endSessionUrl(postLogoutRedirectUri: string): Promise<string | undefined> {
    try {
      const client = await this.client();
      if (!client.serverMetadata().end_session_endpoint) return undefined;
      return oidc.buildEndSessionUrl(client, {
        client_id: this.eid.clientId,
        post_logout_redirect_uri: postLogoutRedirectUri,
      }).href;
    } catch {
      return undefined;
    }
  }
}
