import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { ApiError, PortalSession, api, setCsrfToken } from "../api";
import { portalApi, usePortalInfo, usePortalSession, usePortalSignOut, usePortalSignedIn } from "./session";

interface Call { method: string; url: string; csrf: string | undefined; ifMatch: string | undefined }

// A fake server: answers each request with the next of `answers`, and records what was sent.
function serve(...answers: [number, unknown][]) {
  const calls: Call[] = [];
  vi.stubGlobal("fetch", vi.fn(async (url: string, init: RequestInit) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    calls.push({ method: init.method ?? "GET", url, csrf: headers["X-CSRF-Token"], ifMatch: headers["If-Match"] });
    const [status, body] = answers.shift() ?? [500, { detail: "no answer left" }];
    return new Response(status === 204 ? null : JSON.stringify(body), { status });
  }));
  return calls;
}

const session = (token: string): PortalSession => ({
  csrf_token: token,
  customer: {
    id: 1, account_type: "individual", name: "Pat", first_name: null, last_name: null, email: "pat@mail.example",
    phone: null, mobile: null, birthdate: null, gender: null, locale: null,
    address: { street: null, street2: null, city: null, postal_code: null, state: null, country: null },
    job_title: null, company: null, loyalty_points: 0, loyalty_tier: null, portal_last_login: null, version: 2, created_at: "2026-01-01T00:00:00.000Z",
  },
});

function wrapper() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return ({ children }: { children: React.ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

afterEach(() => { vi.unstubAllGlobals(); setCsrfToken(null); });

describe("the portal's session", () => {
  it("is null for a signed-out visitor of a portal that exists", async () => {
    const calls = serve([401, { detail: "Sign in" }]);
    const { result } = renderHook(() => usePortalSession("shop1"), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data).toBeNull();
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(["GET /api/portal/shop1/me"]);
  });

  it("tells whose portal it is, and is a 404 for a portal that does not exist", async () => {
    const calls = serve([200, { workspace: "shop1", name: "Shop One" }], [404, { detail: "There is no customer portal at this address." }]);
    const shop = renderHook(() => usePortalInfo("shop1"), { wrapper: wrapper() });
    await waitFor(() => expect(shop.result.current.data?.name).toBe("Shop One"));
    expect(calls[0].url).toBe("/api/portal/shop1");
    const { result } = renderHook(() => usePortalInfo("nope"), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(ApiError);
    expect((result.current.error as ApiError).status).toBe(404);
  });

  it("sends each portal's own CSRF token, never the admin's, and the admin's requests keep theirs", async () => {
    setCsrfToken("admin-token");
    const calls = serve([200, session("shop1-token")], [200, {}], [200, {}], [200, {}]);
    const { result } = renderHook(() => usePortalSession("shop1"), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.data?.csrf_token).toBe("shop1-token"));
    await portalApi("shop1", "PATCH", "me", { name: "Pat" }, { "If-Match": '"2"' });
    await portalApi("shop2", "POST", "logout");  // a portal nobody signed in to: no token at all
    await api("POST", "/api/customers", { name: "x" });
    expect(calls.slice(1)).toEqual([
      { method: "PATCH", url: "/api/portal/shop1/me", csrf: "shop1-token", ifMatch: '"2"' },
      { method: "POST", url: "/api/portal/shop2/logout", csrf: undefined, ifMatch: undefined },
      { method: "POST", url: "/api/customers", csrf: "admin-token", ifMatch: undefined },
    ]);
  });

  it("takes a sign-in's token, and forgets it on signing out", async () => {
    const calls = serve([401, {}], [204, null], [200, {}]);
    const hooks = renderHook(() => ({
      session: usePortalSession("shop1"), signedIn: usePortalSignedIn("shop1"), signOut: usePortalSignOut("shop1"),
    }), { wrapper: wrapper() });
    await waitFor(() => expect(hooks.result.current.session.data).toBeNull());
    act(() => hooks.result.current.signedIn(session("fresh-token")));
    await waitFor(() => expect(hooks.result.current.session.data?.customer.name).toBe("Pat"));
    await act(() => hooks.result.current.signOut());
    await waitFor(() => expect(hooks.result.current.session.data).toBeNull());
    await portalApi("shop1", "POST", "change-password", {});
    expect(calls.slice(1).map((c) => c.csrf)).toEqual(["fresh-token", undefined]);
  });
});
