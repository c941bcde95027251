// The API key lives in sessionStorage only: it is gone when the browser tab closes, and never reaches localStorage.
const KEY = 'dart.credentials';
// Who the key is, kept beside it so that a reload shows the page at once while whoami checks the key again.
// Only what the UI shows depends on it; the server decides what the key may do.
const WHO = 'dart.whoami';

export function readCredentials(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveCredentials(keyColonSecret: string, who: unknown): void {
  sessionStorage.setItem(KEY, keyColonSecret);
  sessionStorage.setItem(WHO, JSON.stringify(who));
}

export function readSavedWho<T>(): T | null {
  try {
    return JSON.parse(sessionStorage.getItem(WHO) ?? 'null');
  } catch {
    return null;
  }
}

export function clearCredentials(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(WHO);
}

/** `key:secret` as typed, trimmed; null when it does not have that shape. */
export function parseCredentials(text: string): string | null {
  const t = text.trim();
  const colon = t.indexOf(':');
  return colon > 0 && colon < t.length - 1 && !/\s/.test(t) ? t : null;
}
