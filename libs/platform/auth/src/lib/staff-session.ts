/**
 * Staff sign-in at the workstation (docs/security.md, "Staff sign-in"): the gateway is an
 * OIDC relying party of the organisation's identity provider, and keeps the access token it
 * gets for the API in an HttpOnly cookie that /graphql reads like a bearer token.
 */

/** The staff member's access token (a JWT of AUTH_ISSUER), HttpOnly, SameSite=Strict. */
export const STAFF_SESSION_COOKIE = 'samservice_staff';
/** A staff sign-in under way: state, nonce and PKCE verifier, for the callback only. */
export const STAFF_LOGIN_STATE_COOKIE = 'samservice_staff_login';
/** The audience of a staff sign-in under way (a citizen's is never good for it). */
export const STAFF_LOGIN_STATE_AUDIENCE = 'urn:samservice:staff-login-state';

/** The gateway's staff sign-in routes under its public origin. */
export function staffLoginUrls(publicUrl: string): {
  login: string;
  callback: string;
  loggedOut: string;
} {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    login: `${base}/auth/staff/login`,
    callback: `${base}/auth/staff/callback`,
    loggedOut: `${base}/auth/staff/logged-out`,
  };
}

/**
 * The resource indicator (RFC 8707) of the API at the local test e-ID, which in development
 * also plays the organisation's identity provider: access tokens for it are JWTs for the
 * API's audience with the staff claims.
 */
export const DEVELOPMENT_API_RESOURCE = 'urn:samservice:api';
