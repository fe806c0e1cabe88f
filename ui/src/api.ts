// The server's API as the UI uses it: JSON in and out, the session cookie, the CSRF token on
// unsafe requests, and RFC 9457 problems turned into errors that say what went wrong.

import type { components } from "./api-types";

// The API's types, generated from docs/openapi.yaml (`npm run gen:api`): the spec is the truth.
type Schemas = components["schemas"];

export type FieldError = Schemas["ProblemFieldError"];

export class ApiError extends Error {
  status: number;
  errors: FieldError[];
  retryAfter?: number;

  constructor(status: number, detail: string, errors: FieldError[] = [], retryAfter?: number) {
    super(detail);
    this.status = status;
    this.errors = errors;
    this.retryAfter = retryAfter;
  }
}

//! What to tell a person about a failed request: the server's own words, how long a lock-out lasts,
//! or that the server cannot be reached.
export function problemText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429 && error.retryAfter) {
      return `Too many failed sign-ins. Try again in ${error.retryAfter} seconds.`;
    }
    return error.message;
  }
  return "The server cannot be reached. Check your connection and try again.";
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

//! What a request may add: its own CSRF token instead of the admin session's (the customer portal
//! has a session and a token of its own), and headers such as If-Match.
export interface ApiOptions {
  //! The CSRF token to send instead of the admin session's (a portal's own; null for none).
  csrfToken?: string | null;
  headers?: Record<string, string>;
  //! A body that is not JSON (an avatar's image), sent with its own media type instead of `body`.
  bytes?: Blob;
}

export async function api<T>(method: string, path: string, body?: unknown, options: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  let payload: BodyInit | undefined;
  if (options.bytes !== undefined) {
    payload = options.bytes;
    headers["Content-Type"] = options.bytes.type || "application/octet-stream";
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  const token = options.csrfToken !== undefined ? options.csrfToken : csrfToken;
  if (method !== "GET" && method !== "HEAD" && token) headers["X-CSRF-Token"] = token;
  const response = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: { detail?: string; errors?: FieldError[] } | undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;  // a proxy's HTML error page, say: the status still tells what happened
  }
  if (!response.ok) {
    const retry = response.headers.get("Retry-After");
    throw new ApiError(
      response.status,
      data?.detail ?? `The server answered ${response.status}.`,
      data?.errors ?? [],
      retry ? Number(retry) : undefined,
    );
  }
  return data as T;
}

export type User = Schemas["User"];
//! What sign-in answers, and GET /api/auth/me (without csrf_token for a bearer token).
export type SignIn = Schemas["AuthReply"];
export type Ref = Schemas["NamedRef"];
export type PostalAddress = Schemas["Address"];
export type Tag = Schemas["Tag"];
export type AccountType = Schemas["Customer"]["account_type"];

//! A customer as a list has it (an archived one with `deleted_at`) or as GET /api/customers/{id}
//! returns it (with `purchase_history`): the UI shows either in the same places.
export type Customer = Schemas["CustomerListItem"] & Partial<Pick<Schemas["Customer"], "purchase_history">>;

//! A typed address of a customer (/api/customers/{id}/addresses).
export type CustomerAddress = Schemas["CustomerAddress"];
export type CustomerTitle = Schemas["Title"];
export type Industry = Schemas["Industry"];
export type Country = Schemas["CountryList"]["data"][number];
export type Subdivision = Schemas["SubdivisionList"]["data"][number];
export type Client = Schemas["Client"];
export type Credentials = Schemas["Credentials"];
export type StaffUser = Schemas["StaffUser"];
export type Role = Schemas["RoleTable"]["data"][number];
export type PortalCustomer = Schemas["PortalCustomer"];
export type PortalSession = Schemas["PortalSession"];
export type PortalOrderSummary = Schemas["PortalOrderSummary"];
export type PortalOrder = Schemas["PortalOrder"];
export type PortalLoyalty = Schemas["PortalLoyalty"];
export type PortalLoyaltyEntry = PortalLoyalty["entries"][number];
export type AuditEvent = Schemas["AuditEvent"];
export type Job = Schemas["Job"];
export type JobState = Schemas["JobState"];

// Orders, loyalty and the workspace's settings (issue 13).
export type OrderStatus = Schemas["OrderStatus"];
export type OrderLine = Schemas["OrderLine"];
//! An order with its lines; amounts in minor units of `currency`, base_ ones in the base currency.
export type Order = Schemas["Order"];
//! An order as lists have it: without its lines.
export type OrderListItem = Schemas["OrderListItem"];
export type LoyaltyTier = Schemas["LoyaltyTier"];
export type LoyaltyProgram = Schemas["LoyaltyProgram"];
export type LoyaltyEntry = Schemas["LoyaltyEntry"];
export type LoyaltyKind = LoyaltyEntry["kind"];
//! GET /api/customers/{id}/loyalty: the balance and tier, and a page of the ledger, newest first.
export type LoyaltyAccount = Schemas["LoyaltyPoints"];
export type WorkspaceSettings = Schemas["WorkspaceSettings"];
//! A customer's open cart (GET /api/customers/{id}/cart, the items of GET /api/carts); amounts in
//! minor units of `currency`. No open cart: `lines: []`, `currency` and `updated_at` null.
export type Cart = Schemas["Cart"];

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  total?: number;
}

//! A refusal's field errors as sentences by field ("Points must not be 0"), the field names made
//! the form's by `rename`. A conflict about one field is said in the server's detail, which tells
//! the numbers ("The balance is 10 points: 50 cannot be redeemed.").
export function problemFields(error: unknown, rename: (field: string) => string = (f) => f): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!(error instanceof ApiError)) return fields;
  for (const { field, message } of error.errors) {
    const name = rename(field);
    if (fields[name]) continue;
    fields[name] = error.status === 409 && error.errors.length === 1
      ? error.message : message.charAt(0).toUpperCase() + message.slice(1);
  }
  return fields;
}

//! The `If-Match` header that makes a change apply only to the version the user saw.
export function ifMatch(version: number): Record<string, string> {
  return { "If-Match": `"${version}"` };
}
