import { createContext, useContext } from 'react';
import type { Session } from './auth';
import type { ConsoleSettings } from './types';

export interface SessionContextValue {
  session: Session;
  settings: ConsoleSettings;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in page');
  return value;
}
