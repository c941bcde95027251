// The API key lives in sessionStorage only: it is gone when the browser tab closes, and never reaches localStorage.
const KEY = 'dart.credentials';

export function readCredentials(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveCredentials(keyColonSecret: string): void {
  sessionStorage.setItem(KEY, keyColonSecret);
}

export function clearCredentials(): void {
  sessionStorage.removeItem(KEY);
}

/** `key:secret` as typed, trimmed; null when it does not have that shape. */
export function parseCredentials(text: string): string | null {
  const t = text.trim();
  const colon = t.indexOf(':');
  return colon > 0 && colon < t.length - 1 && !/\s/.test(t) ? t : null;
}
