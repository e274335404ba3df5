import { decodeJwt } from 'jose';
import type { ExternalTokenVerifier, StaffPrincipal } from '@samservice/platform/auth';
import type { AppConfig } from '@samservice/platform/config';
import { OidcRelyingParty, SignInError } from '../citizen-login/relying-party';

export interface SignedInStaff {
  /** The access token for the API: a bearer token of AUTH_ISSUER. */
  accessToken: string;
  principal: StaffPrincipal;
  name?: string;
  /** When the access token expires (epoch seconds). */
  expiresAt: number;
}

/**
 * The gateway as an OpenID Connect relying party of the organisation's identity provider
 * (STAFF_OIDC_ISSUER, which is AUTH_ISSUER): the staff member signs in there and the gateway
 * receives an access token for the API (asked for with the RFC 8707 resource indicator when
 * STAFF_OIDC_RESOURCE is set). That token is verified exactly as any bearer token is (issuer,
 * audience, expiry, signature by AUTH_JWKS_URL's keys, the staff claims) and must be a staff
 * member's; nothing the browser says about the person is believed.
 */
export class StaffRelyingParty extends OidcRelyingParty {
  constructor(
    private readonly staff: AppConfig['staffSignIn'] & { issuer: string },
    redirectUri: string,
    isProduction: boolean,
    private readonly verifier: ExternalTokenVerifier,
  ) {
    super(staff, redirectUri, isProduction);
  }

  private resource(): Record<string, string> {
    return this.staff.resource ? { resource: this.staff.resource } : {};
  }

  start(): ReturnType<OidcRelyingParty['begin']> {
    return this.begin({ scope: this.staff.scopes, ...this.resource() });
  }

  async finish(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<SignedInStaff> {
    this.refusal(callbackUrl);
    const tokens = await this.exchange(callbackUrl, expected, this.resource());
    const accessToken = tokens.access_token;
    let principal;
    try {
      principal = await this.verifier.principalFor(`Bearer ${accessToken}`);
    } catch {
      throw new SignInError(
        'NOT_STAFF',
        'The identity provider did not give an access token for Samservice staff.',
      );
    }
    if (principal.role !== 'staff') {
      throw new SignInError('NOT_STAFF', 'This account is not a Samservice staff account.');
    }
    const exp = decodeJwt(accessToken).exp as number;
    const name = tokens.claims()?.name;
    return {
      accessToken,
      principal,
      name: typeof name === 'string' && name.length <= 200 ? name : undefined,
      expiresAt: exp,
    };
  }
}
