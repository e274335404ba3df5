import { ref } from 'vue';

export interface Session {
  signedIn: boolean;
  signInAvailable: boolean;
  name?: string | null;
  expiresAt?: string | null;
}

/** Who is signed in (the gateway's `/auth/session`: the name and expiry, nothing else). */
export const session = ref<Session | undefined>(undefined);

export async function loadSession(): Promise<Session> {
  const response = await fetch('/auth/session', { credentials: 'same-origin' });
  session.value = (await response.json()) as Session;
  return session.value;
}

/** The gateway's e-ID sign-in, coming back to `returnTo` (a path of this site). */
export function signInUrl(returnTo: string): string {
  return `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
}

/** Ends the session; the e-ID broker's logout page follows when it has one. */
export async function signOut(): Promise<void> {
  const response = await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' });
  const { endSessionUrl } = (await response.json()) as { endSessionUrl: string | null };
  session.value = { signedIn: false, signInAvailable: session.value?.signInAvailable ?? true };
  if (endSessionUrl) window.location.assign(endSessionUrl);
}
