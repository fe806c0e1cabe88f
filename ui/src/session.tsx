// Who is signed in: asked of the server once (GET /api/auth/me), kept for the app.
import { useQuery, useQueryClient } from "@tanstack/react-query";

import { ApiError, SignIn, api, setCsrfToken } from "./api";

export function useSession() {
  return useQuery({
    queryKey: ["session"],
    queryFn: async () => {
      try {
        const me = await api<SignIn>("GET", "/api/auth/me");
        setCsrfToken(me.csrf_token ?? null);  // none for a bearer token
        return me;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Infinity,
  });
}

export function useSignedIn() {
  const client = useQueryClient();
  return (signIn: SignIn) => {
    setCsrfToken(signIn.csrf_token ?? null);
    client.setQueryData(["session"], signIn);
  };
}

export function useSignOut() {
  const client = useQueryClient();
  return async () => {
    await api("POST", "/api/auth/logout");
    setCsrfToken(null);
    client.clear();
    client.setQueryData(["session"], null);
  };
}
