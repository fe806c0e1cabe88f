// Orders as the admin UI shows them: a status's words and colour, which status may follow which
// (the server's transition rules, so the UI offers only those), and the PATCH that changes one,
// refunds included. Pure functions, tested alone.
import type { Order, OrderStatus } from "../api";
import { formatMoney, parseMoney } from "../money";

export const orderStatuses: { value: OrderStatus; label: string; color: string }[] = [
  { value: "pending", label: "Pending", color: "gray" },
  { value: "paid", label: "Paid", color: "blue" },
  { value: "fulfilled", label: "Fulfilled", color: "teal" },
  { value: "partially_refunded", label: "Partially refunded", color: "orange" },
  { value: "refunded", label: "Refunded", color: "red" },
  { value: "cancelled", label: "Cancelled", color: "dark" },
];

export function statusOf(status: OrderStatus) {
  return orderStatuses.find((s) => s.value === status) ?? { value: status, label: status, color: "gray" };
}

// The server's rules (PATCH /api/orders/{id}): cancelled and refunded are final; a partial refund
// may grow; a fulfilled order is not cancelled any more.
const transitions: Record<OrderStatus, OrderStatus[]> = {
  pending: ["paid", "fulfilled", "cancelled"],
  paid: ["fulfilled", "partially_refunded", "refunded", "cancelled"],
  fulfilled: ["partially_refunded", "refunded"],
  partially_refunded: ["partially_refunded", "refunded"],
  cancelled: [],
  refunded: [],
};

//! The statuses an order in this status may be given (a partial refund again: a larger amount).
export function nextStatuses(status: OrderStatus): OrderStatus[] {
  return transitions[status] ?? [];
}

export type StatusChange = { status: OrderStatus; refunded_amount?: number };

//! The PATCH body for the new status, with the refund typed (in the order's currency) when it is a
//! partial one; or the reason it cannot be sent, for the refund field.
export function statusChange(order: Pick<Order, "status" | "total" | "refunded_amount" | "currency">,
  status: OrderStatus, refundText: string): { body: StatusChange } | { error: string } {
  if (!nextStatuses(order.status).includes(status)) {
    return { error: `A ${statusOf(order.status).label.toLowerCase()} order cannot become ${statusOf(status).label.toLowerCase()}.` };
  }
  if (status !== "partially_refunded") return { body: { status } };
  const amount = parseMoney(refundText, order.currency);
  if (amount === null) return { error: `Enter the amount refunded in ${order.currency}, such as 12.50.` };
  if (amount <= 0 || amount >= order.total) {
    return { error: `More than nothing and less than the total (${formatMoney(order.total, order.currency)}); the whole total is a full refund.` };
  }
  if (amount <= order.refunded_amount) {
    return { error: `More than what was refunded already (${formatMoney(order.refunded_amount, order.currency)}): the refunded amount only grows.` };
  }
  return { body: { status, refunded_amount: amount } };
}

//! GET /api/customers/{id}/orders parameters for one page.
export function ordersQuery(limit: number, cursor: string | null): URLSearchParams {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set("cursor", cursor);
  return params;
}
