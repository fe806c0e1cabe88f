// The customer list's state as the address bar holds it, and the API queries made from it. Pure
// functions, so the mapping (page URL ↔ filters ↔ GET /api/customers parameters) is tested alone.
import dayjs from "dayjs";

export type Preset = "all" | "individuals" | "companies" | "archived";
export const presets: Preset[] = ["all", "individuals", "companies", "archived"];

export type Sort = "name" | "-name" | "-created_at" | "created_at" | "-lifetime_value" | "lifetime_value"
  | "-last_order_at" | "last_order_at";
export const sorts: { value: Sort; label: string }[] = [
  { value: "name", label: "Name, A to Z" },
  { value: "-name", label: "Name, Z to A" },
  { value: "-created_at", label: "Newest first" },
  { value: "created_at", label: "Oldest first" },
  { value: "-lifetime_value", label: "Most valuable first" },
  { value: "lifetime_value", label: "Least valuable first" },
  { value: "-last_order_at", label: "Latest order first" },
  { value: "last_order_at", label: "Earliest last order first" },
];

export const pageSizes = [25, 50, 100] as const;
export type PageSize = (typeof pageSizes)[number];

export interface ListFilters {
  q: string;
  preset: Preset;
  sort: Sort;
  limit: PageSize;
  tag: number | null;
  company: number | null;
  industry: number | null;
  responsible: number | null;
  country: string | null;
  portal: boolean | null;
  /** The created range as the person picked it: whole local days, both ends included. */
  createdFrom: string | null;
  createdTo: string | null;
  /** Lifetime value bounds, in minor units of the base currency, both included. */
  minValue: number | null;
  maxValue: number | null;
  minOrders: number | null;
  /** The last order's range, whole local days as picked. */
  lastOrderFrom: string | null;
  lastOrderTo: string | null;
  tier: string | null;
}

export const noFilters: ListFilters = {
  q: "", preset: "all", sort: "name", limit: 25, tag: null, company: null, industry: null,
  responsible: null, country: null, portal: null, createdFrom: null, createdTo: null, minValue: null, maxValue: null,
  minOrders: null, lastOrderFrom: null, lastOrderTo: null, tier: null,
};

/** The filters that narrow the list (not the search, the preset, the order or the page size). */
export type FilterKey = "tag" | "company" | "industry" | "responsible" | "country" | "portal" | "created" | "value"
  | "orders" | "lastOrder" | "tier";
export const filterKeys: FilterKey[] = [
  "tag", "company", "industry", "responsible", "country", "portal", "created", "value", "orders", "lastOrder", "tier",
];

const day = /^\d{4}-\d{2}-\d{2}$/;

/** A record id from the address bar, or null when it is not one. */
export function idParam(value: string | null): number | null {
  return value !== null && /^[1-9]\d{0,17}$/.test(value) ? Number(value) : null;
}

/** A count or an amount in minor units from the address bar (0 included), or null. */
export function countParam(value: string | null): number | null {
  return value !== null && /^(0|[1-9]\d{0,14})$/.test(value) ? Number(value) : null;
}

/** A real YYYY-MM-DD day from the address bar, or null. */
export function dayParam(value: string | null): string | null {
  // dayjs rolls 2026-13-45 over into a later date; a real day reads back as itself.
  return value !== null && day.test(value) && dayjs(value).format("YYYY-MM-DD") === value ? value : null;
}

/** Reads the page's search parameters; what is malformed (an edited or old bookmark) is ignored
 *  rather than sent on, where the server would refuse the whole list with a 422. */
export function filtersFromSearch(params: URLSearchParams): ListFilters {
  const preset = params.get("preset");
  const sort = params.get("sort");
  const limit = Number(params.get("limit"));
  const country = params.get("country")?.toUpperCase() ?? null;
  const portal = params.get("portal");
  return {
    q: (params.get("q") ?? "").trim(),
    preset: presets.includes(preset as Preset) ? (preset as Preset) : "all",
    sort: sorts.some((s) => s.value === sort) ? (sort as Sort) : "name",
    limit: pageSizes.includes(limit as PageSize) ? (limit as PageSize) : 25,
    tag: idParam(params.get("tag")),
    company: idParam(params.get("company")),
    industry: idParam(params.get("industry")),
    responsible: idParam(params.get("responsible")),
    country: country && /^[A-Z]{2}$/.test(country) ? country : null,
    portal: portal === "true" ? true : portal === "false" ? false : null,
    createdFrom: dayParam(params.get("from")),
    createdTo: dayParam(params.get("to")),
    minValue: countParam(params.get("value_min")),
    maxValue: countParam(params.get("value_max")),
    minOrders: countParam(params.get("orders_min")),
    lastOrderFrom: dayParam(params.get("last_from")),
    lastOrderTo: dayParam(params.get("last_to")),
    tier: params.get("tier")?.trim().slice(0, 100) || null,
  };
}

/** The page's search parameters for these filters: only what differs from the defaults, in a
 *  fixed order, so equal filters give equal (bookmarkable) addresses. */
export function filtersToSearch(f: ListFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.q) params.set("q", f.q);
  if (f.preset !== "all") params.set("preset", f.preset);
  if (f.tag !== null) params.set("tag", String(f.tag));
  if (f.company !== null) params.set("company", String(f.company));
  if (f.industry !== null) params.set("industry", String(f.industry));
  if (f.responsible !== null) params.set("responsible", String(f.responsible));
  if (f.country) params.set("country", f.country);
  if (f.portal !== null) params.set("portal", String(f.portal));
  if (f.createdFrom) params.set("from", f.createdFrom);
  if (f.createdTo) params.set("to", f.createdTo);
  if (f.minValue !== null) params.set("value_min", String(f.minValue));
  if (f.maxValue !== null) params.set("value_max", String(f.maxValue));
  if (f.minOrders !== null) params.set("orders_min", String(f.minOrders));
  if (f.lastOrderFrom) params.set("last_from", f.lastOrderFrom);
  if (f.lastOrderTo) params.set("last_to", f.lastOrderTo);
  if (f.tier) params.set("tier", f.tier);
  if (f.sort !== "name") params.set("sort", f.sort);
  if (f.limit !== 25) params.set("limit", String(f.limit));
  return params;
}

/** The filters every customer query shares (the list and the group counts). */
function narrowing(f: ListFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.q) params.set("q", f.q);
  if (f.tag !== null) params.set("tag_id", String(f.tag));
  if (f.company !== null) params.set("company_id", String(f.company));
  if (f.industry !== null) params.set("industry_id", String(f.industry));
  if (f.responsible !== null) params.set("responsible_id", String(f.responsible));
  if (f.country) params.set("country", f.country);
  if (f.portal !== null) params.set("portal_access", String(f.portal));
  // The server's range is [from, to) in UTC; the person picked whole days where they are, so
  // the range runs from the first day's local midnight to the midnight after the last day.
  if (f.createdFrom) params.set("created_from", dayStart(f.createdFrom));
  if (f.createdTo) params.set("created_to", dayAfter(f.createdTo));
  if (f.minValue !== null) params.set("min_lifetime_value", String(f.minValue));
  if (f.maxValue !== null) params.set("max_lifetime_value", String(f.maxValue));
  if (f.minOrders !== null) params.set("min_order_count", String(f.minOrders));
  if (f.lastOrderFrom) params.set("last_order_from", dayStart(f.lastOrderFrom));
  if (f.lastOrderTo) params.set("last_order_to", dayAfter(f.lastOrderTo));
  if (f.tier) params.set("loyalty_tier", f.tier);
  return params;
}

/** The moment a local day begins, and the one after it ends: a range of whole days picked where
 *  the person is, as the server's UTC [from, to). */
export function dayStart(day: string): string {
  return dayjs(day).startOf("day").toISOString();
}

export function dayAfter(day: string): string {
  return dayjs(day).add(1, "day").startOf("day").toISOString();
}

/** GET /api/customers parameters for one page of the list. */
export function listQuery(f: ListFilters, cursor?: string): URLSearchParams {
  const params = new URLSearchParams({ limit: String(f.limit), sort: f.sort });
  if (f.preset !== "all") params.set("preset", f.preset);
  for (const [key, value] of narrowing(f)) params.set(key, value);
  if (cursor) params.set("cursor", cursor);
  return params;
}

const numericFilters = ["min_lifetime_value", "max_lifetime_value", "min_order_count"];

/** The `filter` of POST /api/customers/exports: what the list shows (preset, search, filters and
 *  order), every page of it. The list's parameters as members, ids as numbers and the portal
 *  filter as a boolean. */
export function exportFilter(f: ListFilters): Record<string, string | number | boolean> {
  const filter: Record<string, string | number | boolean> = {};
  for (const [key, value] of listQuery(f)) {
    if (key === "limit" || key === "cursor") continue;
    if (key.endsWith("_id") || numericFilters.includes(key)) filter[key] = Number(value);
    else if (key === "portal_access") filter[key] = value === "true";
    else filter[key] = value;
  }
  return filter;
}

/** GET /api/customers/groups parameters that count the live (or the archived) customers matching
 *  the filters by account type: the numbers on the presets. */
export function groupQuery(f: ListFilters, archived: boolean): URLSearchParams {
  const params = new URLSearchParams({ by: "account_type" });
  if (archived) params.set("deleted", "true");
  for (const [key, value] of narrowing(f)) params.set(key, value);
  return params;
}

export interface Group {
  key: string | null;
  id: number | null;
  label: string;
  count: number;
}

/** The number on each preset, from the live and the archived groups by account type. */
export function presetCounts(live: Group[], archived: Group[]): Record<Preset, number> {
  const count = (groups: Group[], key?: string) =>
    groups.filter((g) => key === undefined || g.key === key).reduce((sum, g) => sum + g.count, 0);
  return {
    all: count(live),
    individuals: count(live, "individual"),
    companies: count(live, "company"),
    archived: count(archived),
  };
}

/** Which narrowing filters are set (the chips shown above the list). */
export function activeFilters(f: ListFilters): FilterKey[] {
  return filterKeys.filter((key) => {
    if (key === "created") return f.createdFrom !== null || f.createdTo !== null;
    if (key === "value") return f.minValue !== null || f.maxValue !== null;
    if (key === "orders") return f.minOrders !== null;
    if (key === "lastOrder") return f.lastOrderFrom !== null || f.lastOrderTo !== null;
    return f[key] !== null;
  });
}

/** The filters without one of them. */
export function withoutFilter(f: ListFilters, key: FilterKey): ListFilters {
  if (key === "created") return { ...f, createdFrom: null, createdTo: null };
  if (key === "value") return { ...f, minValue: null, maxValue: null };
  if (key === "orders") return { ...f, minOrders: null };
  if (key === "lastOrder") return { ...f, lastOrderFrom: null, lastOrderTo: null };
  return { ...f, [key]: null };
}

/** The created range in words, as its chip says it. */
export function createdRangeText(from: string | null, to: string | null): string {
  const show = (value: string) => dayjs(value).format("D MMM YYYY");
  if (from && to) return from === to ? `on ${show(from)}` : `${show(from)} – ${show(to)}`;
  if (from) return `from ${show(from)}`;
  if (to) return `until ${show(to)}`;
  return "";
}

/** A Date of the date picker as a YYYY-MM-DD local day, and back. */
export function dayOf(value: Date | null): string | null {
  return value ? dayjs(value).format("YYYY-MM-DD") : null;
}

export function dateOf(value: string | null): Date | null {
  return value ? dayjs(value).toDate() : null;
}
