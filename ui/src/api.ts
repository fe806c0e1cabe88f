// The server's API as the UI uses it: JSON in and out, the session cookie, the CSRF token on
// unsafe requests, and RFC 9457 problems turned into errors that say what went wrong.

export interface FieldError {
  field: string;
  message: string;
}

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

export interface User {
  id: number;
  email: string;
  name: string;
  role: string;
  permissions: string[];
  tenant_id: number;
  is_platform_admin: boolean;
}

export interface SignIn {
  user: User;
  csrf_token: string;
}

export interface Ref {
  id: number;
  name: string;
}

export interface PostalAddress {
  street: string | null;
  street2: string | null;
  city: string | null;
  postal_code: string | null;
  state: string | null;
  country: string | null;
}

export interface Tag {
  id: number;
  name: string;
  color: string;
}

export type AccountType = "individual" | "company";

//! A customer as GET /api/customers/{id} returns it (lists leave out purchase_history).
export interface Customer {
  id: number;
  account_type: AccountType;
  name: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  birthdate: string | null;
  gender: string | null;
  locale: string | null;
  address: PostalAddress;
  company: Ref | null;
  tax_id: string | null;
  job_title: string | null;
  website: string | null;
  title: (Ref & { short_name: string }) | null;
  tags: Tag[];
  responsible: (Ref & { email: string }) | null;
  company_registry: string | null;
  reference: string | null;
  industry: Ref | null;
  preferences: Record<string, unknown>;
  notes: string | null;
  avatar: { url: string; thumbnail_url: string } | null;
  portal_access: boolean;
  portal_last_login: string | null;
  registered_via: "admin" | "portal";
  loyalty_points: number;
  purchase_history?: { order_id: number; amount: number; date: string }[];
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at?: string | null;
}

//! A typed address of a customer (/api/customers/{id}/addresses).
export interface CustomerAddress extends PostalAddress {
  id: number;
  type: "permanent" | "present" | "invoice" | "delivery" | "other";
  full_name: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  is_default_invoice: boolean;
  is_default_delivery: boolean;
  version: number;
}

export interface CustomerTitle extends Ref {
  short_name: string;
}

export interface Industry extends Ref {
  full_name: string | null;
}

export interface Country {
  code: string;
  name: string;
  has_subdivisions: boolean;
}

export interface Subdivision {
  code: string;
  name: string;
  type: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  total?: number;
}

//! The `If-Match` header that makes a change apply only to the version the user saw.
export function ifMatch(version: number): Record<string, string> {
  return { "If-Match": `"${version}"` };
}
