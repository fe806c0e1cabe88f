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

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
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

export interface Customer {
  id: number;
  name: string;
  account_type: "individual" | "company";
  email: string | null;
  phone: string | null;
  company: { id: number; name: string } | null;
  tags: { id: number; name: string; color: string }[];
  address: { city: string | null; country: string | null };
  portal_access: boolean;
  created_at: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  total?: number;
}
