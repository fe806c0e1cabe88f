// The workspace's settings (GET /api/settings, orders.read: every role): its base currency, in which
// the customers' value figures and the loyalty tiers' spend are kept.
import { useQuery } from "@tanstack/react-query";

import { WorkspaceSettings, api } from "../api";

export const settingsKey = ["workspace-settings"] as const;

export function useWorkspaceSettings() {
  return useQuery({
    queryKey: settingsKey,
    queryFn: () => api<WorkspaceSettings>("GET", "/api/settings"),
    staleTime: 60_000,
  });
}

//! The base currency once known (null while it is asked for).
export function useBaseCurrency(): string | null {
  return useWorkspaceSettings().data?.base_currency ?? null;
}
