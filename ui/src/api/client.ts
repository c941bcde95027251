import { readCredentials } from '../auth/credentials';

/** A refused request, with the server's message and, when it names one, the JSON pointer of the field at fault. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly pointer: string | null;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
    this.pointer = pointerOf(message);
  }
}

/**
 * The field a validation message is about: dart's 400s start with a JSON pointer into the request body,
 * e.g. `/data/args/bucket: required property missing`.
 */
export function pointerOf(message: string): string | null {
  const m = /^(\/[^:\s]*):\s/.exec(message);
  return m ? m[1] : null;
}

export type Query = Record<string, string | number | undefined | null>;

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/1${path}${qs ? `?${qs}` : ''}`;
}

/** Where the shell learns that the key stopped working (revoked, or typed wrong), to sign out. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function apiFetch<T>(method: string, path: string, options: { query?: Query; body?: unknown; credentials?: string } = {}): Promise<T> {
  const credentials = options.credentials ?? readCredentials();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (credentials) headers.Authorization = `Bearer ${credentials}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(apiUrl(path, options.query), {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const json = text ? safeJson(text) : null;
  if (!response.ok) {
    if (response.status === 401 && !options.credentials) onUnauthorized();
    const message = json && typeof json === 'object' && 'error_message' in json ? String(json.error_message) : `${response.status} ${response.statusText}`;
    throw new ApiRequestError(response.status, message);
  }
  return json as T;
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const api = {
  get: <T>(path: string, query?: Query) => apiFetch<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown, query?: Query) => apiFetch<T>('POST', path, { body, query }),
  put: <T>(path: string, body: unknown) => apiFetch<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => apiFetch<T>('PATCH', path, { body }),
  delete: <T>(path: string) => apiFetch<T>('DELETE', path),
};
