// Carts as the admin UI shows them: a line's total and the subtotal, exact (a line reaches 10^19
// minor units, past what a double holds), the items in words, and the query of the carts list.
// Pure functions, tested alone.
import type { Cart } from "../api";

type CartLine = Cart["lines"][number];

//! quantity × unit_price, exact.
export function lineTotal(line: Pick<CartLine, "quantity" | "unit_price">): bigint {
  return BigInt(line.quantity) * BigInt(line.unit_price);
}

//! Σ quantity × unit_price, exact; the server's `subtotal` is the same sum, but as a JSON number it
//! is read through a double.
export function cartSubtotal(cart: Pick<Cart, "lines">): bigint {
  return cart.lines.reduce((sum, line) => sum + lineTotal(line), 0n);
}

//! "1 item", "12 items".
export function itemsText(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? "item" : "items"}`;
}

//! What is in a cart at a glance: "Running shoes × 2, Socks", the first `shown` lines, then
//! "and 3 more".
export function linesSummary(lines: Pick<CartLine, "name" | "quantity">[], shown = 3): string {
  const named = lines.slice(0, shown).map((line) => (line.quantity === 1 ? line.name : `${line.name} × ${line.quantity.toLocaleString()}`));
  const rest = lines.length - named.length;
  return rest > 0 ? `${named.join(", ")} and ${rest} more` : named.join(", ");
}

//! Who the cart belongs to, in words, until the customer's name has come: the cart's e-mail, else
//! the customer's number.
export function cartOwner(cart: Pick<Cart, "customer_id" | "email">): string {
  return cart.email || `Customer #${cart.customer_id}`;
}

//! GET /api/carts parameters for one page: the abandoned carts (untouched for 24 hours) or all
//! open ones, least recently updated first.
export function cartsQuery(abandoned: boolean, limit: number, cursor: string | null): URLSearchParams {
  const params = new URLSearchParams({ limit: String(limit) });
  if (abandoned) params.set("abandoned", "true");
  if (cursor) params.set("cursor", cursor);
  return params;
}
