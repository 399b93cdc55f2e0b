/**
 * Who the dashboard calls the engine as. A loopback engine trusts its local user, so most installs never see a
 * sign-in; otherwise the engine answers 401 and the layout asks for an API token, kept in localStorage.
 */
const KEY = 'ticket-triage.token';

function stored(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export const auth = $state<{ token: string | null; needed: boolean; reason: string | null }>({
  token: stored(),
  needed: false,
  reason: null,
});

/** Called on any 401: the stored token (if any) no longer works, or one is needed. */
export function requireSignIn(reason?: string): void {
  auth.needed = true;
  auth.reason = reason ?? null;
}

export function signIn(token: string): void {
  auth.token = token;
  auth.needed = false;
  auth.reason = null;
  try {
    localStorage.setItem(KEY, token);
  } catch {
    /* private mode: the token lives for this tab only */
  }
}

export function signOut(): void {
  auth.token = null;
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* nothing stored */
  }
}
