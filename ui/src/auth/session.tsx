import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { apiFetch, setUnauthorizedHandler } from '../api/client';
import type { Role, WhoAmI } from '../api/types';
import { clearCredentials, readCredentials, saveCredentials } from './credentials';

/** What a role may do in the UI; the server enforces the same rules (AccessRules), this only hides what would fail. */
export interface Abilities {
  edit: boolean;
  run: boolean;
  manageKeys: boolean;
}

export function abilitiesOf(role: Role | undefined): Abilities {
  const writer = role === 'admin' || role === 'editor';
  return { edit: writer, run: writer, manageKeys: role === 'admin' };
}

interface Session {
  who: WhoAmI | null;
  loading: boolean;
  can: Abilities;
  signIn: (keyColonSecret: string) => Promise<void>;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [who, setWho] = useState<WhoAmI | null>(null);
  const [loading, setLoading] = useState(() => readCredentials() !== null);

  const signOut = useCallback(() => {
    clearCredentials();
    queryClient.clear();
    setWho(null);
  }, [queryClient]);

  useEffect(() => {
    setUnauthorizedHandler(signOut);
    const saved = readCredentials();
    if (!saved) return;
    apiFetch<{ results: WhoAmI }>('GET', '/whoami', { credentials: saved })
      .then((r) => setWho(r.results))
      .catch(() => clearCredentials())
      .finally(() => setLoading(false));
  }, [signOut]);

  const signIn = useCallback(async (keyColonSecret: string) => {
    const r = await apiFetch<{ results: WhoAmI }>('GET', '/whoami', { credentials: keyColonSecret });
    saveCredentials(keyColonSecret);
    setWho(r.results);
  }, []);

  const value = useMemo(() => ({ who, loading, can: abilitiesOf(who?.role), signIn, signOut }), [who, loading, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
