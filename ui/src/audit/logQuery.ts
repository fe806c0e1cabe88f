// Settings › Audit log's filters as the address bar holds them, and GET /api/audit-events's
// parameters made from them. Pure functions, tested alone.
import { dayAfter, dayParam, dayStart, idParam } from "../customers/listQuery";
import { actorKinds } from "./entries";

export interface LogFilters {
  entity: string | null;
  entityId: number | null;
  /** A kind ("system") or a kind and an id ("user:12"), as the API takes it. */
  actor: string | null;
  /** An action ("customer.updated") or every action of an entity ("customer.*"). */
  action: string | null;
  /** Whole local days, both ends included. */
  from: string | null;
  to: string | null;
}

export const noLogFilters: LogFilters = { entity: null, entityId: null, actor: null, action: null, from: null, to: null };

export const logPageSize = 50;

const actorPattern = new RegExp(`^(${actorKinds.map((k) => k.value).join("|")})(:[1-9]\\d{0,17})?$`);
const actionPattern = /^[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?$/;
const entityPattern = /^[a-z_]{1,50}$/;

function matching(value: string | null, pattern: RegExp): string | null {
  const trimmed = value?.trim() ?? "";
  return pattern.test(trimmed) ? trimmed : null;
}

//! Whether the server would take this as an action filter (the form says so before asking).
export function validAction(value: string): boolean {
  return value.length <= 100 && actionPattern.test(value.trim());
}

/** Reads the page's search parameters, ignoring what is malformed (an edited bookmark) rather
 *  than sending it on for the server to refuse the whole page. */
export function logFiltersFromSearch(params: URLSearchParams): LogFilters {
  return {
    entity: matching(params.get("entity"), entityPattern),
    entityId: idParam(params.get("entity_id")),
    actor: matching(params.get("actor"), actorPattern),
    action: matching(params.get("action"), actionPattern),
    from: dayParam(params.get("from")),
    to: dayParam(params.get("to")),
  };
}

/** The page's search parameters: only the filters set, in a fixed order. */
export function logFiltersToSearch(f: LogFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.entity) params.set("entity", f.entity);
  if (f.entityId !== null) params.set("entity_id", String(f.entityId));
  if (f.actor) params.set("actor", f.actor);
  if (f.action) params.set("action", f.action);
  if (f.from) params.set("from", f.from);
  if (f.to) params.set("to", f.to);
  return params;
}

/** GET /api/audit-events parameters for a page: the days become the moments they begin and end
 *  where the person is. */
export function logQuery(f: LogFilters, cursor?: string): URLSearchParams {
  const params = new URLSearchParams({ limit: String(logPageSize) });
  if (f.entity) params.set("entity", f.entity);
  if (f.entityId !== null) params.set("entity_id", String(f.entityId));
  if (f.actor) params.set("actor", f.actor);
  if (f.action) params.set("action", f.action);
  if (f.from) params.set("from", dayStart(f.from));
  if (f.to) params.set("to", dayAfter(f.to));
  if (cursor) params.set("cursor", cursor);
  return params;
}

//! How many filters are set (shown on the Filters button).
export function logFilterCount(f: LogFilters): number {
  return [f.entity, f.entityId, f.actor, f.action, f.from ?? f.to].filter((v) => v !== null).length;
}
