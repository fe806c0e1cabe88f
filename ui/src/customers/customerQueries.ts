// Reading one customer for the view and the edit form, including an archived one, and keeping the
// other screens' copies fresh after a change.
import { QueryClient, useQuery } from "@tanstack/react-query";

import { ApiError, Customer, Page, api } from "../api";

export const customerKey = (id: number) => ["customer", id] as const;

// GET /api/customers/{id} is 404 for an archived customer, and the archive list has no id filter,
// so an archived one is looked for page by page (200 a page, newest first). Bounded: an archive
// beyond these pages is reported as not found rather than read to its end.
const archivePagesRead = 10;

async function findArchived(id: number): Promise<Customer | null> {
  let cursor: string | null = null;
  for (let page = 0; page < archivePagesRead; page++) {
    const params = new URLSearchParams({ deleted: "true", limit: "200" });
    if (cursor) params.set("cursor", cursor);
    const answer: Page<Customer> = await api<Page<Customer>>("GET", `/api/customers?${params}`);
    const found = answer.data.find((c) => c.id === id);
    if (found) return found;
    if (!answer.next_cursor) return null;
    cursor = answer.next_cursor;
  }
  return null;
}

//! The customer, live or archived (an archived one carries `deleted_at`); a 404 error when neither.
export async function fetchCustomer(id: number): Promise<Customer> {
  try {
    return await api<Customer>("GET", `/api/customers/${id}`);
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 404) {
      const archived = await findArchived(id);
      if (archived) return archived;
    }
    throw failure;
  }
}

export function useCustomer(id: number) {
  return useQuery({
    queryKey: customerKey(id),
    queryFn: () => fetchCustomer(id),
    enabled: Number.isSafeInteger(id) && id > 0,
  });
}

//! A customer's name for a link to them (an order's, a cart's), asked once per customer; undefined
//! until it comes, or when the customer cannot be read (archived).
export function useCustomerName(id: number | null): string | undefined {
  const customer = useQuery({
    queryKey: [...customerKey(id ?? 0), "name"],
    enabled: id !== null,
    queryFn: () => api<Customer>("GET", `/api/customers/${id}`),
    retry: false,
    staleTime: 60_000,  // a change of the customer invalidates it (customerKey)
  });
  return customer.data?.name;
}

//! After a change: this record's copy is the server's answer, and every list will ask again.
export function customerChanged(client: QueryClient, customer?: Customer) {
  if (customer) client.setQueryData(customerKey(customer.id), customer);
  client.invalidateQueries({ queryKey: ["customers"] });  // the customer list's pages
  client.invalidateQueries({ queryKey: ["options", "companies"] });
}
