// Bulk actions on selected customers (archive, restore): one request per customer, one after the
// other, and what went wrong said in plain words per customer.
import { ApiError, Customer, problemText } from "../api";

export interface Outcome {
  customer: Customer;
  error?: unknown;
}

/** Runs `action` for each customer in turn (not all at once: a bulk action of 100 should not
 *  take every worker of the server), collecting each outcome instead of stopping at the first
 *  failure. `onProgress` hears how many are done. */
export async function forEach(
  customers: Customer[], action: (customer: Customer) => Promise<unknown>, onProgress?: (done: number) => void,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const customer of customers) {
    try {
      await action(customer);
      outcomes.push({ customer });
    } catch (error) {
      outcomes.push({ customer, error });
    }
    onProgress?.(outcomes.length);
  }
  return outcomes;
}

export function countText(n: number, singular = "customer", plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** How many live contacts kept a company from being archived: the server's 409 says
 *  "This company has 20 contact(s). …". Null for any other failure. */
export function blockingContacts(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const match = error.message.match(/has (\d+) contact/);
  return match ? Number(match[1]) : null;
}

/** Why a customer was not archived, in words for the person who asked (the server's own 409
 *  speaks of a `?cascade=contacts` parameter, which means nothing to them). */
export function archiveFailureText(outcome: Outcome): string {
  const contacts = blockingContacts(outcome.error);
  if (contacts !== null) {
    return `${outcome.customer.name} has ${countText(contacts, "contact")}, so it was not archived. ` +
      "Archive its contacts first, or archive the company together with its contacts.";
  }
  return `${outcome.customer.name} was not archived: ${problemText(outcome.error)}`;
}

export function restoreFailureText(outcome: Outcome): string {
  return `${outcome.customer.name} was not restored: ${problemText(outcome.error)}`;
}
