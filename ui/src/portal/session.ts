// The customer portal's own session, one per workspace. Its cookie is scoped to
// /api/portal/{workspace} and it has its own CSRF token, so it is kept apart from the admin's
// session (src/session.tsx): its own query key per workspace and its own token for its requests.
import { useQuery, useQueryClient } from "@tanstack/react-query";

import { ApiError, PortalCustomer, PortalSession, api } from "../api";

// The CSRF token of each workspace's portal session, by slug.
const csrfTokens = new Map<string, string>();

export function portalPath(workspace: string, route: string) {
  const base = `/api/portal/${encodeURIComponent(workspace)}`;
  return route ? `${base}/${route}` : base;
}

//! A request to a workspace's portal API, with that portal's CSRF token.
export function portalApi<T>(workspace: string, method: string, route: string, body?: unknown,
  headers?: Record<string, string>): Promise<T> {
  return api<T>(method, portalPath(workspace, route), body, { csrfToken: csrfTokens.get(workspace) ?? null, headers });
}

export const portalSessionKey = (workspace: string) => ["portal", workspace, "session"];

//! Whose portal it is (the business's name); an unknown portal is the query's error, an ApiError
//! with status 404.
export function usePortalInfo(workspace: string) {
  return useQuery({
    queryKey: ["portal", workspace, "info"],
    queryFn: () => api<{ workspace: string; name: string }>("GET", portalPath(workspace, "")),
    staleTime: Infinity,
  });
}

//! The signed-in customer of the workspace's portal, or null when nobody is signed in.
export function usePortalSession(workspace: string) {
  return useQuery({
    queryKey: portalSessionKey(workspace),
    queryFn: async (): Promise<PortalSession | null> => {
      try {
        const me = await api<PortalSession>("GET", portalPath(workspace, "me"));
        csrfTokens.set(workspace, me.csrf_token);
        return me;
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) throw error;
        csrfTokens.delete(workspace);
        return null;
      }
    },
    staleTime: Infinity,
  });
}

//! Keeps what a register, login or accepted invitation answered as the workspace's session.
export function usePortalSignedIn(workspace: string) {
  const client = useQueryClient();
  return (session: PortalSession) => {
    csrfTokens.set(workspace, session.csrf_token);
    client.setQueryData(portalSessionKey(workspace), session);
  };
}

//! Puts a changed profile into the session, which keeps its CSRF token.
export function usePortalCustomerChanged(workspace: string) {
  const client = useQueryClient();
  return (customer: PortalCustomer) => {
    client.setQueryData<PortalSession | null>(portalSessionKey(workspace),
      (session) => (session ? { ...session, customer } : session));
  };
}

//! Forgets the session after the server has ended it (a 401 on a portal request).
export function usePortalSessionLost(workspace: string) {
  const client = useQueryClient();
  return () => {
    csrfTokens.delete(workspace);
    client.setQueryData(portalSessionKey(workspace), null);
  };
}

export function usePortalSignOut(workspace: string) {
  const lost = usePortalSessionLost(workspace);
  return async () => {
    try {
      await portalApi(workspace, "POST", "logout");
    } catch (error) {
      // Signed out already (the session had ended): the same outcome.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    lost();
  };
}
