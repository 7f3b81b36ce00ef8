// React access to the Session: its state and the signed-in principal.
import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";
import type { Principal } from "../gen/zeugo/v1/auth_pb.js";
import type { Session, SessionState } from "./session.js";

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** useSession returns the Session object (login, logout). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}

/** useSessionState re-renders when the session changes. */
export function useSessionState(): SessionState {
  const session = useSession();
  return useSyncExternalStore(session.subscribe, session.getState);
}

/** usePrincipal is for screens that only render while signed in. */
export function usePrincipal(): Principal {
  const state = useSessionState();
  if (state.status !== "authenticated") throw new Error("usePrincipal while not signed in");
  return state.principal;
}
